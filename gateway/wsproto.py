"""uvicorn's websockets-sansio protocol, closing on invalid UTF-8 with 1007 and one log line,
and lighter per connection.

uvicorn logs a traceback for every text message that is not UTF-8, and a second such message
in the same read makes it send a second close, which raises and aborts the socket without a
close frame. Here the first one fails the connection (1007 and a reason), one WARNING is
logged, and the rest of that read is ignored.

uvicorn gives every connection an ``asyncio.Queue`` (four deques) and an ``asyncio.Event`` (one
more); an idle replica holds thousands of connections, so these are swapped for an ``Inbox``
and a ``Flag`` with the same methods, about 3.5 KiB less per connection (docs/performance.md).

On the hot path: small complete text and binary frames are read directly (``data_received``),
everything else by websockets' parser, frame by frame; an idle reader is written to directly
(``send_now``). Messages parsed before a protocol error in the same read are delivered before
the close (uvicorn drops them).

What one read may cost is bounded (docs/memory.md, "One read"): parsing stops once PAUSE_AFTER
messages wait for the app and after PASS_FRAMES frames, the rest waiting raw with reading
paused; frames behind the handshake request wait for the accept; pongs coalesce while the
socket's buffer is full. Everything else is uvicorn's.
"""

from __future__ import annotations

import asyncio
import logging
import struct
from typing import Any, Final

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.protocol import State
from websockets.streams import StreamReader

try:
    from websockets.speedups import apply_mask as apply_mask  # the direct reader's (tests spy on it)
except ImportError:  # pragma: no cover - websockets without its C extension
    from websockets.utils import apply_mask as apply_mask

from gateway.flag import Flag
from gateway.wire import SEND_NOW, CloseCode

log = logging.getLogger(__name__)

INVALID_UTF8_REASON: Final = "text message is not valid UTF-8"
PAUSE_AFTER: Final = 8  # received messages waiting for the app before parsing and reading stop
PAUSE_BYTES: Final = 64 * 1024  # a message at least this large pauses reading (parsing goes on)
PASS_FRAMES: Final = 64  # frames parsed in one go before other connections get the loop
DIRECT_MAX: Final = 64 * 1024  # payload bytes of a frame the direct reader takes (larger: websockets')
_AT_EOF: Final = StreamReader.at_eof.__code__


class Inbox:
    """What uvicorn uses of ``asyncio.Queue`` for received events: one consumer (the app's
    ``receive``), producers on the loop; empty, it is a list and a slot."""

    __slots__ = ("_items", "_head", "_waiter")

    def __init__(self) -> None:
        self._items: list[Any] = []
        self._head = 0  # the next item to get; the list is emptied once all were taken
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
        # Usually at most PAUSE_AFTER are queued; a lost connection's held frames can be a whole
        # read's worth, so items are taken by index (pop(0) would move the rest each time).
        items, head = self._items, self._head
        item, items[head] = items[head], None
        if head + 1 == len(items):
            items.clear()
            self._head = 0
        else:
            self._head = head + 1
        return item

    def empty(self) -> bool:
        return not self._items

    def qsize(self) -> int:
        return len(self._items) - self._head


class RelayWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's sans-I/O websocket protocol with a quiet, well-formed 1007 close."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = Inbox()  # type: ignore[assignment]
        self.writable = Flag()  # type: ignore[assignment]
        self.writable.set()
        # Owned by data_received: None until websockets' parser is seen idle at a frame
        # boundary of an open connection, then True (the direct reader below), False for good
        # once websockets failed the connection.
        self._direct: bool | None = None
        # The start of a frame the direct reader waits to complete (at most DIRECT_MAX + 8 bytes),
        # grown in place: a frame dripped a byte per read costs no more than one sent whole.
        self._unparsed = bytearray()
        self._passing = 0  # bytes of the current frame still to hand to websockets' parser
        self._direct_max = DIRECT_MAX  # payload bytes the direct reader takes: also within the size limits
        # Owned by _parse: the app has PAUSE_AFTER messages to take before more are parsed, or
        # (_heavy) a large one before more are read; cleared by receive once it took them all
        # (or once our close is sent). A large message is its own bytes: parsing the rest of a
        # read of them costs that read's size, where a read of tiny frames costs ~40 times it.
        self._full = False
        self._heavy = False
        # Owned by _parse: _unparsed holds whole frames not parsed yet (the app is full, the pass
        # used its PASS_FRAMES, or they followed the handshake request); reading waits for them.
        self._held = False
        # The request's last bytes so far, to find where it ends (b"\r\n\r\n"); None once it did.
        self._handshake_tail: bytes | None = b""
        self._continuing = False  # a _continue is scheduled
        self._pong: bytes | None = None  # the pong owed while the socket's buffer is full

    def data_received(self, data: bytes) -> None:
        self._parse(data)

    def _parse(self, data: bytes, *, everything: bool = False) -> None:
        """Complete, unfragmented, masked text and binary frames up to DIRECT_MAX are read here;
        every other frame (control frames, fragments, large or invalid ones) is handed whole to
        websockets' parser, which so always stops at a frame boundary (docs/performance.md).

        websockets' generator-based parser costs ~20 us per small message on this machine type,
        a third of a replica's share of a paced message's latency; this reads one in ~3 us. What
        a frame becomes is unchanged: the same event in the same queue (``_to_app``),
        the same limits (max message size, UTF-8, 1007), the same errors (websockets' own).

        Parsing stops at a frame boundary once the app has PAUSE_AFTER messages to take, and
        after PASS_FRAMES frames: the rest of the read stays raw in ``_unparsed`` and reading
        pauses until the app took them (``receive``) or the loop's next turn (``_continue``).
        A read full of tiny frames so costs its own size, not ~40 times that in queued events,
        and a read full of pings cannot hold the loop. ``everything``: the connection is lost,
        parse what it sent before (once, no limits).
        """
        if self._direct is None:
            if self.conn.state is State.CONNECTING:
                self._handshake_received(data)
                return
            if self._parser_idle():
                self._direct = True
        buffered = self._unparsed
        if self._direct is not True:
            if buffered:  # what followed the request, and websockets' parser is to read it all
                data, self._held = bytes(buffered) + data, False
                buffered.clear()
            self._feed_websockets(data)
            self._settle()
            return
        if buffered:
            buffered += data
            data = buffered  # type: ignore[assignment]  # read in place; the rest is kept below
        conn = self.conn
        end = len(data)
        pos = 0
        frames = 0
        stopped = False
        while pos < end:
            if self._passing:
                take = min(self._passing, end - pos)
                self._passing -= take
                if not self._to_websockets(data[pos : pos + take], everything):
                    return
                pos += take
                continue
            if (self._full or frames >= PASS_FRAMES) and not everything:
                stopped = True
                break
            if end - pos < 2:
                break
            frames += 1
            first, second = data[pos], data[pos + 1]
            length = second & 0x7F
            head = 6  # two bytes and the mask
            if length == 126:
                if end - pos < 4:
                    break
                length = (data[pos + 2] << 8) | data[pos + 3]
                head = 8
            elif length == 127:
                if end - pos < 10:
                    break
                length = int.from_bytes(data[pos + 2 : pos + 10], "big")  # > DIRECT_MAX: websockets'
                head = 14
            total = head + length
            if (
                (first == 0x81 or first == 0x82)  # FIN, no RSV bit, text or binary
                and second & 0x80  # masked, as every client frame must be
                and length <= self._direct_max
                and conn.state is State.OPEN
                and conn.current_size is None  # not inside a fragmented message
            ):
                if end - pos < total:
                    break  # the rest of this frame is still on its way
                payload = apply_mask(data[pos + head : pos + total], data[pos + head - 4 : pos + head])
                pos += total
                self._to_app(payload, first == 0x81)
                continue
            # websockets' parser takes this frame whole, as if the direct reader were not there.
            take = min(total, end - pos)
            self._passing = total - take
            if not self._to_websockets(data[pos : pos + take], everything):
                return
            pos += take
        if data is buffered:
            del buffered[:pos]
        elif pos < end:
            buffered += data[pos:]
        self._held = stopped
        if stopped and not self._full and not self._continuing:
            self._continuing = True
            self.loop.call_soon(self._continue)
        self._settle()

    def _handshake_received(self, data: bytes) -> None:
        """Before the handshake completes, websockets' parser gets the request alone: frames a
        client sent right behind it wait raw in ``_unparsed`` (reading paused) until the app
        accepted, then are parsed like any others (websockets would parse them all at once)."""
        tail = self._handshake_tail
        if tail is None:  # the request is complete: what follows waits for the app's answer
            self._unparsed += data
            self._held = True
            self._settle()
            return
        probe = tail + data
        at = probe.find(b"\r\n\r\n")
        if at < 0:
            self._handshake_tail = probe[-3:]
            self._feed_websockets(data)
            return
        cut = at + 4 - len(tail)
        self._handshake_tail = None
        if cut < len(data):
            self._unparsed += data[cut:]
            self._held = True
        self._feed_websockets(data[:cut])
        self._settle()

    def _settle(self) -> None:
        """Read from the socket exactly while nothing waits: neither a full app nor held frames."""
        paused = self._full or self._heavy or self._held
        if paused is not self.read_paused and not self.transport.is_closing():
            self.read_paused = paused
            if paused:
                self.transport.pause_reading()
            else:
                self.transport.resume_reading()

    def _resume(self) -> None:
        """Parse the held frames if the app may take more, then read again if nothing is held."""
        if self.close_sent:
            self._full = self._heavy = False  # nothing more reaches the app: a close reply may be held
        if self._held and not self._full and self.conn.state is not State.CONNECTING:
            self._parse(b"")
        else:
            self._settle()

    def _continue(self) -> None:
        self._continuing = False
        if not self.transport.is_closing():
            self._resume()

    async def receive(self) -> Any:
        # uvicorn's: the app took a message; once it took all of them, parsing and reading resume.
        message = await self.queue.get()
        if (self._full or self._heavy) and self.queue.empty():
            self._full = self._heavy = False
            self._resume()
        return message

    async def send(self, message: Any) -> None:
        await super().send(message)
        if self._held:  # accepted (frames followed the request) or closing (a close reply may be held)
            self._resume()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._held and self._direct is True and not self.close_sent:
            self._parse(b"", everything=True)  # what the client sent comes before the disconnect
        super().connection_lost(exc)

    def handle_ping(self) -> None:
        # uvicorn's writes every pong: a client pinging without reading grew the socket's buffer
        # without bound. While that buffer is over its high-water mark, only the pong for the
        # latest ping is kept (RFC 6455 5.5.3 allows it), and written once the buffer drains.
        output = b"".join(self.conn.data_to_send())
        if not output or self.transport.is_closing():
            return
        if self.writable.is_set():
            self.transport.write(output)
        else:
            self._pong = output

    def resume_writing(self) -> None:
        super().resume_writing()
        pong, self._pong = self._pong, None
        if pong is not None and not self.transport.is_closing():
            self.transport.write(pong)

    def _feed_websockets(self, data: bytes) -> None:
        """uvicorn's ``data_received``, except that the messages parsed before a protocol error
        in the same read reach the application too (uvicorn fails the connection first and
        drops them): then the close, as websockets decided it."""
        self.conn.receive_data(data)
        self.handle_events()
        if self.conn.parser_exc is not None:
            self.handle_parser_exception()

    def _to_websockets(self, data: bytes, lost: bool = False) -> bool:
        """Hand ``data`` to websockets' parser; False once that failed the connection (or it
        closed; ``lost``: it was closed already, parse on)."""
        self._feed_websockets(data)
        if self.conn.parser_exc is not None or (self.transport.is_closing() and not lost):
            self._direct = False
            self._unparsed.clear()
            self._held = False
            return False
        return True

    def _parser_idle(self) -> bool:
        """websockets' parser of an open connection waits for the first byte of a frame: its
        buffer is empty and its generator is suspended in ``at_eof`` (between frames)."""
        conn = self.conn
        try:
            if (
                conn.state is not State.OPEN
                or conn.parser_exc is not None
                or conn.extensions
                or conn.current_size is not None
                or conn.reader.buffer
            ):
                return False
            limits = (DIRECT_MAX, conn.max_message_size, conn.max_fragment_size)
            gen: Any = conn.parser
            while gen.gi_yieldfrom is not None:
                gen = gen.gi_yieldfrom
            if gen.gi_code is not _AT_EOF:
                return False
            self._direct_max = min(limit for limit in limits if limit is not None)
            return True
        except AttributeError:  # a websockets whose internals differ: its own parser throughout
            self._direct = False
            return False

    def send_receive_event_to_app(self) -> None:
        # uvicorn's method, with the UnicodeDecodeError branch replaced (the text is decoded once).
        data = self.frames[0] if len(self.frames) == 1 else b"".join(self.frames)
        self.frames = []
        self._to_app(data, self.curr_msg_data_type == "text")

    def _to_app(self, data: bytes, is_text: bool) -> None:
        """Queue one whole message for the application (websockets' frames or the direct reader's)."""
        if self.close_sent:
            return  # past our close (or a failure earlier in this read): discard
        if is_text:
            try:
                text = data.decode()
            except UnicodeDecodeError:
                self._fail_invalid_utf8()
                return
            self.queue.put_nowait({"type": "websocket.receive", "text": text})
        else:
            self.queue.put_nowait({"type": "websocket.receive", "bytes": data})
        # uvicorn pauses reading after every message: two epoll_ctl calls per message. Here
        # parsing stops once PAUSE_AFTER are waiting, and reading pauses then or once one is
        # large: the app holds at most PAUSE_AFTER messages or one read's bytes, and TCP still
        # pushes back on a writer the relay holds.
        if self.queue.qsize() >= PAUSE_AFTER:
            self._full = True
        elif len(data) >= PAUSE_BYTES:
            self._heavy = True

    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        scope = getattr(self, "scope", None)
        if scope is not None:  # an ASGI extension: the gateway writes to an idle reader at once
            scope["extensions"][SEND_NOW] = self.send_now

    def send_now(self, message: str | bytes) -> bool:
        """Write one data frame now if the socket takes it without waiting; False otherwise
        (not yet accepted, closing, or the transport's buffer is full: queue it instead).

        The frame websockets would build for uvicorn's ``send`` (``encoded``), without a
        coroutine, and built once for all the readers of a message.
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
        if self.conn.state is not State.OPEN:
            return False
        self.transport.writelines(encoded(message))
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


# The frame of the last message sent directly: a message fanned out to N readers is the same
# object N times, so it is framed (and, for text, UTF-8 encoded) once rather than N times.
_last: list[Any] = [None, ()]


def encoded(message: str | bytes) -> tuple[bytes, bytes]:
    """The unmasked, final, uncompressed server frame of ``message`` (header, payload): what
    websockets' ``send_text``/``send_binary`` write when no extension is negotiated (the gateway
    never offers permessage-deflate)."""
    if _last[0] is message:
        frame: tuple[bytes, bytes] = _last[1]
        return frame
    if type(message) is bytes:
        opcode, payload = 0x82, message
    else:
        opcode, payload = 0x81, message.encode()  # type: ignore[union-attr]
    length = len(payload)
    if length < 126:
        header = bytes((opcode, length))
    elif length < 65536:
        header = struct.pack("!BBH", opcode, 126, length)
    else:
        header = struct.pack("!BBQ", opcode, 127, length)
    frame = (header, payload)
    _last[0], _last[1] = message, frame
    return frame
