from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from hostd.ingest import Framer, bursts


def test_framer_flushes_what_it_buffered() -> None:
    framer = Framer(100)
    assert framer.push(b"abc") == [] and framer.push(b"def") == []
    assert framer.flush() == b"abcdef"
    assert framer.flush() is None


def test_framer_cuts_at_max_size() -> None:
    framer = Framer(4)
    assert framer.push(b"0123456789") == [b"0123", b"4567"]
    assert framer.flush() == b"89"


def test_framer_rejects_a_zero_limit() -> None:
    with pytest.raises(ValueError):
        Framer(0)


async def _from_queue(queue: asyncio.Queue[bytes | None]) -> AsyncIterator[bytes]:
    while (chunk := await queue.get()) is not None:
        yield chunk


async def test_back_to_back_chunks_form_one_message_and_a_gap_ends_it() -> None:
    queue: asyncio.Queue[bytes | None] = asyncio.Queue()
    frames = bursts(_from_queue(queue), idle=0.05)
    queue.put_nowait(b"he")
    queue.put_nowait(b"llo")
    assert await anext(frames) == b"hello"  # cut by the idle gap, the body is still open
    queue.put_nowait(b"world")
    queue.put_nowait(None)
    assert await anext(frames) == b"world"  # end of body flushes the rest
    with pytest.raises(StopAsyncIteration):
        await anext(frames)


async def test_oversized_burst_is_split_at_max_size() -> None:
    queue: asyncio.Queue[bytes | None] = asyncio.Queue()
    for chunk in (b"x" * 6, b"y" * 6, None):
        queue.put_nowait(chunk)
    frames = [frame async for frame in bursts(_from_queue(queue), idle=10.0, max_size=5)]
    assert frames == [b"xxxxx", b"xyyyy", b"yy"]
