"""Chunking of messages over max_payload and their reassembly: in order, whole, or counted lost."""

from __future__ import annotations

import os

from hypothesis import given
from hypothesis import strategies as st

from gateway.budget import MemoryBudget
from gateway.chunks import CHUNK_HEADER, STALE_AFTER, Reassembler, chunk_frames

A, B = b"A" * 8, b"B" * 8


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def reassembler(max_message: int = 1 << 20) -> tuple[Reassembler, list[str], MemoryBudget, Clock]:
    losses: list[str] = []
    budget = MemoryBudget()
    clock = Clock()
    return (
        Reassembler(budget, max_message=max_message, on_loss=losses.append, clock=clock),
        losses,
        budget,
        clock,
    )


@given(st.binary(min_size=1, max_size=5000), st.integers(min_value=1, max_value=700))
def test_chunks_reassemble_into_the_same_bytes(data: bytes, size: int) -> None:
    r, losses, budget, _ = reassembler()
    frames = list(chunk_frames(b"b", A, 1, data, size))
    assert all(len(f) <= size + CHUNK_HEADER for f in frames)
    results = [r.add(f) for f in frames]
    assert results[-1] == data and all(x is None for x in results[:-1])
    assert losses == [] and budget.used == 0


def test_text_comes_back_as_str() -> None:
    r, _, _, _ = reassembler()
    text = "é€😀" * 100
    frames = list(chunk_frames(b"t", A, 1, text.encode(), 97))  # splits inside characters
    assert [r.add(f) for f in frames][-1] == text


def test_two_publishers_interleaved_each_reassemble() -> None:
    r, losses, _, _ = reassembler()
    x, y = os.urandom(3000), os.urandom(3000)
    fx, fy = list(chunk_frames(b"b", A, 1, x, 1000)), list(chunk_frames(b"b", B, 1, y, 1000))
    out = [r.add(f) for pair in zip(fx, fy, strict=True) for f in pair]
    assert [m for m in out if m is not None] == [x, y] and losses == []


def test_a_missing_middle_chunk_loses_that_message_and_the_next_one_arrives_whole() -> None:
    r, losses, budget, _ = reassembler()
    first, second = os.urandom(3000), os.urandom(3000)
    frames = list(chunk_frames(b"b", A, 1, first, 1000))
    del frames[1]
    assert [r.add(f) for f in frames] == [None, None]
    assert losses == ["chunk lost"]
    assert [r.add(f) for f in chunk_frames(b"b", A, 2, second, 1000)][-1] == second
    assert budget.used == 0


def test_a_missing_first_chunk_is_ignored_then_the_next_message_arrives_whole() -> None:
    r, losses, _, _ = reassembler()
    frames = list(chunk_frames(b"b", A, 1, os.urandom(3000), 1000))
    assert [r.add(f) for f in frames[1:]] == [None, None]
    nxt = os.urandom(1500)
    assert [r.add(f) for f in chunk_frames(b"b", A, 2, nxt, 1000)][-1] == nxt


def test_a_missing_last_chunk_is_lost_when_the_publisher_starts_another_message() -> None:
    r, losses, budget, _ = reassembler()
    frames = list(chunk_frames(b"b", A, 1, os.urandom(3000), 1000))
    for f in frames[:-1]:
        r.add(f)
    assert budget.used == 2000  # partial bytes count in the budget
    nxt = os.urandom(2000)
    assert [r.add(f) for f in chunk_frames(b"b", A, 2, nxt, 1000)][-1] == nxt
    assert losses == ["chunk lost"] and budget.used == 0


def test_a_partial_whose_publisher_went_away_is_abandoned_after_the_stale_time() -> None:
    r, losses, budget, clock = reassembler()
    for f in list(chunk_frames(b"b", A, 1, os.urandom(3000), 1000))[:2]:
        r.add(f)
    clock.now += STALE_AFTER + 1
    other = os.urandom(1500)
    assert [r.add(f) for f in chunk_frames(b"b", B, 1, other, 1000)][-1] == other
    assert losses == ["chunk late"] and budget.used == 0


def test_a_chunked_message_over_the_message_limit_is_refused_without_holding_it() -> None:
    r, losses, budget, _ = reassembler(max_message=2000)
    frames = list(chunk_frames(b"b", A, 1, os.urandom(3000), 1000))
    assert [r.add(f) for f in frames] == [None, None, None]
    assert losses == ["chunked message too large"] and budget.used == 0


def test_malformed_chunks_are_counted_and_never_delivered() -> None:
    r, losses, _, _ = reassembler()
    assert r.add(b"short") is None
    assert losses == ["malformed chunk"]


def test_clear_gives_partial_bytes_back() -> None:
    r, _, budget, _ = reassembler()
    r.add(next(chunk_frames(b"b", A, 1, os.urandom(3000), 1000)))
    assert budget.used == 1000
    r.clear()
    assert budget.used == 0
