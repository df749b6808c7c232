"""The collaborators a running gateway's routes share, built once at start-up."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from gateway.bookings import BookingLists, MemoryBookings
from gateway.bus import Bus
from gateway.codes import CodeStore
from gateway.denials import DenyCache
from gateway.hub import Hub
from gateway.metrics import Metrics
from gateway.session import Session
from gateway.settings import GatewaySettings
from gateway.stats import reporter_record, session_record
from gateway.verifier import Verifier, plain_verifier
from gateway.wire import CloseCode


async def _no_peers(timeout: float = 0.5) -> list[dict[str, Any]]:
    return []


async def _nobody_to_tell(booking_id: str) -> None:
    return None


async def _no_pair_news(pair: str, code: int, reason: str) -> None:
    return None


async def _always_ready() -> bool:
    return True


@dataclass(slots=True, kw_only=True)
class Services:
    settings: GatewaySettings
    bus: Bus
    hub: Hub
    codes: CodeStore
    connect_hub: Hub | None = None  # ssh (jump) topics: lossless, a namespace of their own
    bookings: BookingLists = field(default_factory=MemoryBookings)
    metrics: Metrics | None = None  # built in __post_init__ when not given
    clock: Callable[[], float] = time.time  # unix seconds
    ready: Callable[[], Awaitable[bool]] = _always_ready  # NATS connected and KV reachable
    gather: Callable[[float], Awaitable[list[dict[str, Any]]]] = _no_peers  # other replicas' records
    announce_revoke: Callable[[str], Awaitable[None]] = _nobody_to_tell  # tell other replicas
    announce_pair_end: Callable[[str, int, str], Awaitable[None]] = _no_pair_news  # an ssh pair ended
    started_at: float = field(default_factory=time.time)
    draining: bool = False  # set once when shutdown starts
    denials: DenyCache | None = None  # built in __post_init__: the connection checks' deny reads
    verifier: Verifier | None = None  # every bearer token's verifier; from settings on first use if None

    def __post_init__(self) -> None:
        if self.metrics is None:
            self.metrics = Metrics(self.sessions)
        if self.denials is None:
            self.denials = DenyCache(self.bookings)

    async def is_denied(self, booking_id: str) -> bool:
        """The deny check of a connection being admitted (briefly cached; gateway.denials).

        Raises:
            BusUnavailable: the deny list cannot be read.
        """
        assert self.denials is not None
        return await self.denials.is_denied(booking_id)

    def hubs(self) -> tuple[Hub, ...]:
        return (self.hub,) if self.connect_hub is None else (self.hub, self.connect_hub)

    def sessions(self) -> Iterator[Session]:
        for hub in self.hubs():
            yield from hub.sessions()

    @property
    def tokens(self) -> Verifier:
        """The verifier: the server's (``Gateway.serve`` sets it), else one from the key files."""
        if self.verifier is None:
            self.verifier = plain_verifier(self.settings)
        return self.verifier

    @property
    def meters(self) -> Metrics:
        assert self.metrics is not None
        return self.metrics

    def revoke_local(self, booking_id: str) -> int:
        """Close this replica's connections of ``booking_id`` with 4503; return how many."""
        if self.denials is not None:
            self.denials.forget(booking_id)  # before anything else: no cached "not denied" left
        sessions = [s for hub in self.hubs() for s in hub.sessions_of_booking(booking_id)]
        for session in sessions:
            session.request_close(CloseCode.BOOKING_REVOKED, "booking cancelled")
        self.meters.revocations.inc(len(sessions))
        return len(sessions)

    async def reconcile(self) -> int:
        """Close this replica's connections (sessions and ssh pairs) of bookings denied meanwhile.

        For revocations this replica missed (it was cut off from NATS when they were announced).

        Raises:
            BusUnavailable: the deny list cannot be read.
        """
        closed = 0
        for booking_id in {s.booking_id for s in self.sessions() if s.booking_id}:
            if await self.bookings.is_denied(booking_id):
                closed += self.revoke_local(booking_id)
        return closed

    def local_records(self) -> list[dict[str, Any]]:
        replica = self.settings.replica_id
        records = [session_record(s, replica) for s in self.sessions()]
        records.append(reporter_record(replica, self.started_at))
        return records

    def close_pair(self, pair: str, code: int = CloseCode.NORMAL, reason: str = "peer disconnected") -> int:
        """Close this replica's connections of an ssh pair whose other side ended."""
        if self.connect_hub is None:
            return 0
        sessions = [s for s in self.connect_hub.sessions() if s.pair == pair]
        for session in sessions:
            session.request_close(code, reason)
        return len(sessions)

    async def end_pair(self, pair: str, client_close: tuple[int, str] | None = None) -> None:
        """One side of an ssh pair ended: close the rest of it here and on every replica.

        An error the ending side gave (1011 or an application code, e.g. hostd's "cannot reach
        127.0.0.1:22") is passed on to the other side, so the ssh user learns why.
        """
        code, reason = int(CloseCode.NORMAL), "peer disconnected"
        if client_close is not None and (client_close[0] == 1011 or 3000 <= client_close[0] < 5000):
            code, reason = client_close
        self.close_pair(pair, code, reason)
        await self.announce_pair_end(pair, code, reason)

    async def all_records(self, timeout: float = 0.5) -> list[dict[str, Any]]:
        """Connection records of every replica that answers within ``timeout``."""
        return self.local_records() + await self.gather(timeout)
