"""``DenyCache``: "not denied" answers of the deny list, kept for a moment.

Opening a session read the deny list twice from NATS KV (at the access POST and after the
websocket registered), ~55 us of CPU and a round trip each. A booking's users open several
connections at once (data, video, ...), so "not denied" is remembered for ``ttl`` seconds.

Safety: only "not denied" is cached. Every revocation this replica learns of (the admin route
here, or another replica's announcement) forgets the booking at once, so a deny seen before a
connection's check is never hidden by the cache, and the deny race in ``gateway.lifecycle``
holds. Only a revocation announcement this replica misses (it was cut off) can go unseen, for
at most ``ttl`` more seconds than a fresh read would; reconcile reads the store itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from gateway.bookings import BookingLists

DENY_CACHE_TTL = 2.0  # seconds a "not denied" answer is trusted
DENY_CACHE_MAX = 10_000  # bookings remembered (then the cache starts afresh)


class DenyCache:
    """``is_denied`` through a short-lived cache of negative answers."""

    def __init__(
        self,
        bookings: BookingLists,
        *,
        ttl: float = DENY_CACHE_TTL,
        max_entries: int = DENY_CACHE_MAX,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._bookings = bookings
        self._ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._clear: dict[str, float] = {}  # booking id -> when the store said "not denied"
        self._revocations = 0  # bumped by forget(): an answer read across one is not cached

    async def is_denied(self, booking_id: str) -> bool:
        """Whether ``booking_id`` is denied.

        Raises:
            BusUnavailable: the store cannot be read (and nothing fresh is cached).
        """
        seen = self._clear.get(booking_id)
        if seen is not None and self._clock() - seen < self._ttl:
            return False
        asked, revocations = self._clock(), self._revocations
        denied = await self._bookings.is_denied(booking_id)
        if not denied and revocations == self._revocations:
            if len(self._clear) >= self._max:
                self._clear.clear()
            self._clear[booking_id] = asked
        return denied

    def forget(self, booking_id: str) -> None:
        """A revocation of ``booking_id``: the next check reads the store, and no read already
        in flight is cached (it may have read the store before the deny)."""
        self._revocations += 1
        self._clear.pop(booking_id, None)
