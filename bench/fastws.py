"""A lean websocket load generator: websockets' sans-I/O protocol for the handshake, then frames
built and parsed by hand.

The asyncio client spends ~20 us per message in futures, queues and generic frame handling; on a
2-core machine that would measure the load generator, not the relay. After the handshake this
client parses server frames (never masked) with a few slices and sends pre-built masked frames in
batches, as wrk pipelines identical requests.
"""

from __future__ import annotations

import asyncio
import os
import struct
import time
from collections.abc import Callable
from typing import cast
from urllib.parse import urlsplit

from websockets.client import ClientProtocol
from websockets.http11 import Response
from websockets.uri import parse_uri

TEXT, BINARY, CLOSE, PING, PONG = 0x1, 0x2, 0x8, 0x9, 0xA


def masked_frame(payload: bytes, opcode: int = BINARY) -> bytes:
    """One final client frame. A fixed mask per payload is fine for a load generator."""
    mask = os.urandom(4)
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
    elif length < 65536:
        header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
    repeated = (mask * (length // 4 + 1))[:length]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(length, "big")
    return header + mask + masked


class LeanClient(asyncio.Protocol):
    def __init__(self, uri: str, on_frame: Callable[[int, bytes], None] | None = None) -> None:
        self.protocol = ClientProtocol(parse_uri(uri), max_size=None)
        self.on_frame = on_frame
        loop = asyncio.get_running_loop()
        self.open = loop.create_future()
        self.closed = loop.create_future()
        self.close_frame: asyncio.Future[tuple[float, int]] = loop.create_future()
        self.transport: asyncio.Transport | None = None
        self._writable = asyncio.Event()
        self._writable.set()
        self._request = self.protocol.connect()
        self._buffer = b""
        self._handshaken = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports don't subclass it
        self.transport.set_write_buffer_limits(high=1024 * 1024)
        self.protocol.send_request(self._request)
        self.transport.write(b"".join(self.protocol.data_to_send()))

    def data_received(self, data: bytes) -> None:
        if not self._handshaken:
            self.protocol.receive_data(data)
            for event in self.protocol.events_received():
                if isinstance(event, Response):
                    self._handshaken = True
                    self.open.set_result(None)
            # Bytes after the 101 response are frames: take them from the parser's buffer.
            data = bytes(self.protocol.reader.buffer) if self._handshaken else b""
            if not self._handshaken:
                return
        buffer = self._buffer + data if self._buffer else data
        pos, end = 0, len(buffer)
        on_frame = self.on_frame
        while end - pos >= 2:
            opcode, length = buffer[pos] & 0x0F, buffer[pos + 1] & 0x7F
            head = 2
            if length == 126:
                if end - pos < 4:
                    break
                length, head = struct.unpack_from("!H", buffer, pos + 2)[0], 4
            elif length == 127:
                if end - pos < 10:
                    break
                length, head = struct.unpack_from("!Q", buffer, pos + 2)[0], 10
            if end - pos < head + length:
                break
            start = pos + head
            if opcode in (TEXT, BINARY, 0x0):
                if on_frame is not None:
                    on_frame(opcode, buffer[start : start + length])
            elif opcode == PING and self.transport is not None:
                # Answer the gateway's keep-alive, or it closes a long-running client after ~60 s.
                self.transport.write(masked_frame(bytes(buffer[start : start + length]), PONG))
            elif opcode == CLOSE and not self.close_frame.done():
                code = struct.unpack_from("!H", buffer, start)[0] if length >= 2 else 1005
                self.close_frame.set_result((time.perf_counter(), code))
            pos = start + length
        self._buffer = buffer[pos:]

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed.done():
            self.closed.set_result(None)
        self._writable.set()

    def pause_writing(self) -> None:
        self._writable.clear()

    def resume_writing(self) -> None:
        self._writable.set()

    async def send_frames(self, frame: bytes, count: int) -> None:
        """Write ``count`` copies of a pre-built frame in one go (after any back-pressure)."""
        await self._writable.wait()
        assert self.transport is not None
        self.transport.write(frame * count)

    async def send_one(self, payload: bytes) -> None:
        await self.send_frames(masked_frame(payload), 1)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def lean_connect(uri: str, on_frame: Callable[[int, bytes], None] | None = None) -> LeanClient:
    parts = urlsplit(uri)
    loop = asyncio.get_running_loop()
    _, client = await loop.create_connection(lambda: LeanClient(uri, on_frame), parts.hostname, parts.port)
    await asyncio.wait_for(client.open, 10)
    return client
