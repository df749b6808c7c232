"""DenyCache: only "not denied" is remembered, briefly; a revocation is never hidden."""

from __future__ import annotations

import asyncio

from gateway.bookings import MemoryBookings
from gateway.denials import DenyCache


class CountingBookings(MemoryBookings):
    def __init__(self) -> None:
        super().__init__(clock=lambda: 1_000.0)
        self.reads = 0
        self.gate: asyncio.Event | None = None  # when set, reads wait for it

    async def is_denied(self, booking_id: str) -> bool:
        self.reads += 1
        answer = await super().is_denied(booking_id)
        if self.gate is not None:
            await self.gate.wait()
        return answer


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_not_denied_is_remembered_for_the_ttl_then_read_again() -> None:
    store, clock = CountingBookings(), Clock()
    cache = DenyCache(store, ttl=2.0, clock=clock)
    assert await cache.is_denied("b") is False
    clock.now = 1.9
    assert await cache.is_denied("b") is False
    assert store.reads == 1
    clock.now = 2.0
    assert await cache.is_denied("b") is False
    assert store.reads == 2


async def test_denied_is_never_cached() -> None:
    store, clock = CountingBookings(), Clock()
    cache = DenyCache(store, clock=clock)
    await store.deny("b", 2_000)
    assert await cache.is_denied("b") is True
    assert await cache.is_denied("b") is True
    assert store.reads == 2


async def test_a_revocation_makes_the_next_check_read_the_store() -> None:
    store, clock = CountingBookings(), Clock()
    cache = DenyCache(store, clock=clock)
    assert await cache.is_denied("b") is False
    await store.deny("b", 2_000)
    cache.forget("b")
    assert await cache.is_denied("b") is True


async def test_an_answer_read_across_a_revocation_is_not_cached() -> None:
    store, clock = CountingBookings(), Clock()
    cache = DenyCache(store, clock=clock)
    store.gate = asyncio.Event()
    reading = asyncio.create_task(cache.is_denied("b"))  # reads "not denied"...
    await asyncio.sleep(0)
    await store.deny("b", 2_000)  # ...while the booking is denied and revoked
    cache.forget("b")
    store.gate.set()
    assert await reading is False  # the old answer, for the check that asked before the deny
    store.gate = None
    assert await cache.is_denied("b") is True  # but it was not remembered


async def test_the_cache_is_bounded() -> None:
    store, clock = CountingBookings(), Clock()
    cache = DenyCache(store, max_entries=10, clock=clock)
    for i in range(100):
        await cache.is_denied(f"b{i}")
    assert len(cache._clear) <= 10
