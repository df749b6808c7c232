"""uvicorn's websockets-sansio protocol, closing on invalid UTF-8 with 1007 and one log line,
and lighter per connection.

uvicorn logs a traceback for every text message that is not UTF-8, and a second such message
in the same read makes it send a second close, which raises and aborts the socket without a
close frame. Here the first one fails the connection (1007 and a reason), one WARNING is
logged, and the rest of that read is ignored.

uvicorn gives every connection an ``asyncio.Queue`` (four deques) and an ``asyncio.Event`` (one
more); an idle replica holds thousands of connections, so these are swapped for an ``Inbox``
and a ``Flag`` with the same methods, about 3.5 KiB less per connection (docs/performance.md).
Everything else is uvicorn's.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Final

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.exceptions import InvalidState

from gateway.flag import Flag
from gateway.wire import SEND_NOW, CloseCode

log = logging.getLogger(__name__)

INVALID_UTF8_REASON: Final = "text message is not valid UTF-8"
PAUSE_AFTER: Final = 8  # received messages waiting for the app before reading pauses
PAUSE_BYTES: Final = 64 * 1024  # a message at least this large pauses reading at once


class Inbox:
    """What uvicorn uses of ``asyncio.Queue`` for received events: one consumer (the app's
    ``receive``), producers on the loop; empty, it is a list and a slot."""

    __slots__ = ("_items", "_waiter")

    def __init__(self) -> None:
        self._items: list[Any] = []
        self._waiter: asyncio.Future[None] | None = None

    def put_nowait(self, item: Any) -> None:
        self._items.append(item)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def get(self) -> Any:
        while not self._items:
            waiter = self._waiter = asyncio.get_running_loop().create_future()
            try:
                await waiter
            finally:
                self._waiter = None
        return self._items.pop(0)  # uvicorn pauses reading while one is queued: a short list

    def empty(self) -> bool:
        return not self._items

    def qsize(self) -> int:
        return len(self._items)


class RelayWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's sans-I/O websocket protocol with a quiet, well-formed 1007 close."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = Inbox()  # type: ignore[assignment]
        self.writable = Flag()  # type: ignore[assignment]
        self.writable.set()

    def send_receive_event_to_app(self) -> None:
        # uvicorn's method, with the UnicodeDecodeError branch replaced (the text is decoded once).
        data = self.frames[0] if len(self.frames) == 1 else b"".join(self.frames)
        self.frames = []
        if self.close_sent:
            return  # past our close (or a failure earlier in this read): discard
        if self.curr_msg_data_type == "text":
            try:
                text = data.decode()
            except UnicodeDecodeError:
                self._fail_invalid_utf8()
                return
            self.queue.put_nowait({"type": "websocket.receive", "text": text})
        else:
            self.queue.put_nowait({"type": "websocket.receive", "bytes": data})
        # uvicorn pauses reading after every message: two epoll_ctl calls per message. Pause
        # only once a few are waiting or one is large: still bounded (PAUSE_AFTER messages below
        # PAUSE_BYTES, or one message), and TCP still pushes back on a writer the relay holds.
        if not self.read_paused and (self.queue.qsize() >= PAUSE_AFTER or len(data) >= PAUSE_BYTES):
            self.read_paused = True
            self.transport.pause_reading()

    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        scope = getattr(self, "scope", None)
        if scope is not None:  # an ASGI extension: the gateway writes to an idle reader at once
            scope["extensions"][SEND_NOW] = self.send_now

    def send_now(self, message: str | bytes) -> bool:
        """Write one data frame now if the socket takes it without waiting; False otherwise
        (not yet accepted, closing, or the transport's buffer is full: queue it instead).

        The same frame uvicorn's ``send`` writes for ``websocket.send``, without a coroutine.
        """
        if (
            not self.handshake_complete
            or self.close_sent
            or self.disconnected
            or self.initial_response is not None
            or not self.writable.is_set()
            or self.transport.is_closing()
        ):
            return False
        try:
            if type(message) is bytes:
                self.conn.send_binary(message)
            else:
                self.conn.send_text(message.encode())  # type: ignore[union-attr]
        except InvalidState:
            return False
        self.transport.write(b"".join(self.conn.data_to_send()))
        return True

    def _fail_invalid_utf8(self) -> None:
        log.warning(
            "invalid UTF-8 in a text message on %s: closed with 1007",
            self.scope["path"],  # frames only follow the handshake, which set the scope
            extra={
                "event": "connection",
                "close_code": int(CloseCode.INVALID_DATA),
                "reason": INVALID_UTF8_REASON,
            },
        )
        # fail() sends the close frame and makes the parser discard whatever follows.
        self.conn.fail(int(CloseCode.INVALID_DATA), INVALID_UTF8_REASON)
        self.handle_parser_exception()  # tells the app, writes the close frame, closes the socket
