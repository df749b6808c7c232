"""JetStream key-value adapters: buckets that heal, one-time codes and booking lists.

A ``Bucket`` opens lazily and re-creates its stream (same config) when it has gone missing:
memory streams vanish when NATS restarts. Errors are translated by ``gateway.natserrors``.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import nats.js.errors
from nats.aio.client import Client as NatsClient
from nats.js.api import KeyValueConfig, StorageType

from gateway.bookings import booking_key
from gateway.codes import check_code_syntax, check_fresh, new_code
from gateway.errors import BusUnavailable, CodeRejected
from gateway.grants import Grant
from gateway.logs import RateLimitedLog
from gateway.natserrors import WRONG_LAST_SEQUENCE, BucketMissing, nats_errors

log = logging.getLogger(__name__)

T = TypeVar("T")

JS_TIMEOUT: Final = 2.0  # seconds a JetStream API call may take (nats-py's default is 5 s)
PROBE_TIMEOUT: Final = 1.0  # seconds a readiness probe of one bucket may take
OPEN_RETRY: Final = 1.0  # seconds after a failed open during which operations fail at once
READ_BATCH: Final = 64  # keys read concurrently when listing


limited = RateLimitedLog(log)


def decode_record(data: bytes | None, what: str) -> dict[str, Any] | None:
    """A JSON object another replica wrote, or None (logged, rate-limited) when malformed."""
    try:
        value = json.loads(data or b"")
    except ValueError:
        value = None
    if not isinstance(value, dict):
        limited.warning(what, "ignoring malformed %s", what)
        return None
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class BucketSpec:
    name: str
    ttl: float | None  # seconds an entry lives; None = until deleted
    memory: bool  # memory storage (gone after a NATS restart) rather than file


class Bucket:
    """One KV bucket: bound on first use, re-created with the same config when it is missing.

    ``replicas`` is asked at each creation (the cluster may have grown since start-up).
    """

    def __init__(self, nc: NatsClient | None, spec: BucketSpec, *, replicas: Callable[[], int]) -> None:
        self._nc = nc
        self.spec = spec
        self._replicas = replicas
        self._js: Any = nc.jetstream(timeout=JS_TIMEOUT) if nc is not None else None
        self._kv: Any = None  # the bound nats-py KeyValue; replaced only under _lock
        self._lock = asyncio.Lock()
        self._retry_at = 0.0  # monotonic time before which a failed open is not retried

    @classmethod
    def bound(cls, kv: Any, name: str = "bucket") -> Bucket:
        """A bucket around an already bound nats-py KeyValue, used as is (never re-created)."""
        bucket = cls(None, BucketSpec(name=name, ttl=None, memory=True), replicas=lambda: 1)
        bucket._kv = kv
        return bucket

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def is_open(self) -> bool:
        return self._kv is not None

    async def open(self) -> None:
        """Bind to the bucket, creating it when absent.

        Raises:
            BusUnavailable: JetStream is not enabled, not ready or not reachable.
        """
        if self._kv is None:
            await self._reopen(None)

    async def _reopen(self, stale: Any) -> Any:
        async with self._lock:
            if self._kv is not None and self._kv is not stale:
                return self._kv  # someone else re-opened it while we waited
            # On failure the stale binding stays: "missing" may have been a leader election.
            spec = self.spec
            try:
                with nats_errors(f"cannot open JetStream bucket {spec.name}"):
                    try:
                        kv = await self._js.key_value(spec.name)
                    except nats.js.errors.BucketNotFoundError:
                        config = KeyValueConfig(
                            bucket=spec.name,
                            history=1,
                            ttl=spec.ttl,
                            replicas=self._replicas(),
                            storage=StorageType.MEMORY if spec.memory else StorageType.FILE,
                        )
                        kv = await self._js.create_key_value(config)
            except BusUnavailable:
                self._retry_at = time.monotonic() + OPEN_RETRY
                raise
            self._kv = kv
            return kv

    async def run(self, what: str, op: Callable[[Any], Awaitable[T]]) -> T:
        """``op(kv)`` with nats-py errors translated; re-create a missing bucket and retry once.

        Fails at once while NATS is disconnected or the bucket is still being opened.

        Raises:
            BusUnavailable: NATS or JetStream cannot do it.
        """
        if self._nc is not None and not self._nc.is_connected:
            raise BusUnavailable(f"{what}: NATS not connected")
        kv = self._kv
        if kv is None:
            if self._lock.locked() or time.monotonic() < self._retry_at:
                raise BusUnavailable(f"{what}: JetStream bucket {self.name} not ready")
            kv = await self._reopen(None)
        try:
            with nats_errors(what):
                return await op(kv)
        except BucketMissing:
            if self._nc is None:
                raise
            log.warning("JetStream bucket %s is missing; re-creating it", self.name)
            kv = await self._reopen(kv)
            with nats_errors(what):
                return await op(kv)

    async def probe(self) -> bool:
        """True when the bucket answers a status request (re-creating it when missing)."""
        try:
            async with asyncio.timeout(PROBE_TIMEOUT):
                await self.run(f"probe {self.name}", lambda kv: kv.status())
        except (BusUnavailable, TimeoutError):
            return False
        return True

    def _subject(self, key: str) -> str:
        return f"$KV.{self.name}.{key}"

    async def keys(self, what: str, prefix: str = "") -> list[str]:
        """Keys with a message in the stream under ``prefix`` (deleted ones included).

        Reads the stream's subjects (stream info with a subject filter) rather than a KV
        watch, whose "initial values done" marker can come early (nats-io/nats.py#842).
        """
        stream, start = f"KV_{self.name}", len(self._subject(""))
        pattern = self._subject(f"{prefix}>" if prefix else ">")

        async def subjects(kv: Any) -> list[str]:
            info = await self._js.stream_info(stream, subjects_filter=pattern)
            return [subject[start:] for subject in (info.state.subjects or {})]

        return await self.run(what, subjects)

    async def purge(self, what: str, key: str, *, before: int | None = None) -> None:
        """Remove ``key`` entirely (no tombstone); with ``before``, only revisions below it."""
        stream = f"KV_{self.name}"
        await self.run(what, lambda kv: self._js.purge_stream(stream, seq=before, subject=self._subject(key)))


class KvCodeStore:
    """Codes in a JetStream KV bucket whose entries age out after the code TTL."""

    def __init__(self, bucket: Bucket | Any, *, ttl: float) -> None:
        # A raw nats-py KeyValue (tests) is used as is.
        self._bucket = bucket if isinstance(bucket, Bucket) else Bucket.bound(bucket, "codes")
        self._ttl = ttl

    async def mint(self, grant: Grant) -> str:
        code = new_code()
        await self._bucket.run("cannot store code", lambda kv: kv.create(code, grant.to_json()))
        return code

    async def redeem(self, code: str) -> Grant:
        check_code_syntax(code)

        async def read(kv: Any) -> Any:
            try:
                return await kv.get(code)
            except nats.js.errors.KeyNotFoundError as exc:  # includes deleted keys
                raise CodeRejected("invalid code") from exc

        entry = await self._bucket.run("cannot read code", read)

        async def consume(kv: Any) -> None:
            try:
                # Only one delete naming this revision succeeds, whichever replica sends it first.
                await kv.delete(code, last=entry.revision)
            except nats.js.errors.APIError as exc:
                if exc.err_code in WRONG_LAST_SEQUENCE:
                    raise CodeRejected("code already used") from exc
                raise

        await self._bucket.run("cannot consume code", consume)
        return check_fresh(Grant.from_json(entry.value), self._ttl, time.time())


def booking_of_key(key: str) -> str | None:
    """The booking id a ``deny.<b64>``/``allow.<b64>`` key names (inverse of booking_key)."""
    encoded = key.partition(".")[2]
    try:
        return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except ValueError:
        return None


def decode_booking(key: str, data: bytes | None) -> tuple[str, int] | None:
    """(booking id, exp) of a deny/allow entry; unknown fields ignored, ``bid`` defaults to
    the one the key names; None (logged) when malformed."""
    raw = decode_record(data, "booking list entry")
    if raw is None:
        return None
    bid, exp = raw.get("bid", booking_of_key(key)), raw.get("exp")
    if not isinstance(bid, str) or isinstance(exp, bool) or not isinstance(exp, int | float):
        limited.warning("booking list entry", "ignoring malformed booking list entry")
        return None
    return bid, int(exp)


@dataclass(frozen=True, slots=True)
class BookingEntry:
    key: str
    booking_id: str
    exp: int  # unix seconds
    revision: int


class KvBookings:
    """Deny/allow lists in one KV bucket: keys ``deny.<b64 id>`` and ``allow.<b64 id>``."""

    NOTE_AGAIN_AFTER = 60.0  # seconds a replica trusts its own note_used put
    NOTED_MAX = 10_000  # bookings remembered as noted (then the memory starts afresh)

    def __init__(self, bucket: Bucket, *, clock: Callable[[], float] = time.time) -> None:
        self._bucket = bucket
        self._clock = clock
        # booking id -> (exp, when) of this replica's last note_used put: a booking's users ask
        # for sessions again and again, and one KV put per access request was ~10 % of its CPU.
        self._noted: dict[str, tuple[int, float]] = {}

    async def _put(self, kind: str, booking_id: str, exp: int) -> None:
        value = json.dumps({"bid": booking_id, "exp": exp}).encode()
        key = booking_key(kind, booking_id)
        await self._bucket.run("cannot update booking list", lambda kv: kv.put(key, value))

    async def _delete(self, kind: str, booking_id: str) -> None:
        # Purged rather than deleted: no tombstone stays for every listing to step over.
        await self._bucket.purge("cannot update booking list", booking_key(kind, booking_id))

    async def deny(self, booking_id: str, exp: int) -> None:
        self._noted.pop(booking_id, None)
        await self._put("deny", booking_id, exp)
        await self._delete("allow", booking_id)

    async def allow(self, booking_id: str, exp: int) -> None:
        self._noted.pop(booking_id, None)
        await self._delete("deny", booking_id)
        await self._put("allow", booking_id, exp)

    async def note_used(self, booking_id: str, exp: int) -> None:
        """Put the booking on the allow list, unless this replica put the same entry lately."""
        now = self._clock()
        noted = self._noted.get(booking_id)
        if noted is not None and noted[0] == exp and now - noted[1] < self.NOTE_AGAIN_AFTER:
            return
        await self._put("allow", booking_id, exp)
        if len(self._noted) >= self.NOTED_MAX:
            self._noted.clear()
        self._noted[booking_id] = (exp, now)

    async def _read(self, key: str, what: str) -> BookingEntry | None:
        async def get(kv: Any) -> Any:
            try:
                return await kv.get(key)
            except nats.js.errors.KeyNotFoundError:  # includes deleted keys
                return None

        entry = await self._bucket.run(what, get)
        if entry is None:
            return None
        decoded = decode_booking(key, entry.value)
        return None if decoded is None else BookingEntry(key, decoded[0], decoded[1], entry.revision)

    async def is_denied(self, booking_id: str) -> bool:
        entry = await self._read(booking_key("deny", booking_id), "cannot read deny list")
        return entry is not None and entry.exp >= self._clock()

    async def _entries(self, kind: str) -> list[BookingEntry]:
        """Every live entry of ``kind``, expired ones included."""
        keys = await self._bucket.keys("cannot list bookings", f"{kind}.")
        found: list[BookingEntry | None] = []
        for start in range(0, len(keys), READ_BATCH):
            batch = keys[start : start + READ_BATCH]
            found += await asyncio.gather(*(self._read(k, "cannot list bookings") for k in batch))
        return [entry for entry in found if entry is not None]

    async def denied(self) -> list[str]:
        now = self._clock()
        return [e.booking_id for e in await self._entries("deny") if e.exp >= now]

    async def allowed(self) -> list[str]:
        now = self._clock()
        return [e.booking_id for e in await self._entries("allow") if e.exp >= now]

    async def tidy(self) -> int:
        now = self._clock()
        removed = 0
        for kind in ("deny", "allow"):
            for entry in await self._entries(kind):
                if entry.exp < now:
                    # Purge up to the revision read: a newer write (a fresh deny) survives, and
                    # no tombstone is left for listings to step over.
                    await self._bucket.purge("cannot tidy bookings", entry.key, before=entry.revision + 1)
                    removed += 1
        return removed
