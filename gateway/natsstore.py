"""JetStream key-value adapters: one-time codes and booking lists shared by all replicas."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import nats.js.errors
from nats.aio.client import Client as NatsClient
from nats.js.api import KeyValueConfig, StorageType

from gateway.bookings import booking_key
from gateway.codes import check_code_syntax, check_fresh, new_code
from gateway.errors import BusUnavailable, CodeRejected
from gateway.grants import Grant
from gateway.natsbus import NATS_ERRORS

# JetStream's answers to a write naming a revision that is no longer the last one.
WRONG_LAST_SEQUENCE = (10071, 10164)


async def open_bucket(nc: NatsClient, *, bucket: str, ttl: float | None, replicas: int, memory: bool) -> Any:
    """Bind to ``bucket``, creating it when absent.

    Raises:
        BusUnavailable: JetStream is not enabled or not reachable.
    """
    js = nc.jetstream()
    try:
        try:
            return await js.key_value(bucket)
        except nats.js.errors.BucketNotFoundError:
            config = KeyValueConfig(
                bucket=bucket,
                history=1,
                ttl=ttl,
                replicas=replicas,
                storage=StorageType.MEMORY if memory else StorageType.FILE,
            )
            return await js.create_key_value(config)
    except NATS_ERRORS as exc:
        raise BusUnavailable(f"cannot open JetStream bucket {bucket}: {exc}") from exc


class KvCodeStore:
    """Codes in a JetStream KV bucket whose entries age out after the code TTL."""

    def __init__(self, kv: Any, *, ttl: float) -> None:
        self._kv = kv
        self._ttl = ttl

    @classmethod
    async def open(cls, nc: NatsClient, *, root: str, ttl: float, replicas: int) -> KvCodeStore:
        # The bucket keeps entries a little longer than the TTL; freshness is checked at redemption.
        kv = await open_bucket(nc, bucket=f"{root}_codes", ttl=ttl + 5, replicas=replicas, memory=True)
        return cls(kv, ttl=ttl)

    async def mint(self, grant: Grant) -> str:
        code = new_code()
        try:
            await self._kv.create(code, grant.to_json())
        except NATS_ERRORS as exc:
            raise BusUnavailable(f"cannot store code: {type(exc).__name__}") from exc
        return code

    async def redeem(self, code: str) -> Grant:
        check_code_syntax(code)
        try:
            entry = await self._kv.get(code)
        except nats.js.errors.KeyNotFoundError as exc:  # includes deleted keys
            raise CodeRejected("invalid code") from exc
        except NATS_ERRORS as exc:
            raise BusUnavailable(f"cannot read code: {type(exc).__name__}") from exc
        try:
            # Only one delete naming this revision succeeds, whichever replica sends it first.
            await self._kv.delete(code, last=entry.revision)
        except nats.js.errors.APIError as exc:
            if exc.err_code in WRONG_LAST_SEQUENCE:
                raise CodeRejected("code already used") from exc
            raise BusUnavailable(f"cannot consume code: JetStream error {exc.code}") from exc
        except NATS_ERRORS as exc:
            raise BusUnavailable(f"cannot consume code: {type(exc).__name__}") from exc
        return check_fresh(Grant.from_json(entry.value), self._ttl, time.time())


class KvBookings:
    """Deny/allow lists in one KV bucket: keys ``deny.<b64 id>`` and ``allow.<b64 id>``."""

    def __init__(self, kv: Any, *, clock: Callable[[], float] = time.time) -> None:
        self._kv = kv
        self._clock = clock

    @classmethod
    async def open(cls, nc: NatsClient, *, root: str, replicas: int) -> KvBookings:
        kv = await open_bucket(nc, bucket=f"{root}_bookings", ttl=None, replicas=replicas, memory=False)
        return cls(kv)

    async def _put(self, kind: str, booking_id: str, exp: int) -> None:
        value = json.dumps({"bid": booking_id, "exp": exp}).encode()
        try:
            await self._kv.put(booking_key(kind, booking_id), value)
        except NATS_ERRORS as exc:
            raise BusUnavailable(f"cannot update booking list: {type(exc).__name__}") from exc

    async def _delete(self, kind: str, booking_id: str) -> None:
        try:
            await self._kv.delete(booking_key(kind, booking_id))
        except NATS_ERRORS as exc:
            raise BusUnavailable(f"cannot update booking list: {type(exc).__name__}") from exc

    async def deny(self, booking_id: str, exp: int) -> None:
        await self._put("deny", booking_id, exp)
        await self._delete("allow", booking_id)

    async def allow(self, booking_id: str, exp: int) -> None:
        await self._delete("deny", booking_id)
        await self._put("allow", booking_id, exp)

    async def note_used(self, booking_id: str, exp: int) -> None:
        await self._put("allow", booking_id, exp)

    async def is_denied(self, booking_id: str) -> bool:
        try:
            entry = await self._kv.get(booking_key("deny", booking_id))
        except nats.js.errors.KeyNotFoundError:
            return False
        except NATS_ERRORS as exc:
            raise BusUnavailable(f"cannot read deny list: {type(exc).__name__}") from exc
        return int(json.loads(entry.value)["exp"]) >= self._clock()

    async def _entries(self, kind: str) -> list[tuple[str, str, int]]:
        """(key, booking id, exp) of every entry of ``kind``, expired ones included."""
        entries = []
        try:
            # A watch delivers the current value of every matching key, then None.
            watcher = await self._kv.watch(f"{kind}.>", ignore_deletes=True)
            try:
                async for entry in watcher:
                    if entry is None:
                        break
                    if entry.value:
                        raw = json.loads(entry.value)
                        entries.append((entry.key, str(raw["bid"]), int(raw["exp"])))
            finally:
                await watcher.stop()
        except NATS_ERRORS as exc:
            raise BusUnavailable(f"cannot list bookings: {type(exc).__name__}") from exc
        return entries

    async def denied(self) -> list[str]:
        now = self._clock()
        return [bid for _key, bid, exp in await self._entries("deny") if exp >= now]

    async def allowed(self) -> list[str]:
        now = self._clock()
        return [bid for _key, bid, exp in await self._entries("allow") if exp >= now]

    async def tidy(self) -> int:
        now = self._clock()
        removed = 0
        for kind in ("deny", "allow"):
            for key, _bid, exp in await self._entries(kind):
                if exp < now:
                    try:
                        await self._kv.delete(key)
                        removed += 1
                    except NATS_ERRORS:
                        continue  # another replica may be tidying too; next round will see it
        return removed
