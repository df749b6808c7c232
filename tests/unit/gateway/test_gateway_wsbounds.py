"""What one read can cost the gateway: a read full of tiny frames or pings costs its own size and
one pass of the loop at a time, never ~40 times its size in queued events or a stalled loop;
pongs a client does not read are not piled up. Nothing is lost or reordered meanwhile.

A real ``RelayWebSocketProtocol`` over a recording transport (no sockets), as in
test_gateway_wsreader.
"""

from __future__ import annotations

import asyncio
import struct
from dataclasses import dataclass, field
from typing import Any

import pytest
from relaytest import eventually
from test_gateway_wsreader import HANDSHAKE, MaskCount, RecordingTransport, frame, make_protocol
from websockets.frames import Opcode

from gateway import wsproto
from gateway.wsproto import PASS_FRAMES, PAUSE_AFTER, RelayWebSocketProtocol


@dataclass
class Conn:
    protocol: RelayWebSocketProtocol
    transport: RecordingTransport
    accept: asyncio.Event = field(default_factory=asyncio.Event)  # set: the app accepts
    read: asyncio.Event = field(default_factory=asyncio.Event)  # set: the app takes messages
    accepted: asyncio.Event = field(default_factory=asyncio.Event)
    done: asyncio.Event = field(default_factory=asyncio.Event)
    events: list[dict[str, Any]] = field(default_factory=list)
    most_queued: int = 0  # the most messages waiting for the app, seen after each it took

    def payloads(self) -> list[Any]:
        return [e.get("bytes", e.get("text")) for e in self.events if e["type"] == "websocket.receive"]

    def pongs(self, since: int = 0) -> list[bytes]:
        """The payloads of the pong frames written (server frames: unmasked, short)."""
        out, pos, found = bytes(self.transport.out), since, []
        while pos + 2 <= len(out):
            opcode, length = out[pos] & 0x0F, out[pos + 1] & 0x7F
            if opcode == 0xA:
                found.append(out[pos + 2 : pos + 2 + length])
            pos += 2 + length
        return found


def connection(*, accept: bool = True) -> Conn:
    conn: Conn

    async def app(scope: Any, receive: Any, send: Any) -> None:
        assert (await receive())["type"] == "websocket.connect"
        await conn.accept.wait()
        await send({"type": "websocket.accept"})
        conn.accepted.set()
        while True:
            await conn.read.wait()
            event = await receive()
            conn.most_queued = max(conn.most_queued, conn.protocol.queue.qsize())
            conn.events.append(event)
            if event["type"] == "websocket.disconnect":
                break
        conn.done.set()

    protocol = make_protocol(app)
    transport = RecordingTransport(protocol)
    protocol.connection_made(transport)
    conn = Conn(protocol, transport)
    if accept:
        conn.accept.set()
    return conn


async def finish(conn: Conn) -> None:
    """End the connection (if the test did not) and let the app see it."""
    if not conn.transport.closed:
        conn.transport.close()
    conn.read.set()
    await asyncio.wait_for(conn.done.wait(), 5)


async def opened() -> Conn:
    conn = connection()
    conn.protocol.data_received(HANDSHAKE)
    await asyncio.wait_for(conn.accepted.wait(), 5)
    return conn


def numbered(count: int, opcode: Opcode = Opcode.BINARY) -> bytes:
    return b"".join(frame(opcode, struct.pack("!H", i)) for i in range(count))


async def test_a_read_of_tiny_frames_queues_a_few_and_keeps_the_rest_raw() -> None:
    conn = await opened()
    stream = numbered(10_000)  # 80,000 bytes: 10,000 messages
    conn.protocol.data_received(stream)
    assert conn.protocol.queue.qsize() == PAUSE_AFTER  # not 10,000 events
    assert len(conn.protocol._unparsed) == len(stream) - PAUSE_AFTER * 8  # the rest, as it came
    assert not conn.transport.reading.is_set()  # and no more is read meanwhile
    conn.read.set()
    await eventually(lambda: len(conn.events) == 10_000, what="every message")
    assert conn.payloads() == [struct.pack("!H", i) for i in range(10_000)]
    assert conn.most_queued <= PAUSE_AFTER
    assert conn.transport.reading.is_set() and not conn.protocol._unparsed  # reading again
    await finish(conn)


async def test_a_read_of_pings_is_answered_a_pass_at_a_time() -> None:
    conn = await opened()
    start = len(conn.transport.out)
    conn.protocol.data_received(numbered(1_000, Opcode.PING))
    assert len(conn.pongs(start)) == PASS_FRAMES  # the loop's other work runs before the rest
    assert not conn.transport.reading.is_set()
    await eventually(lambda: len(conn.pongs(start)) == 1_000, what="every pong")
    assert conn.pongs(start) == [struct.pack("!H", i) for i in range(1_000)]
    assert conn.transport.reading.is_set()
    await finish(conn)


async def test_pings_while_the_socket_buffer_is_full_get_one_pong_for_the_latest() -> None:
    """A client that pings and never reads grew the gateway's buffer without bound (uvicorn
    writes every pong); RFC 6455 5.5.3 lets an endpoint answer only the most recent ping."""
    conn = await opened()
    start = len(conn.transport.out)
    conn.protocol.pause_writing()  # the transport's buffer passed its high-water mark
    for _ in range(20):
        conn.protocol.data_received(numbered(200, Opcode.PING))
        await eventually(lambda: conn.transport.reading.is_set(), what="the pings parsed")
    assert conn.pongs(start) == []
    conn.protocol.resume_writing()
    assert conn.pongs(start) == [struct.pack("!H", 199)]
    conn.protocol.data_received(frame(Opcode.PING, b"next"))  # writable again: answered at once
    assert conn.pongs(start)[-1] == b"next"


@pytest.mark.parametrize("together", [True, False], ids=["same read", "next read"])
async def test_frames_right_behind_the_request_wait_for_the_accept(together: bool) -> None:
    """websockets' parser would parse them all at once, before the app even accepted."""
    conn = connection(accept=False)
    stream = numbered(1_000)
    unmasked = MaskCount()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wsproto, "apply_mask", unmasked)
        if together:
            conn.protocol.data_received(HANDSHAKE + stream)
        else:
            conn.protocol.data_received(HANDSHAKE)
            conn.protocol.data_received(stream)
        await eventually(lambda: conn.protocol.request is not None, what="the request parsed")
        assert not conn.protocol.conn.reader.buffer and conn.protocol.conn.events == []
        assert len(conn.protocol._unparsed) == len(stream)
        assert not conn.transport.reading.is_set()
        conn.accept.set()
        conn.read.set()
        await eventually(lambda: len(conn.events) == 1_000, what="every message")
    assert conn.payloads() == [struct.pack("!H", i) for i in range(1_000)]
    assert unmasked.count == 1_000  # read by the direct reader, a few at a time
    assert conn.most_queued <= PAUSE_AFTER and conn.transport.reading.is_set()
    await finish(conn)


async def test_held_frames_reach_the_app_before_the_disconnect_when_the_connection_is_lost() -> None:
    conn = await opened()
    conn.protocol.data_received(numbered(100))
    assert conn.protocol._unparsed
    conn.transport.closed = True  # reset by the peer: asyncio closes the transport, then tells us
    conn.protocol.connection_lost(ConnectionResetError())
    conn.read.set()
    await asyncio.wait_for(conn.done.wait(), 5)
    assert conn.payloads() == [struct.pack("!H", i) for i in range(100)]
    assert conn.events[-1]["type"] == "websocket.disconnect"


async def test_a_close_behind_held_frames_is_answered_after_the_app_closes() -> None:
    """The app closes while frames are held; the client's close reply among them still ends
    the closing handshake (it is parsed, not left waiting for a read that never comes)."""
    conn = await opened()
    reply = frame(Opcode.CLOSE, struct.pack("!H", 1000))
    conn.protocol.data_received(numbered(50) + reply)
    assert conn.protocol._unparsed.endswith(reply)
    await conn.protocol.send({"type": "websocket.close", "code": 1000})
    assert conn.transport.closed  # the handshake completed: no close timer left to end it
    assert not conn.protocol._unparsed
    await finish(conn)
