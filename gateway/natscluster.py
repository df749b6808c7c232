"""What replicas tell each other over NATS besides topic traffic.

- ``<root>.revoke``: a booking id whose connections every replica closes at once.
- ``<root>.status``: scatter/gather of every replica's connection records.
- ``<root>_replicas`` KV bucket: presence heartbeats, so a gather knows whom to wait for.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from typing import Any

from nats.aio.client import Client as NatsClient

from gateway.errors import BusUnavailable
from gateway.natsbus import NATS_ERRORS
from gateway.natsstore import open_bucket

log = logging.getLogger(__name__)

HEARTBEAT = 5.0  # seconds between presence updates
PRESENCE_TTL = 15.0  # seconds a silent replica stays listed


class NatsCluster:
    def __init__(self, nc: NatsClient, presence: Any, *, root: str, replica_id: str) -> None:
        self._nc = nc
        self._presence = presence
        self._root = root
        self.replica_id = replica_id
        self._subs: list[Any] = []
        self._heartbeat: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, nc: NatsClient, *, root: str, replica_id: str, replicas: int) -> NatsCluster:
        presence = await open_bucket(
            nc, bucket=f"{root}_replicas", ttl=PRESENCE_TTL, replicas=replicas, memory=True
        )
        return cls(nc, presence, root=root, replica_id=replica_id)

    async def start(
        self,
        *,
        on_revoke: Callable[[str], object],
        local_records: Callable[[], list[dict[str, Any]]],
        on_pair_end: Callable[[str, int, str], object],
    ) -> None:
        async def revoked(msg: Any) -> None:
            try:
                on_revoke(json.loads(msg.data)["bid"])
            except (ValueError, KeyError, TypeError):
                log.warning("ignoring malformed revocation message")

        async def status(msg: Any) -> None:
            body = json.dumps({"replica": self.replica_id, "records": local_records()}).encode()
            with contextlib.suppress(*NATS_ERRORS):
                await msg.respond(body)

        async def pair_ended(msg: Any) -> None:
            try:
                news = json.loads(msg.data)
                on_pair_end(str(news["pair"]), int(news["code"]), str(news["reason"]))
            except (ValueError, KeyError, TypeError):
                log.warning("ignoring malformed pair-end message")

        try:
            self._subs.append(await self._nc.subscribe(f"{self._root}.revoke", cb=revoked))
            self._subs.append(await self._nc.subscribe(f"{self._root}.pairend", cb=pair_ended))
            self._subs.append(await self._nc.subscribe(f"{self._root}.status", cb=status))
        except NATS_ERRORS as exc:
            raise BusUnavailable(f"cannot subscribe to cluster subjects: {exc}") from exc
        await self._beat()
        self._heartbeat = asyncio.create_task(self._beat_forever())

    async def _beat(self) -> None:
        with contextlib.suppress(*NATS_ERRORS):
            await self._presence.put(self.replica_id, json.dumps({"seen": time.time()}).encode())

    async def _beat_forever(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT)
            await self._beat()

    async def stop(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()
        with contextlib.suppress(*NATS_ERRORS):
            await self._presence.delete(self.replica_id)

    async def announce_revoke(self, booking_id: str) -> None:
        """Tell the other replicas (this one was told directly: the connection has no echo)."""
        try:
            await self._nc.publish(f"{self._root}.revoke", json.dumps({"bid": booking_id}).encode())
            await self._nc.flush(timeout=2)
        except NATS_ERRORS as exc:
            raise BusUnavailable(f"cannot announce revocation: {type(exc).__name__}") from exc

    async def announce_pair_end(self, pair: str, code: int, reason: str) -> None:
        news = json.dumps({"pair": pair, "code": code, "reason": reason}).encode()
        try:
            await self._nc.publish(f"{self._root}.pairend", news)
        except NATS_ERRORS as exc:
            raise BusUnavailable(f"cannot announce pair end: {type(exc).__name__}") from exc

    async def peers(self) -> set[str]:
        try:
            keys = await self._presence.keys()
        except NATS_ERRORS:
            return set()
        return {k for k in keys if k != self.replica_id}

    async def gather(self, timeout: float = 0.5) -> list[dict[str, Any]]:
        """Records of every other replica that answers within ``timeout`` seconds."""
        expected = await self.peers()
        if not expected:
            return []
        inbox = self._nc.new_inbox()
        answers: dict[str, list[dict[str, Any]]] = {}
        complete = asyncio.Event()

        async def collect(msg: Any) -> None:
            try:
                reply = json.loads(msg.data)
                answers[reply["replica"]] = reply["records"]
            except (ValueError, KeyError, TypeError):
                return
            if expected <= answers.keys():
                complete.set()

        try:
            sub = await self._nc.subscribe(inbox, cb=collect)
            await self._nc.publish(f"{self._root}.status", b"", reply=inbox)
        except NATS_ERRORS as exc:
            raise BusUnavailable(f"cannot gather status: {type(exc).__name__}") from exc
        try:
            await asyncio.wait_for(complete.wait(), timeout)
        except TimeoutError:
            missing = expected - answers.keys()
            log.info("status gather: no answer from %s", ", ".join(sorted(missing)))
        finally:
            with contextlib.suppress(*NATS_ERRORS):
                await sub.unsubscribe()
        return [record for records in answers.values() for record in records]
