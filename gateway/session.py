"""Per-connection state and its bounded outbound queue.

No I/O and no framework imports: the websocket route owns the tasks; this module decides
what a connection may do, what it holds, and what is dropped when it cannot keep up.

Drop policy: when the queue is full (in messages or bytes) the *oldest* queued message is
dropped, so a reader that falls behind skips ahead to fresh data, as live video wants. While
the process-wide memory budget (``budget.MemoryBudget``) is exhausted, the queue is cut to its
fair share of the budget as messages arrive. Every drop is counted by reason (``DropReason``);
a slow reader never blocks a writer or another reader.

A *lossless* session (ssh on ``connect`` topics) never drops: a full queue makes its writer
wait instead (``wait_space``), which is back-pressure on a one-to-one pipe.

Sizes are bytes on the wire: text is counted in UTF-8 (``size_of``).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from gateway.budget import MemoryBudget
from gateway.flag import Flag
from gateway.wire import CloseCode

Message = str | bytes  # text frames are str, binary frames bytes: the type is the frame type

_ids = itertools.count(1)


def size_of(message: Message) -> int:
    """Bytes of ``message`` on the wire: a ``str`` of n characters may take up to 4n."""
    if isinstance(message, bytes) or message.isascii():  # isascii() is O(1) in CPython
        return len(message)
    return len(message.encode())


class DropReason(StrEnum):
    """Why a reader did not get a message (derp counts drops by typed reason)."""

    QUEUE = "queue"  # its own queue was full: it reads slower than the topic is written
    BUDGET = "budget"  # the replica's memory budget was exhausted: its queue was cut to a fair share
    INCOMPLETE = "incomplete"  # a message from another replica arrived incomplete (a NATS chunk lost)


@dataclass(slots=True)
class Counters:
    """Traffic of one connection, owned by its session (updated on the event loop only)."""

    messages_in: int = 0
    bytes_in: int = 0
    messages_out: int = 0
    bytes_out: int = 0
    dropped: int = 0  # messages this reader did not get, all reasons together
    dropped_bytes: int = 0
    drops: dict[str, int] = field(default_factory=dict)  # DropReason -> messages
    unsent: int = 0  # messages of this writer that could not reach the other replicas
    last_in: float = 0.0  # loop time of the last message received from the client
    last_out: float = 0.0  # loop time of the last message written to the client


@dataclass(slots=True, eq=False, kw_only=True)
class Session:
    """One accepted websocket connection on a topic.

    Fields set once at creation; ``counters`` and the queue are mutated only on the event loop.
    """

    topic: str
    can_read: bool
    can_write: bool
    booking_id: str = ""
    expires_at: float = 0.0  # unix seconds (token exp)
    connected_at: float = 0.0  # unix seconds
    scopes: tuple[str, ...] = ()
    user_agent: str = ""
    remote_addr: str = ""
    max_messages: int = 128
    max_bytes: int = 8 * 1024 * 1024
    budget: MemoryBudget | None = None  # set by the hub on join: the replica's memory budget
    lossless: bool = False  # connect topics: never drop, make the writer wait instead
    pair: str = ""  # connect topics: the ssh session (alert uuid) this connection belongs to
    client_close: tuple[int, str] | None = None  # the close code and reason the client sent, if any
    conn_id: str = field(default_factory=lambda: f"c{next(_ids)}")
    counters: Counters = field(default_factory=Counters)
    _queue: deque[Message] = field(default_factory=deque)
    _queued_bytes: int = 0
    # Flags, not asyncio.Events: ~90 bytes instead of ~900 each, on every idle connection.
    _ready: Flag = field(default_factory=Flag)
    close_request: tuple[int, str] | None = None  # set once, by whoever ends the session first
    _close_event: Flag = field(default_factory=Flag)
    _space: Flag = field(default_factory=Flag)  # set while a lossless queue has room
    first_delivery: Flag = field(default_factory=Flag)  # set by the first offer()
    _delivered: bool = False  # first_delivery is set (a flag is cheaper than Event.set per message)
    # Set once accepted, where the server offers it: writes a frame to the client now if the
    # socket takes it without waiting (no queue, no writer wake-up); False means "queue it".
    direct: Callable[[Message], bool] | None = None
    _in_flight: bool = False  # the writer task has taken a message and not yet written it

    def request_close(self, code: int, reason: str) -> None:
        """Ask the connection's tasks to close it with ``code``; the first request wins."""
        if self.close_request is None:
            self.close_request = (code, reason)
            self._close_event.set()

    def close_requested(self) -> asyncio.Future[None]:
        """A future resolved by :meth:`request_close` (cancel it, then :meth:`forget_close`)."""
        return self._close_event.future()

    def forget_close(self, waiter: asyncio.Future[None]) -> None:
        self._close_event.forget(waiter)

    async def closing(self) -> tuple[int, str]:
        """Wait for :meth:`request_close` and return its code and reason."""
        await self._close_event.wait()
        assert self.close_request is not None
        return self.close_request

    def offer(self, message: Message, size: int = -1) -> bool:
        """Queue ``message`` (of ``size`` bytes, ``size_of`` when not given) for this reader
        without ever blocking; drop the oldest when full.

        Returns True when the queue is at least half full (messages or bytes): the caller should
        then yield to the event loop so this reader's writer task can drain it before more arrive.
        """
        if not self.can_read:
            return False
        if size < 0:
            size = size_of(message)
        queue = self._queue
        budget = self.budget
        if not self._delivered:
            self._delivered = True
            self.first_delivery.set()
        # Nothing queued or being written: straight to the socket, in order, if it takes it.
        if not queue and not self._in_flight and self.direct is not None and self.direct(message):
            c = self.counters
            c.messages_out += 1
            c.bytes_out += size
            c.last_out = time.time()
            return False
        if self.lossless:
            queue.append(message)
            self._queued_bytes += size
            if budget is not None:
                budget.add(size)
            self._ready.set()
            return len(queue) >= self.max_messages or self._queued_bytes >= self.max_bytes
        cap = self.max_bytes
        reason = DropReason.QUEUE
        if budget is not None and budget.used + size > budget.limit:
            share = budget.limit // max(1, budget.holders)  # this queue's fair share of the budget
            if share < cap:
                cap, reason = share, DropReason.BUDGET
        queued = self._queued_bytes
        if queue and (len(queue) >= self.max_messages or queued + size > cap):
            while queue and (len(queue) >= self.max_messages or self._queued_bytes + size > cap):
                self._drop_oldest(DropReason.QUEUE if len(queue) >= self.max_messages else reason)
            queued = self._queued_bytes
        if budget is not None:
            if not queue:
                budget.holders += 1
            used = budget.used = budget.used + size
            if used > budget.peak:
                budget.peak = used
        queue.append(message)
        queued += size
        self._queued_bytes = queued
        self._ready.set()
        # Half full in messages or in bytes: time for the publisher to let this reader drain.
        return len(queue) * 2 >= self.max_messages or queued * 2 >= cap

    def _drop_oldest(self, reason: DropReason) -> None:
        dropped = self._queue.popleft()
        size = size_of(dropped)
        self._queued_bytes -= size
        if self.budget is not None:
            self.budget.sub(size)
            if not self._queue:
                self.budget.holders -= 1
        self.count_drop(reason, size)

    def count_drop(self, reason: DropReason, size: int = 0) -> None:
        """Count a message this reader did not get."""
        c = self.counters
        c.dropped += 1
        c.dropped_bytes += size
        c.drops[reason] = c.drops.get(reason, 0) + 1

    def bus_failed(self, reason: str) -> None:
        """A message this session wrote could not reach the other replicas.

        A lossy topic counts it and goes on (local readers got it); a lossless pipe would have
        a hole in it, so it ends with 1011.
        """
        self.counters.unsent += 1
        if self.lossless:
            self.request_close(CloseCode.INTERNAL, f"relay lost data: {reason}")

    def release(self) -> None:
        """Give back everything queued (the session left): the budget must not keep it."""
        if self.budget is not None and self._queue:
            self.budget.sub(self._queued_bytes)
            if not self.lossless:
                self.budget.holders -= 1
        self._queue.clear()
        self._queued_bytes = 0
        self._space.set()

    async def wait(self) -> None:
        """Return once at least one message is queued."""
        while not self._queue:
            self._ready.clear()
            await self._ready.wait()

    def take(self) -> Message | None:
        """Pop the oldest queued message, or None when the queue is empty."""
        queue = self._queue
        if not queue:
            return None
        message = queue.popleft()
        self._in_flight = True  # until record_out: a direct write now would overtake it
        # size_of, inlined: hot path
        size = len(message) if type(message) is bytes or message.isascii() else len(message.encode())  # type: ignore[union-attr]
        self._queued_bytes -= size
        budget = self.budget
        if self.lossless:
            if budget is not None:
                budget.used -= size
            if len(queue) < self.max_messages and self._queued_bytes < self.max_bytes:
                self._space.set()
        elif budget is not None:
            budget.used -= size
            if not queue:
                budget.holders -= 1
        return message

    def _full(self) -> bool:
        return len(self._queue) >= self.max_messages or self._queued_bytes >= self.max_bytes

    async def wait_space(self, stall: float | None = None) -> bool:
        """Return once a lossless queue is below its limits (or the session is closing).

        Returns False when the reader took nothing for ``stall`` seconds: it is stuck.
        """
        while self._full() and not self._close_event.is_set():
            self._space.clear()
            space = self._space.future()
            closing = self._close_event.future()
            try:
                done, _ = await asyncio.wait(
                    (space, closing), timeout=stall, return_when=asyncio.FIRST_COMPLETED
                )
            finally:
                space.cancel()
                closing.cancel()
                self._space.forget(space)
                self._close_event.forget(closing)
            if not done:
                return False
        return True

    @property
    def queued(self) -> int:
        return len(self._queue)

    @property
    def queued_bytes(self) -> int:
        return self._queued_bytes

    def record_in(self, message: Message, now: float) -> int:
        """Count a message from the client; return its size."""
        c = self.counters
        size = len(message) if type(message) is bytes or message.isascii() else len(message.encode())  # type: ignore[union-attr]
        c.messages_in += 1
        c.bytes_in += size
        c.last_in = now
        return size

    def record_out(self, message: Message, now: float) -> None:
        """Count a message the writer task wrote to the client (it is no longer in flight)."""
        self._in_flight = False
        c = self.counters
        c.messages_out += 1
        c.bytes_out += len(message) if type(message) is bytes or message.isascii() else len(message.encode())  # type: ignore[union-attr]
        c.last_out = now
