"""A lean websocket load generator on websockets' sans-I/O protocol.

The asyncio client spends ~20 us per message in futures and queues; on a 2-core machine that
would measure the load generator, not the relay. This client parses frames straight out of
``data_received`` and writes frames in batches (as wrk pipelines requests).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import cast
from urllib.parse import urlsplit

from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.uri import parse_uri


class LeanClient(asyncio.Protocol):
    def __init__(self, uri: str, on_frame: Callable[[Frame], None] | None = None) -> None:
        self.protocol = ClientProtocol(parse_uri(uri), max_size=None)
        self.on_frame = on_frame
        self.open = asyncio.get_running_loop().create_future()
        self.closed = asyncio.get_running_loop().create_future()
        self.close_frame: asyncio.Future[tuple[float, int]] = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None
        self._writable = asyncio.Event()
        self._writable.set()
        self._request = self.protocol.connect()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports don't subclass it
        self.transport.set_write_buffer_limits(high=1024 * 1024)
        self.protocol.send_request(self._request)
        self._flush()

    def data_received(self, data: bytes) -> None:
        self.protocol.receive_data(data)
        for event in self.protocol.events_received():
            if isinstance(event, Response):
                if not self.open.done():
                    self.open.set_result(None)
            elif isinstance(event, Frame) and event.opcode in (Opcode.TEXT, Opcode.BINARY):
                if self.on_frame is not None:
                    self.on_frame(event)
            elif isinstance(event, Frame) and event.opcode is Opcode.CLOSE and not self.close_frame.done():
                code = int.from_bytes(event.data[:2], "big") if len(event.data) >= 2 else 1005
                self.close_frame.set_result((time.perf_counter(), code))
        self._flush()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed.done():
            self.closed.set_result(None)
        self._writable.set()

    def pause_writing(self) -> None:
        self._writable.clear()

    def resume_writing(self) -> None:
        self._writable.set()

    def _flush(self) -> None:
        data = self.protocol.data_to_send()
        if data and self.transport is not None:
            self.transport.write(b"".join(data))

    async def send_many(self, payload: bytes, count: int, batch: int = 64) -> None:
        """Send ``count`` binary messages, writing ``batch`` frames per syscall."""
        for start in range(0, count, batch):
            await self._writable.wait()
            for _ in range(min(batch, count - start)):
                self.protocol.send_binary(payload)
            self._flush()

    async def send_one(self, payload: bytes) -> None:
        await self._writable.wait()
        self.protocol.send_binary(payload)
        self._flush()

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def lean_connect(uri: str, on_frame: Callable[[Frame], None] | None = None) -> LeanClient:
    parts = urlsplit(uri)
    loop = asyncio.get_running_loop()
    _, client = await loop.create_connection(lambda: LeanClient(uri, on_frame), parts.hostname, parts.port)
    await asyncio.wait_for(client.open, 10)
    return client
