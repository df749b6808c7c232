"""Compose the production services: NATS connection, bus, stores, cluster messaging and hub."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from gateway.budget import MemoryBudget
from gateway.errors import BusUnavailable
from gateway.hub import Hub
from gateway.metrics import Metrics
from gateway.natsbus import NatsBus, connect_nats
from gateway.natscluster import PRESENCE_TTL, NatsCluster, auto_replicas
from gateway.natserrors import nats_errors
from gateway.natsstore import JS_TIMEOUT, Bucket, BucketSpec, KvBookings, KvCodeStore
from gateway.reporter import StatsReporter
from gateway.services import Services
from gateway.settings import GatewaySettings
from gateway.subjects import CONNECT_KIND, topic_of_subject
from gateway.supervise import backoff, spawn
from gateway.wire import CloseCode

log = logging.getLogger(__name__)

RECONCILE_EVERY = 30.0  # seconds between re-checks of live bookings against the deny list


@asynccontextmanager
async def nats_services(settings: GatewaySettings, servers: list[str]) -> AsyncIterator[Services]:
    """Connect to NATS, build the services and their background tasks; drain NATS on exit.

    Raises:
        BusUnavailable: NATS or JetStream unreachable.
    """
    reconnected = asyncio.Event()
    on_reconnect: list[Callable[[], None]] = []  # filled below, once the cluster exists
    overrun: list[Callable[[str], None]] = []  # set below, once the connect hub exists

    def on_state(state: str) -> None:
        if state == "reconnected":
            reconnected.set()
            for handler in on_reconnect:
                handler()

    def on_slow_consumer(subject: str) -> None:
        for handler in overrun:
            handler(subject)

    nc = await connect_nats(
        servers,
        name=f"relay-gateway-{settings.replica_id}",
        on_state=on_state,
        on_slow_consumer=on_slow_consumer,
        wait=settings.nats_connect_wait,
    )
    tasks: list[asyncio.Task[None]] = []
    buses: list[NatsBus] = []
    cluster: NatsCluster | None = None
    try:
        root = settings.nats_root

        def replicas() -> int:  # asked whenever a bucket is created: explicit setting, else auto
            return settings.kv_replicas or auto_replicas(nc)

        # The buckets open lazily and heal themselves (re-created when missing); none is needed
        # to start serving: until they open, /readyz says 503 and access requests get 503.
        buckets = (
            Bucket(
                nc,
                BucketSpec(name=f"{root}_codes", ttl=settings.code_ttl + 5, memory=True),
                replicas=replicas,
            ),
            Bucket(nc, BucketSpec(name=f"{root}_bookings", ttl=None, memory=False), replicas=replicas),
            Bucket(nc, BucketSpec(name=f"{root}_replicas", ttl=PRESENCE_TTL, memory=True), replicas=replicas),
        )
        # The bucket keeps codes a little longer than the TTL; freshness is checked at redemption.
        codes = KvCodeStore(buckets[0], ttl=settings.code_ttl)
        bookings = KvBookings(buckets[1])
        cluster = NatsCluster(nc, buckets[2], root=root, replica_id=settings.replica_id)
        services_ref: list[Services] = []
        # One memory budget for the whole replica: both hubs' queues and both buses (docs/memory.md).
        budget = MemoryBudget(limit=settings.memory_limit)
        metrics = Metrics(lambda: services_ref[0].sessions(), budget)
        bus = NatsBus(
            nc,
            root=root,
            on_delay=metrics.relay_delay.observe,
            budget=budget,
            max_message=settings.max_message,
        )
        hub = Hub(bus, budget=budget)
        connect_bus = NatsBus(
            nc, root=root, kind=CONNECT_KIND, budget=budget, max_message=settings.max_message, lossless=True
        )
        connect_hub = Hub(connect_bus, budget=budget, stall=settings.stall_timeout)
        buses.extend((bus, connect_bus))

        async def ready() -> bool:
            # Access and relaying work: NATS connected and every bucket answers (healed if missing).
            if not nc.is_connected:
                return False
            return all(await asyncio.gather(*(bucket.probe() for bucket in buckets)))

        services = Services(
            settings=settings,
            bus=bus,
            hub=hub,
            connect_hub=connect_hub,
            codes=codes,
            bookings=bookings,
            metrics=metrics,
            clock=time.time,
            ready=ready,
            gather=cluster.gather,
            announce_revoke=cluster.announce_revoke,
            announce_pair_end=cluster.announce_pair_end,
        )
        services_ref.append(services)
        overrun.append(lambda subject: _overrun(connect_hub, subject))
        await cluster.start(
            on_revoke=services.revoke_local,
            local_records=services.local_records,
            on_pair_end=services.close_pair,
        )
        on_reconnect.append(cluster.reannounce)  # the presence bucket may be new and empty
        if not await _open_buckets(buckets, quiet=False):
            tasks.append(spawn("open-buckets", lambda: _open_until_done(buckets, cluster)))
        else:
            await cluster.announce_presence()
        reporter = StatsReporter(services, every=settings.stats_every)
        tasks.append(spawn("stats-reporter", reporter.run))
        tasks.append(spawn("tidy", lambda: _tidy(services, settings.tidy_every)))
        tasks.append(spawn("reconcile", lambda: _reconcile(services, reconnected)))
        yield services
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if cluster is not None:
            await cluster.stop()
        for pending in buses:
            await pending.flush()  # what the last iteration gathered goes out before the drain
        try:
            with nats_errors("NATS drain failed"):
                await nc.drain()
        except BusUnavailable as exc:
            log.debug("%s", exc.reason)


async def _open_buckets(buckets: tuple[Bucket, ...], *, quiet: bool) -> bool:
    """Try once to open every bucket; True when all are open."""
    try:
        async with asyncio.timeout(2 * JS_TIMEOUT):
            await asyncio.gather(*(bucket.open() for bucket in buckets if not bucket.is_open))
    except (BusUnavailable, TimeoutError) as exc:
        if not quiet:
            reason = exc.reason if isinstance(exc, BusUnavailable) else "timeout"
            log.warning("JetStream not ready (%s); retrying in the background, not ready meanwhile", reason)
        return False
    return True


async def _open_until_done(buckets: tuple[Bucket, ...], cluster: NatsCluster) -> None:
    """Open the buckets a fresh cluster was not ready for at start-up, with backoff."""
    for delay in backoff(first=0.2, cap=5.0):
        await asyncio.sleep(delay)
        if await _open_buckets(buckets, quiet=True):
            log.info("JetStream ready: buckets open")
            cluster.reannounce()
            return


def _overrun(hub: Hub, subject: str) -> None:
    """NATS dropped messages of a subscription: a lossless (ssh) stream is now corrupt, so end it
    loudly rather than deliver a stream with a hole in it."""
    found = topic_of_subject(subject)
    if found is None or found[0] != CONNECT_KIND:
        return
    for session in hub.sessions():
        if session.topic == found[1]:
            session.request_close(CloseCode.INTERNAL, "stream overrun")


async def _tidy(services: Services, every: float) -> None:
    """Remove expired deny/allow entries (every replica may; deleting twice is harmless)."""
    while True:
        await asyncio.sleep(max(1.0, every))
        try:
            removed = await services.bookings.tidy()
        except BusUnavailable as exc:
            log.warning("tidy failed: %s", exc.reason)
            continue
        if removed:
            log.info("tidied %d expired booking entries", removed)


async def _reconcile(services: Services, reconnected: asyncio.Event) -> None:
    """Close live connections of denied bookings whose revocation message this replica missed
    (it was cut off from NATS at the time): after every reconnect, and every 30 s."""
    while True:
        try:
            await asyncio.wait_for(reconnected.wait(), RECONCILE_EVERY)
        except TimeoutError:
            pass
        reconnected.clear()
        try:
            closed = await services.reconcile()
        except BusUnavailable as exc:
            log.warning("reconcile postponed: %s", exc.reason)
            continue
        if closed:
            log.info("reconcile closed %d connections of denied bookings", closed)
