"""The process-wide memory budget as the queues use it: fair shares, drop reasons, UTF-8 sizes."""

from __future__ import annotations

import asyncio

from gateway.budget import MemoryBudget
from gateway.session import DropReason, Session, size_of


def reader(budget: MemoryBudget, **kwargs: object) -> Session:
    return Session(topic="t", can_read=True, can_write=False, budget=budget, **kwargs)  # type: ignore[arg-type]


def test_text_is_counted_in_encoded_bytes() -> None:
    assert size_of("abc") == 3
    assert size_of("é") == 2 and size_of("€") == 3 and size_of("😀") == 4
    assert size_of(b"\xff\x00") == 2


def test_queued_bytes_are_counted_in_the_budget_and_given_back_on_take() -> None:
    budget = MemoryBudget(limit=1000)
    s = reader(budget)
    s.offer("ü" * 10)  # 20 bytes
    s.offer(b"x" * 30)
    assert (budget.used, budget.holders) == (50, 1)
    s.take()
    assert budget.used == 30
    s.take()
    assert (budget.used, budget.holders) == (0, 0)


def test_under_budget_a_queue_holds_up_to_its_own_limit() -> None:
    budget = MemoryBudget(limit=10_000)
    s = reader(budget, max_bytes=1000, max_messages=1000)
    for _ in range(20):
        s.offer(b"x" * 100)
    assert s.queued_bytes == 1000
    assert s.counters.drops == {DropReason.QUEUE: 10}


def test_over_budget_stalled_queues_are_cut_to_a_fair_share_and_a_fresh_reader_still_gets_messages() -> None:
    budget = MemoryBudget(limit=4000)
    stalled = [reader(budget, max_bytes=10_000, max_messages=1000) for _ in range(4)]
    healthy = reader(budget, max_bytes=10_000, max_messages=1000)
    for _ in range(50):
        for s in stalled:
            s.offer(b"x" * 100)
    # Four stalled readers would hold 4 x 5000 bytes; the budget holds them near 4000 in all.
    assert budget.used <= budget.limit + 100 * len(stalled)
    assert all(s.counters.drops.get(DropReason.BUDGET, 0) > 0 for s in stalled)
    for i in range(10):
        healthy.offer(f"m{i}")
        assert healthy.take() == f"m{i}"  # a reader that keeps up loses nothing
    assert healthy.counters.dropped == 0


def test_a_message_larger_than_the_fair_share_still_reaches_an_empty_queue() -> None:
    budget = MemoryBudget(limit=1000)
    hog = reader(budget, max_bytes=10_000)
    hog.offer(b"x" * 900)
    other = reader(budget, max_bytes=10_000)
    other.offer(b"y" * 700)  # over budget, fair share 500 < 700: the queue is empty, so it is admitted
    assert other.take() == b"y" * 700


def test_lossless_queues_count_in_the_budget_but_never_drop() -> None:
    budget = MemoryBudget(limit=100)
    pipe = reader(budget, lossless=True, max_bytes=1000)
    for _ in range(5):
        pipe.offer(b"x" * 50)
    assert pipe.queued == 5 and pipe.counters.dropped == 0 and budget.used == 250


def test_release_gives_everything_back() -> None:
    budget = MemoryBudget(limit=10_000)
    s = reader(budget)
    s.offer(b"x" * 100)
    s.offer("y" * 10)
    s.release()
    assert (budget.used, budget.holders, s.queued) == (0, 0, 0)
    assert budget.peak == 110


async def test_wait_space_reports_a_reader_that_takes_nothing_for_the_stall_time() -> None:
    pipe = reader(MemoryBudget(), lossless=True, max_messages=2)
    pipe.offer(b"a")
    pipe.offer(b"b")
    assert await pipe.wait_space(stall=0.05) is False


async def test_wait_space_returns_true_once_the_reader_takes() -> None:
    pipe = reader(MemoryBudget(), lossless=True, max_messages=2)
    pipe.offer(b"a")
    pipe.offer(b"b")
    waiter = asyncio.ensure_future(pipe.wait_space(stall=5))
    await asyncio.sleep(0)
    assert not waiter.done()
    pipe.take()
    assert await waiter is True


def test_bus_failure_counts_for_a_lossy_writer_and_closes_a_lossless_one() -> None:
    lossy = Session(topic="t", can_read=False, can_write=True)
    lossy.bus_failed("publish failed: ConnectionClosedError")
    assert lossy.counters.unsent == 1 and lossy.close_request is None
    pipe = Session(topic="t", can_read=True, can_write=True, lossless=True)
    pipe.bus_failed("publish failed: ConnectionClosedError")
    assert pipe.close_request == (1011, "relay lost data: publish failed: ConnectionClosedError")
