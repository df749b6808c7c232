"""What replicas tell each other over NATS besides topic traffic.

- ``<root>.revoke``: a booking id whose connections every replica closes at once.
- ``<root>.pairend``: an ssh pair ended; the other side closes wherever it is.
- ``<root>.status``: scatter/gather of every replica's connection records.
- ``<root>_replicas`` KV bucket: presence heartbeats, so a gather knows whom to wait for.

Messages from other replicas are decoded tolerantly: unknown fields are ignored, missing ones
defaulted, malformed ones logged (rate-limited) and skipped; no exception reaches nats-py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from typing import Any, Final

from nats.aio.client import Client as NatsClient

from gateway.errors import BusUnavailable
from gateway.natsbus import flush_ordered
from gateway.natserrors import nats_errors
from gateway.natsstore import Bucket, decode_record, limited
from gateway.supervise import spawn
from gateway.wire import CloseCode

log = logging.getLogger(__name__)

HEARTBEAT: Final = 5.0  # seconds between presence updates
PRESENCE_TTL: Final = 15.0  # seconds a silent replica stays listed


def decode_revoke(data: bytes | None) -> str | None:
    """The booking id of a revocation message, or None when malformed."""
    raw = decode_record(data, "revocation message")
    bid = None if raw is None else raw.get("bid")
    if raw is not None and not isinstance(bid, str):
        limited.warning("revocation message", "ignoring malformed revocation message")
    return bid if isinstance(bid, str) else None


def decode_pair_end(data: bytes | None) -> tuple[str, int, str] | None:
    """(pair, close code, reason) of a pair-end message; code and reason have defaults."""
    raw = decode_record(data, "pair-end message")
    if raw is None:
        return None
    pair, code, reason = raw.get("pair"), raw.get("code", int(CloseCode.NORMAL)), raw.get("reason")
    if not isinstance(pair, str) or isinstance(code, bool) or not isinstance(code, int):
        limited.warning("pair-end message", "ignoring malformed pair-end message")
        return None
    return pair, code, reason if isinstance(reason, str) else "peer disconnected"


def decode_status_reply(data: bytes | None) -> tuple[str, list[dict[str, Any]]] | None:
    """(replica, records) of a status answer; records that are not objects are dropped."""
    raw = decode_record(data, "status answer")
    if raw is None:
        return None
    replica, records = raw.get("replica"), raw.get("records", [])
    if not isinstance(replica, str) or not isinstance(records, list):
        limited.warning("status answer", "ignoring malformed status answer")
        return None
    return replica, [r for r in records if isinstance(r, dict)]


def _guarded(what: str, handler: Callable[[], object]) -> None:
    """Run a local handler from a NATS callback: a bug is logged, never raised into nats-py."""
    try:
        handler()
    except Exception:
        log.exception("handling %s failed", what)


class NatsCluster:
    def __init__(self, nc: NatsClient, presence: Bucket, *, root: str, replica_id: str) -> None:
        self._nc = nc
        self._presence = presence
        self._root = root
        self.replica_id = replica_id
        self._subs: list[Any] = []
        self._heartbeat: asyncio.Task[None] | None = None
        self._announce = asyncio.Event()  # set to send a heartbeat at once (after a reconnect)

    async def start(
        self,
        *,
        on_revoke: Callable[[str], object],
        local_records: Callable[[], list[dict[str, Any]]],
        on_pair_end: Callable[[str, int, str], object],
    ) -> None:
        """Subscribe to the cluster subjects and start the (supervised) heartbeat.

        Raises:
            BusUnavailable: NATS refused a subscription.
        """

        async def revoked(msg: Any) -> None:
            bid = decode_revoke(msg.data)
            if bid is not None:
                _guarded("revocation", lambda: on_revoke(bid))

        async def status(msg: Any) -> None:
            try:
                body = json.dumps({"replica": self.replica_id, "records": local_records()}).encode()
            except Exception:
                log.exception("building the status answer failed")
                return
            with contextlib.suppress(BusUnavailable), nats_errors("cannot answer status"):
                await msg.respond(body)

        async def pair_ended(msg: Any) -> None:
            news = decode_pair_end(msg.data)
            if news is not None:
                _guarded("pair end", lambda: on_pair_end(*news))

        with nats_errors("cannot subscribe to cluster subjects"):
            self._subs.append(await self._nc.subscribe(f"{self._root}.revoke", cb=revoked))
            self._subs.append(await self._nc.subscribe(f"{self._root}.pairend", cb=pair_ended))
            self._subs.append(await self._nc.subscribe(f"{self._root}.status", cb=status))
        self._heartbeat = spawn("heartbeat", self._beat_forever)

    def reannounce(self) -> None:
        """Put this replica's presence entry again at once (after a reconnect the presence
        bucket may have been re-created empty)."""
        self._announce.set()

    async def announce_presence(self) -> None:
        """Put this replica's presence entry (failures are logged, rate-limited)."""
        value = json.dumps({"seen": time.time()}).encode()
        try:
            await self._presence.run("cannot announce presence", lambda kv: kv.put(self.replica_id, value))
        except BusUnavailable as exc:
            limited.warning("presence", "presence not announced: %s", exc.reason)

    async def _beat_forever(self) -> None:
        while True:
            self._announce.clear()
            if self._presence.is_open:  # else the bucket opener calls reannounce() once it is
                await self.announce_presence()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._announce.wait(), HEARTBEAT)

    async def stop(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            await asyncio.gather(self._heartbeat, return_exceptions=True)
        # Purged rather than deleted: no tombstone stays listed as a replica to wait for.
        with contextlib.suppress(BusUnavailable):
            await self._presence.purge("cannot remove presence", self.replica_id)

    async def announce_revoke(self, booking_id: str) -> None:
        """Tell the other replicas (this one was told directly: the connection has no echo)."""
        with nats_errors("cannot announce revocation"):
            await self._nc.publish(f"{self._root}.revoke", json.dumps({"bid": booking_id}).encode())
            await flush_ordered(self._nc, 2)

    async def announce_pair_end(self, pair: str, code: int, reason: str) -> None:
        news = json.dumps({"pair": pair, "code": code, "reason": reason}).encode()
        with nats_errors("cannot announce pair end"):
            await self._nc.publish(f"{self._root}.pairend", news)

    async def peers(self) -> set[str]:
        """Replicas with a presence entry, this one excepted (empty when unknown)."""
        try:
            keys = await self._presence.keys("cannot list replicas")
        except BusUnavailable:
            return set()
        return {k for k in keys if k != self.replica_id}

    async def gather(self, timeout: float = 0.5) -> list[dict[str, Any]]:
        """Records of every other replica that answers within ``timeout`` seconds.

        Raises:
            BusUnavailable: the request could not be sent.
        """
        expected = await self.peers()
        if not expected:
            return []
        inbox = self._nc.new_inbox()
        answers: dict[str, list[dict[str, Any]]] = {}
        complete = asyncio.Event()

        async def collect(msg: Any) -> None:
            reply = decode_status_reply(msg.data)
            if reply is None:
                return
            answers[reply[0]] = reply[1]
            if expected <= answers.keys():
                complete.set()

        with nats_errors("cannot gather status"):
            sub = await self._nc.subscribe(inbox, cb=collect)
        try:
            with nats_errors("cannot gather status"):
                await self._nc.publish(f"{self._root}.status", b"", reply=inbox)
            await asyncio.wait_for(complete.wait(), timeout)
        except TimeoutError:
            missing = expected - answers.keys()
            log.info("status gather: no answer from %s", ", ".join(sorted(missing)))
        finally:
            with contextlib.suppress(BusUnavailable), nats_errors("cannot unsubscribe"):
                await sub.unsubscribe()
        return [record for records in answers.values() for record in records]


MAX_AUTO_REPLICAS: Final = 3  # JetStream replicas chosen automatically at most


def auto_replicas(nc: NatsClient) -> int:
    """KV replicas for a bucket created now: the NATS cluster's size, at most 3; 1 unclustered.

    The size is the number of distinct client URLs the servers told us about: the INFO of the
    server we are connected to (its ``connect_urls`` list every clustered server, itself
    included) and the servers discovered since. An INFO without a ``cluster`` name means a
    single server. A node that is down when a bucket is created is not counted.
    """
    info: dict[str, Any] = getattr(nc, "_server_info", None) or {}
    if not info.get("cluster"):
        return 1
    urls = {str(url) for url in info.get("connect_urls") or ()}
    for server in getattr(nc, "_server_pool", ()):
        if getattr(server, "discovered", False):
            urls.add(server.uri.netloc)
    return max(1, min(MAX_AUTO_REPLICAS, len(urls)))
