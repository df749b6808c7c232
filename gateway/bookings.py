"""Deny and allow lists of booking ids (reference 2.3-2.5, 6), with a memory version for tests.

An entry lives until its ``exp`` (unix seconds); lookups ignore expired entries at once, and
a tidy task removes them from the store. The NATS version is ``natsstore.KvBookings``.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from typing import Protocol


def booking_key(kind: str, booking_id: str) -> str:
    """KV key for a booking id: URL-safe base64 keeps any id inside the KV key alphabet."""
    encoded = base64.urlsafe_b64encode(booking_id.encode()).decode().rstrip("=")
    return f"{kind}.{encoded}"


class BookingLists(Protocol):
    async def deny(self, booking_id: str, exp: int) -> None:
        """Deny ``booking_id`` until ``exp`` and drop it from the allow list."""
        ...

    async def allow(self, booking_id: str, exp: int) -> None:
        """Lift a deny and allow ``booking_id`` until ``exp``."""
        ...

    async def note_used(self, booking_id: str, exp: int) -> None:
        """Record a booking that received a session (practable adds it to the allow list)."""
        ...

    async def is_denied(self, booking_id: str) -> bool: ...

    async def denied(self) -> list[str]: ...

    async def allowed(self) -> list[str]: ...

    async def tidy(self) -> int:
        """Remove expired entries; return how many."""
        ...


class MemoryBookings:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._deny: dict[str, int] = {}
        self._allow: dict[str, int] = {}

    async def deny(self, booking_id: str, exp: int) -> None:
        self._allow.pop(booking_id, None)
        self._deny[booking_id] = exp

    async def allow(self, booking_id: str, exp: int) -> None:
        self._deny.pop(booking_id, None)
        self._allow[booking_id] = exp

    async def note_used(self, booking_id: str, exp: int) -> None:
        self._allow[booking_id] = exp

    async def is_denied(self, booking_id: str) -> bool:
        exp = self._deny.get(booking_id)
        return exp is not None and exp >= self._clock()

    async def denied(self) -> list[str]:
        now = self._clock()
        return [b for b, exp in self._deny.items() if exp >= now]

    async def allowed(self) -> list[str]:
        now = self._clock()
        return [b for b, exp in self._allow.items() if exp >= now]

    async def tidy(self) -> int:
        now = self._clock()
        stale = [(m, b) for m in (self._deny, self._allow) for b, exp in m.items() if exp < now]
        for table, booking_id in stale:
            del table[booking_id]
        return len(stale)
