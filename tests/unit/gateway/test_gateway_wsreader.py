"""The direct frame reader (``RelayWebSocketProtocol.data_received``) against websockets' parser.

Every byte stream below is fed to two protocols, one with the direct reader and one with it off
(websockets' parser for every frame), in chunks split every way: what the
application receives, what goes back on the wire (pongs, close frames) and whether the
connection ends must be the same, byte for byte. No sockets: a transport that records.
"""

from __future__ import annotations

import asyncio
import random
import struct
from typing import Any

import pytest
import uvicorn
from uvicorn.server import ServerState
from websockets.frames import Frame, Opcode

from gateway import wsproto
from gateway.wsproto import DIRECT_MAX, RelayWebSocketProtocol

MAX_SIZE = 100_000  # the test server's max message size (ws_max_size)

HANDSHAKE = (
    b"GET /session/t HTTP/1.1\r\nHost: relay.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
)


def frame(opcode: Opcode, data: bytes, *, fin: bool = True) -> bytes:
    return Frame(opcode, data, fin=fin).serialize(mask=True)


def raw_frame(first: int, payload: bytes, *, masked: bool = True, length: int | None = None) -> bytes:
    """A frame built by hand, to say what websockets' serialiser would refuse to."""
    n = len(payload) if length is None else length
    mask_bit = 0x80 if masked else 0
    if n < 126:
        head = bytes((first, mask_bit | n))
    elif n < 65536:
        head = bytes((first, mask_bit | 126)) + struct.pack("!H", n)
    else:
        head = bytes((first, mask_bit | 127)) + struct.pack("!Q", n)
    if not masked:
        return head + payload
    mask = b"\x01\x02\x03\x04"
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


CLOSE = frame(Opcode.CLOSE, struct.pack("!H", 1000) + b"bye")

STREAMS: dict[str, list[bytes]] = {  # frame by frame
    "texts": [frame(Opcode.TEXT, f"hello {i}".encode()) for i in range(20)] + [CLOSE],
    "binary at the length boundaries": [
        frame(Opcode.BINARY, bytes([i % 251]) * n)
        for i, n in enumerate((0, 1, 125, 126, 127, 65535, 65536, DIRECT_MAX + 1, 70_000))
    ]
    + [CLOSE],
    "empty text": [frame(Opcode.TEXT, b""), frame(Opcode.TEXT, "é".encode()), CLOSE],
    "fragmented with a ping inside": [
        frame(Opcode.TEXT, b"a" * 10, fin=False),
        frame(Opcode.PING, b"p1"),
        frame(Opcode.CONT, b"b" * 10, fin=False),
        frame(Opcode.CONT, b"c", fin=True),
        frame(Opcode.BINARY, b"after"),
        CLOSE,
    ],
    "pings and pongs between messages": [
        frame(Opcode.PING, b""),
        frame(Opcode.TEXT, b"x"),
        frame(Opcode.PONG, b"unsolicited"),
        frame(Opcode.PING, b"y" * 125),
        frame(Opcode.BINARY, b"z"),
        CLOSE,
    ],
    "invalid utf-8 then more": [
        frame(Opcode.TEXT, b"ok"),
        frame(Opcode.TEXT, b"\xff\xfe"),
        frame(Opcode.TEXT, b"never delivered"),
        CLOSE,
    ],
    "unmasked frame": [
        frame(Opcode.TEXT, b"ok"),
        raw_frame(0x81, b"bad", masked=False),
        frame(Opcode.TEXT, b"x"),
    ],
    "reserved bit": [frame(Opcode.TEXT, b"ok"), raw_frame(0xC1, b"rsv1"), frame(Opcode.TEXT, b"x")],
    "reserved opcode": [frame(Opcode.TEXT, b"ok"), raw_frame(0x83, b"op3"), frame(Opcode.TEXT, b"x")],
    "too large": [
        frame(Opcode.TEXT, b"ok"),
        frame(Opcode.BINARY, b"x" * (MAX_SIZE + 1)),
        frame(Opcode.TEXT, b"x"),
    ],
    "huge 64-bit length": [
        frame(Opcode.TEXT, b"ok"),
        raw_frame(0x82, b"", length=2**62),
        frame(Opcode.TEXT, b"x"),
    ],
    "continuation without a start": [
        frame(Opcode.TEXT, b"ok"),
        frame(Opcode.CONT, b"lost"),
        frame(Opcode.TEXT, b"x"),
    ],
    "new message inside a fragmented one": [
        frame(Opcode.BINARY, b"a", fin=False),
        frame(Opcode.TEXT, b"b"),
        frame(Opcode.TEXT, b"x"),
    ],
    "data after the close": [frame(Opcode.TEXT, b"ok"), CLOSE, frame(Opcode.TEXT, b"after close")],
    "many queued (reading pauses)": [frame(Opcode.BINARY, bytes([i]) * 300) for i in range(40)] + [CLOSE],
}
VALID = {"texts", "binary at the length boundaries", "empty text", "fragmented with a ping inside"}


def splits(frames: list[bytes], how: str) -> list[bytes]:
    if how == "frames":
        return frames
    stream = b"".join(frames)
    if how == "whole":
        return [stream]
    if how == "bytes":
        return [stream[i : i + 1] for i in range(len(stream))]
    rng = random.Random(how)
    chunks, pos = [], 0
    while pos < len(stream):
        n = rng.choice((1, 2, 3, 7, 64, 1000, 70_000))
        chunks.append(stream[pos : pos + n])
        pos += n
    return chunks


class RecordingTransport(asyncio.Transport):
    def __init__(self, protocol: RelayWebSocketProtocol) -> None:
        super().__init__()
        self.out = bytearray()
        self.closed = False
        self.reading = asyncio.Event()
        self.reading.set()
        self._protocol = protocol

    def write(self, data: Any) -> None:
        self.out += data

    def writelines(self, list_of_data: Any) -> None:
        for data in list_of_data:
            self.out += data

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            asyncio.get_running_loop().call_soon(self._protocol.connection_lost, None)

    def pause_reading(self) -> None:
        self.reading.clear()

    def resume_reading(self) -> None:
        self.reading.set()

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 50000), "sockname": ("127.0.0.1", 8000)}.get(name, default)


class MaskCount:
    """Stands in for ``wsproto.apply_mask`` and counts its calls: the frames the direct reader
    read (websockets' parser unmasks with its own reference to it)."""

    def __init__(self) -> None:
        self.count = 0
        self._apply = wsproto.apply_mask

    def __call__(self, data: bytes, mask: bytes) -> bytes:
        self.count += 1
        return self._apply(data, mask)


def make_protocol(app: Any) -> RelayWebSocketProtocol:
    """The gateway's websocket protocol for ``app``, as uvicorn would make it (no transport yet)."""
    config = uvicorn.Config(
        app,
        ws=RelayWebSocketProtocol,
        ws_max_size=MAX_SIZE,
        ws_per_message_deflate=False,
        ws_ping_interval=None,
        lifespan="off",
    )
    config.load()
    return RelayWebSocketProtocol(config=config, server_state=ServerState(), app_state={})


async def run(chunks: list[bytes], *, direct: bool) -> tuple[list[dict[str, Any]], bytes, bool, int]:
    """Feed ``chunks`` after a handshake; return (events, bytes written after the 101, closed,
    how many frames the direct reader read)."""
    unmasked = MaskCount()

    events: list[dict[str, Any]] = []
    accepted = asyncio.Event()
    done = asyncio.Event()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        assert (await receive())["type"] == "websocket.connect"
        await send({"type": "websocket.accept"})
        accepted.set()
        while True:
            event = await receive()
            # exactly bytes or str, as ASGI says (a bytearray would compare equal to bytes)
            assert type(event.get("bytes", b"")) is bytes and type(event.get("text", "")) is str
            events.append(event)
            if event["type"] == "websocket.disconnect":
                break
        done.set()

    protocol = make_protocol(app)
    if not direct:
        protocol._direct = False  # websockets' parser for every frame
    transport = RecordingTransport(protocol)
    protocol.connection_made(transport)
    protocol.data_received(HANDSHAKE)
    await asyncio.wait_for(accepted.wait(), 5)
    handshake_end = len(transport.out)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wsproto, "apply_mask", unmasked)  # only the direct reader's
        for chunk in chunks:
            if transport.closed:
                break
            await asyncio.wait_for(transport.reading.wait(), 5)  # a real transport waits while paused
            protocol.data_received(chunk)
    if not transport.closed:
        protocol.connection_lost(None)
    await asyncio.wait_for(done.wait(), 5)
    return events, bytes(transport.out[handshake_end:]), transport.closed, unmasked.count


# Byte by byte for the small streams; the random splits cover the large ones.
CASES = [
    (name, how)
    for name in sorted(STREAMS)
    for how in ("whole", "bytes", "random-1", "random-2", "random-3")
    if how != "bytes" or len(b"".join(STREAMS[name])) < 5000
]


@pytest.mark.parametrize(("name", "how"), CASES)
async def test_the_direct_reader_does_what_websockets_parser_does(name: str, how: str) -> None:
    """Against websockets' parser given one frame per read: the direct reader takes frames one
    at a time however they arrive. (Given several frames in one read, websockets parses them all
    before the application sees any: a client's close parsed after an invalid text frame then
    masks the 1007 with the close reply. The direct reader answers 1007, as frame by frame.)"""
    reference = await run(splits(STREAMS[name], "frames"), direct=False)
    direct = await run(splits(STREAMS[name], how), direct=True)
    assert direct[:3] == reference[:3]
    assert reference[3] == 0  # the reference is websockets' parser alone
    if name in VALID:
        assert direct[3] > 0  # and the direct reader did read this stream


@pytest.mark.parametrize("name", sorted(STREAMS))
async def test_websockets_parser_frame_by_frame_does_not_depend_on_the_split(name: str) -> None:
    """The reference above is websockets' own answer, whatever the bytes within a frame."""
    frames = STREAMS[name]
    by_frame = await run(splits(frames, "frames"), direct=False)
    split = [piece for f in frames for piece in (f[: len(f) // 2], f[len(f) // 2 :]) if piece]
    assert (await run(split, direct=False))[:3] == by_frame[:3]


@pytest.mark.parametrize("direct", [True, False])
async def test_messages_before_a_protocol_error_in_the_same_read_are_delivered(direct: bool) -> None:
    """uvicorn drops what it parsed in the read that fails the connection; nothing is lost here."""
    stream = frame(Opcode.TEXT, b"one") + frame(Opcode.BINARY, b"two") + frame(Opcode.CONT, b"bad")
    events, out, closed, _ = await run([stream], direct=direct)
    assert [e.get("text", e.get("bytes")) for e in events[:-1]] == ["one", b"two"]
    reason = "unexpected continuation frame"
    assert events[-1] == {"type": "websocket.disconnect", "code": 1002, "reason": reason}
    assert closed and out == bytes((0x88, 2 + len(reason))) + struct.pack("!H", 1002) + reason.encode()


async def test_valid_messages_arrive_whole_and_in_order() -> None:
    """The reference itself is right: the stream's messages, then the client's close."""
    events, _out, closed, direct = await run(
        splits(STREAMS["fragmented with a ping inside"], "bytes"), direct=True
    )
    assert [e.get("text", e.get("bytes")) for e in events[:-1]] == ["a" * 10 + "b" * 10 + "c", b"after"]
    assert events[-1]["type"] == "websocket.disconnect" and events[-1]["code"] == 1000
    assert closed and direct == 1  # "after": the fragments are websockets' to join


async def test_a_large_frame_dripped_a_byte_at_a_time_arrives_whole() -> None:
    payload = bytes(range(256)) * 234  # 59,904 bytes: the direct reader's, kept across 59,912 reads
    stream = frame(Opcode.BINARY, payload) + CLOSE
    events, _out, closed, direct = await run(splits([stream], "bytes"), direct=True)
    assert events[0] == {"type": "websocket.receive", "bytes": payload}
    assert events[1]["type"] == "websocket.disconnect" and closed and direct == 1
