"""Per-connection state and its bounded outbound queue.

No I/O and no framework imports: the websocket route owns the tasks; this module decides
what a connection may do, what it holds, and what is dropped when it cannot keep up.

Drop policy: when the queue is full (in messages or bytes) the *oldest* queued message is
dropped, so a reader that falls behind skips ahead to fresh data, as live video wants. Every
drop is counted; a slow reader never blocks a writer or another reader.

A *lossless* session (ssh on ``connect`` topics) never drops: a full queue makes its writer
wait instead (``wait_space``), which is back-pressure on a one-to-one pipe.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from dataclasses import dataclass, field

Message = str | bytes  # text frames are str, binary frames bytes: the type is the frame type

_ids = itertools.count(1)


@dataclass(slots=True)
class Counters:
    """Traffic of one connection, owned by its session (updated on the event loop only)."""

    messages_in: int = 0
    bytes_in: int = 0
    messages_out: int = 0
    bytes_out: int = 0
    dropped: int = 0
    dropped_bytes: int = 0
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
    max_bytes: int = 64 * 1024 * 1024
    lossless: bool = False  # connect topics: never drop, make the writer wait instead
    pair: str = ""  # connect topics: the ssh session (alert uuid) this connection belongs to
    client_close: tuple[int, str] | None = None  # the close code and reason the client sent, if any
    conn_id: str = field(default_factory=lambda: f"c{next(_ids)}")
    counters: Counters = field(default_factory=Counters)
    _queue: deque[Message] = field(default_factory=deque)
    _queued_bytes: int = 0
    _ready: asyncio.Event = field(default_factory=asyncio.Event)
    close_request: tuple[int, str] | None = None  # set once, by whoever ends the session first
    _close_event: asyncio.Event = field(default_factory=asyncio.Event)
    _space: asyncio.Event = field(default_factory=asyncio.Event)  # set while a lossless queue has room
    first_delivery: asyncio.Event = field(default_factory=asyncio.Event)  # set by the first offer()

    def request_close(self, code: int, reason: str) -> None:
        """Ask the connection's tasks to close it with ``code``; the first request wins."""
        if self.close_request is None:
            self.close_request = (code, reason)
            self._close_event.set()

    async def closing(self) -> tuple[int, str]:
        """Wait for :meth:`request_close` and return its code and reason."""
        await self._close_event.wait()
        assert self.close_request is not None
        return self.close_request

    def offer(self, message: Message) -> bool:
        """Queue ``message`` for this reader without ever blocking; drop the oldest when full.

        Returns True when the queue is at least half full: the caller should then yield to the
        event loop so this reader's writer task can drain it before more messages arrive.
        """
        if not self.can_read:
            return False
        size = len(message)
        queue = self._queue
        self.first_delivery.set()
        if self.lossless:
            queue.append(message)
            self._queued_bytes += size
            self._ready.set()
            return len(queue) >= self.max_messages or self._queued_bytes >= self.max_bytes
        while queue and (len(queue) >= self.max_messages or self._queued_bytes + size > self.max_bytes):
            dropped = queue.popleft()
            self._queued_bytes -= len(dropped)
            self.counters.dropped += 1
            self.counters.dropped_bytes += len(dropped)
        queue.append(message)
        self._queued_bytes += size
        self._ready.set()
        return len(queue) * 2 >= self.max_messages

    async def wait(self) -> None:
        """Return once at least one message is queued."""
        while not self._queue:
            self._ready.clear()
            await self._ready.wait()

    def take(self) -> Message | None:
        """Pop the oldest queued message, or None when the queue is empty."""
        if not self._queue:
            return None
        message = self._queue.popleft()
        self._queued_bytes -= len(message)
        if self.lossless and len(self._queue) < self.max_messages and self._queued_bytes < self.max_bytes:
            self._space.set()
        return message

    async def wait_space(self) -> None:
        """Return once a lossless queue is below its limits (or the session is closing)."""
        while (
            len(self._queue) >= self.max_messages or self._queued_bytes >= self.max_bytes
        ) and not self._close_event.is_set():
            self._space.clear()
            space = asyncio.ensure_future(self._space.wait())
            closing = asyncio.ensure_future(self._close_event.wait())
            try:
                await asyncio.wait((space, closing), return_when=asyncio.FIRST_COMPLETED)
            finally:
                space.cancel()
                closing.cancel()

    @property
    def queued(self) -> int:
        return len(self._queue)

    def record_in(self, message: Message, now: float) -> None:
        self.counters.messages_in += 1
        self.counters.bytes_in += len(message)
        self.counters.last_in = now

    def record_out(self, message: Message, now: float) -> None:
        self.counters.messages_out += 1
        self.counters.bytes_out += len(message)
        self.counters.last_out = now
