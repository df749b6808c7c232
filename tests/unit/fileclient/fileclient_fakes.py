"""Test doubles for fileclient unit tests: simulated time and an in-memory byte stream."""

from __future__ import annotations

import asyncio
import heapq
import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class SimClock:
    """Discrete-event time: sleeping runs every callback scheduled before the wake-up time.

    Only one coroutine (the one under test) may sleep or wait on it; other "activity" is
    scheduled with ``call_at``/``call_later`` and runs at its simulated time.
    """

    now: float = 1000.0
    _queue: list[tuple[float, int, Callable[[], None]]] = field(default_factory=list)
    _seq: itertools.count[int] = field(default_factory=itertools.count)

    def monotonic(self) -> float:
        return self.now

    def wall_ns(self) -> int:
        return int(self.now * 1e9)

    def call_at(self, when: float, callback: Callable[[], None]) -> None:
        heapq.heappush(self._queue, (when, next(self._seq), callback))

    def call_later(self, delay: float, callback: Callable[[], None]) -> None:
        self.call_at(self.now + delay, callback)

    def _run_until(self, deadline: float, stop: Callable[[], bool]) -> None:
        while self._queue and self._queue[0][0] <= deadline and not stop():
            when, _, callback = heapq.heappop(self._queue)
            self.now = max(self.now, when)
            callback()
        if not stop():
            self.now = max(self.now, deadline)

    async def sleep(self, seconds: float) -> None:
        self._run_until(self.now + max(0.0, seconds), lambda: False)
        await asyncio.sleep(0)

    async def wait_event(self, event: asyncio.Event, timeout: float) -> bool:
        self._run_until(self.now + max(0.0, timeout), event.is_set)
        await asyncio.sleep(0)
        return event.is_set()


class Sink(io.BytesIO):
    """A stdout stand-in that survives ``close()`` so tests can read what was written."""

    def close(self) -> None:
        pass
