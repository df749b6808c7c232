"""Time as the player and monitor see it: a monotonic clock that sleeps and waits for events.

``LoopClock`` is the event loop's clock; tests pass a simulated clock with the same methods.
"""

from __future__ import annotations

import asyncio
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that never goes back."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Return after ``seconds``."""
        ...

    async def wait_event(self, event: asyncio.Event, timeout: float) -> bool:
        """Wait for ``event`` at most ``timeout`` seconds; return whether it is set."""
        ...


class LoopClock:
    """The running event loop's clock: exact deadlines, no polling interval."""

    def monotonic(self) -> float:
        return asyncio.get_running_loop().time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))

    async def wait_event(self, event: asyncio.Event, timeout: float) -> bool:
        try:
            async with asyncio.timeout(max(0.0, timeout)):
                await event.wait()
        except TimeoutError:
            pass
        return event.is_set()
