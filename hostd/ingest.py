"""MPEG-TS ingest: cut a long-lived HTTP POST body into messages at idle gaps.

ffmpeg writes each encoded frame in one burst, so "no new bytes for ``idle`` seconds" marks a
frame boundary (as practable's vw, 1 ms). ``Framer`` is the pure buffer; ``bursts`` adds the
clock. Neither publishes: the route in ``localapi`` does, without ever waiting.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from typing import Final

MAX_FRAME: Final = 1_024_000  # bytes, the original's buffer size
IDLE_GAP: Final = 0.001  # seconds without new bytes that end a frame


class Framer:
    """Accumulates chunks; a frame is cut at an idle gap (``flush``) or at ``max_size``."""

    def __init__(self, max_size: int = MAX_FRAME) -> None:
        if max_size <= 0:
            raise ValueError("max_size must be positive")
        self.max_size = max_size
        self._buffer = bytearray()  # owned by the single reader of one POST body

    @property
    def pending(self) -> int:
        return len(self._buffer)

    def push(self, chunk: bytes) -> list[bytes]:
        """Add bytes; returns the frames that reached ``max_size`` (usually none)."""
        self._buffer += chunk
        frames: list[bytes] = []
        while len(self._buffer) >= self.max_size:
            frames.append(bytes(self._buffer[: self.max_size]))
            del self._buffer[: self.max_size]
        return frames

    def flush(self) -> bytes | None:
        """Return the buffered bytes as one frame, or None if there are none."""
        if not self._buffer:
            return None
        frame = bytes(self._buffer)
        self._buffer.clear()
        return frame


async def bursts(
    chunks: AsyncIterable[bytes], *, idle: float = IDLE_GAP, max_size: int = MAX_FRAME
) -> AsyncIterator[bytes]:
    """Yield one frame per burst of ``chunks``: a frame ends after ``idle`` seconds without data.

    The pending read is never cancelled while waiting (cancelling an ASGI body iterator would
    end it); it simply stays in flight across idle timeouts.
    """
    framer = Framer(max_size)
    source = aiter(chunks)
    pending: asyncio.Future[bytes] | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anext(source))
            done, _ = await asyncio.wait({pending}, timeout=idle if framer.pending else None)
            if not done:
                frame = framer.flush()
                if frame is not None:
                    yield frame
                continue
            future, pending = pending, None
            try:
                chunk = future.result()
            except StopAsyncIteration:
                break
            for frame in framer.push(chunk):
                yield frame
        rest = framer.flush()
        if rest is not None:
            yield rest
    finally:
        if pending is not None:
            pending.cancel()
