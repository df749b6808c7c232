"""One byte stream (a TCP connection) piped both ways through one websocket, jump's framing.

Reference 11.6: each read of up to 65535 bytes becomes one binary message; binary messages are
written out; text messages are ignored. Unlike jump, when either side ends the other is closed.
Shared by hostd (the lab side of an ssh tunnel) and fileclient (ssh-proxy, forward).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Protocol

from websockets.exceptions import ConnectionClosed

log = logging.getLogger(__name__)

CHUNK = 65535  # bytes per binary message, jump's maximum message size
CLOSE_GRACE = 2.0  # seconds a closing websocket waits for the peer's close frame


class ByteReader(Protocol):
    async def read(self, n: int = -1) -> bytes: ...


class ByteWriter(Protocol):
    def write(self, data: bytes) -> None: ...

    async def drain(self) -> None: ...

    def close(self) -> None: ...

    async def wait_closed(self) -> None: ...


class MessageSocket(Protocol):
    """The part of a websockets ``ClientConnection`` the pipe uses."""

    @property
    def close_code(self) -> int | None: ...

    @property
    def close_reason(self) -> str | None: ...

    async def send(self, message: bytes) -> None: ...

    async def recv(self) -> str | bytes: ...

    async def close(self, code: int = 1000, reason: str = "") -> None: ...


@dataclass(slots=True)
class PipeStats:
    """Counters of one pipe; written by its two pump tasks only."""

    to_ws: int = 0  # bytes read from the stream and sent as binary messages
    from_ws: int = 0  # bytes of binary messages written to the stream
    ignored_text: int = 0  # text messages dropped (reserved for control, reference 11.6)
    ended_by: str = ""  # "stream" (EOF or error on the byte stream), "websocket" or "cancelled"


async def _stream_to_ws(reader: ByteReader, ws: MessageSocket, stats: PipeStats) -> None:
    try:
        while True:
            data = await reader.read(CHUNK)
            if not data:
                return
            await ws.send(data)
            stats.to_ws += len(data)
    except (ConnectionClosed, OSError):
        return


async def _ws_to_stream(ws: MessageSocket, writer: ByteWriter, stats: PipeStats) -> None:
    try:
        while True:
            message = await ws.recv()
            if isinstance(message, str):
                stats.ignored_text += 1
                continue
            writer.write(message)
            await writer.drain()  # one message at a time: the websocket pushes back on the relay
            stats.from_ws += len(message)
    except (ConnectionClosed, OSError):
        return


async def close_ws(ws: MessageSocket, code: int = 1000, reason: str = "") -> None:
    """Close politely within ``CLOSE_GRACE`` seconds; a peer that stopped reading is not waited for."""
    try:
        async with asyncio.timeout(CLOSE_GRACE):
            await ws.close(code, reason)
    except TimeoutError:
        transport = getattr(ws, "transport", None)
        if transport is not None:
            transport.abort()


async def close_stream(writer: ByteWriter) -> None:
    """Close the byte stream, ignoring a peer that already went away."""
    try:
        writer.close()
        async with asyncio.timeout(CLOSE_GRACE):
            await writer.wait_closed()
    except (OSError, TimeoutError):
        pass  # already reset by the peer, or it stopped reading: nothing left to deliver


async def pipe(
    ws: MessageSocket, reader: ByteReader, writer: ByteWriter, stats: PipeStats | None = None
) -> PipeStats:
    """Copy both ways until either side ends, then close both (websocket with 1000).

    Cancellation closes both sides too (``stats.ended_by`` is then "cancelled"; pass ``stats`` in
    to read the counters after a cancellation). Returns the counters; never raises
    ``ConnectionClosed`` or ``OSError`` from either side.
    """
    stats = stats if stats is not None else PipeStats()
    stats.ended_by = "cancelled"
    up = asyncio.create_task(_stream_to_ws(reader, ws, stats))
    down = asyncio.create_task(_ws_to_stream(ws, writer, stats))
    try:
        done, _ = await asyncio.wait({up, down}, return_when=asyncio.FIRST_COMPLETED)
        stats.ended_by = "stream" if up in done else "websocket"
    finally:
        for task in (up, down):
            task.cancel()
        await asyncio.gather(up, down, return_exceptions=True)
        await _close_both(ws, writer)  # bounded by CLOSE_GRACE, also when cancelled
    return stats


async def _close_both(ws: MessageSocket, writer: ByteWriter) -> None:
    await close_ws(ws)
    await close_stream(writer)
