"""``Flag``: asyncio.Event's contract at a fraction of its memory.

A replica holds thousands of idle connections, each with a few events. ``asyncio.Event`` keeps
a ``collections.deque`` of waiters from birth (about 760 bytes with the object, measured with
tracemalloc); a ``Flag`` is two slots and allocates a future only while someone waits. Used only
on the event loop's thread, like asyncio.Event.
"""

from __future__ import annotations

import asyncio


class Flag:
    """Set/clear/wait like asyncio.Event; ``future()`` gives a future resolved on set."""

    __slots__ = ("_set", "_waiters")

    def __init__(self) -> None:
        self._set = False
        self._waiters: list[asyncio.Future[None]] | None = None

    def is_set(self) -> bool:
        return self._set

    def set(self) -> None:
        if self._set:
            return
        self._set = True
        waiters = self._waiters
        if waiters:
            self._waiters = None
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)

    def clear(self) -> None:
        self._set = False

    def future(self) -> asyncio.Future[None]:
        """A future that completes when the flag is (or already was) set."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self._set:
            waiter.set_result(None)
        elif self._waiters is None:
            self._waiters = [waiter]
        else:
            self._waiters.append(waiter)
        return waiter

    def forget(self, waiter: asyncio.Future[None]) -> None:
        """Drop a waiter from :meth:`future` that is no longer wanted (cancelled or timed out)."""
        waiters = self._waiters
        if waiters is not None and waiter in waiters:
            waiters.remove(waiter)

    async def wait(self) -> bool:
        """Return True once the flag is set (at once if it is)."""
        if self._set:
            return True
        waiter = self.future()
        try:
            await waiter
        finally:
            self.forget(waiter)  # cancelled before set: nothing keeps it
        return True
