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
from gateway.natsbus import NATS_ERRORS, NatsBus, connect_nats
from gateway.natscluster import NatsCluster
from gateway.natsstore import KvBookings, KvCodeStore
from gateway.reporter import StatsReporter
from gateway.services import Services
from gateway.settings import GatewaySettings
from gateway.subjects import CONNECT_KIND, topic_of_subject
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
    overrun: list[Callable[[str], None]] = []  # set below, once the connect hub exists

    def on_state(state: str) -> None:
        if state == "reconnected":
            reconnected.set()

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
        root, replicas = settings.nats_root, settings.kv_replicas
        codes = await KvCodeStore.open(nc, root=root, ttl=settings.code_ttl, replicas=replicas)
        bookings = await KvBookings.open(nc, root=root, replicas=replicas)
        cluster = await NatsCluster.open(nc, root=root, replica_id=settings.replica_id, replicas=replicas)
        services_ref: list[Services] = []
        metrics = Metrics(lambda: services_ref[0].sessions())
        # One memory budget for the whole replica: both hubs' queues and both buses (docs/memory.md).
        budget = MemoryBudget(limit=settings.memory_limit)
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
        js = nc.jetstream()

        async def ready() -> bool:
            if not nc.is_connected:
                return False
            try:
                await asyncio.wait_for(js.account_info(), 1.0)
            except NATS_ERRORS:  # includes TimeoutError
                return False
            return True

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
        reporter = StatsReporter(services, every=settings.stats_every)
        tasks.append(asyncio.create_task(reporter.run(), name="stats-reporter"))
        tasks.append(asyncio.create_task(_tidy(services, settings.tidy_every), name="tidy"))
        tasks.append(asyncio.create_task(_reconcile(services, reconnected), name="reconcile"))
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
            await nc.drain()
        except NATS_ERRORS:
            log.debug("NATS drain failed", exc_info=True)


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
        bookings = {s.booking_id for s in services.hub.sessions() if s.booking_id}
        for booking_id in bookings:
            try:
                if await services.bookings.is_denied(booking_id):
                    services.revoke_local(booking_id)
            except BusUnavailable:
                break
