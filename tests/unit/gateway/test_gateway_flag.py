"""Flag and Inbox: asyncio.Event's and asyncio.Queue's contracts (as the gateway uses them),
without their per-object deques, and nothing kept for waiters that gave up."""

from __future__ import annotations

import asyncio

import pytest

from gateway.flag import Flag
from gateway.session import Session
from gateway.wsproto import Inbox


async def test_wait_returns_at_once_when_set_and_after_set_otherwise() -> None:
    flag = Flag()
    assert not flag.is_set()
    waiting = asyncio.create_task(flag.wait())
    await asyncio.sleep(0)
    assert not waiting.done()
    flag.set()
    assert await waiting is True
    assert flag.is_set()
    assert await flag.wait() is True  # already set: no suspension needed


async def test_set_wakes_every_waiter_and_clear_rearms() -> None:
    flag = Flag()
    waiters = [asyncio.create_task(flag.wait()) for _ in range(3)]
    await asyncio.sleep(0)
    flag.set()
    assert await asyncio.gather(*waiters) == [True, True, True]
    flag.clear()
    again = asyncio.create_task(flag.wait())
    await asyncio.sleep(0)
    assert not again.done()
    flag.set()
    await again


async def test_future_resolves_on_set_and_is_born_done_when_already_set() -> None:
    flag = Flag()
    pending = flag.future()
    assert not pending.done()
    flag.set()
    assert pending.done()
    assert flag.future().done()


async def test_cancelled_waiters_are_forgotten() -> None:
    flag = Flag()
    for _ in range(100):
        task = asyncio.create_task(flag.wait())
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    waiter = flag.future()
    flag.forget(waiter)
    assert not flag._waiters  # nothing accumulates on a flag that is never set


async def test_stalled_lossless_waits_leave_no_waiters_behind() -> None:
    session = Session(topic="t", can_read=True, can_write=True, lossless=True, max_messages=1)
    session.offer(b"x")
    for _ in range(20):
        assert await session.wait_space(stall=0.001) is False  # nobody takes: stalled
    assert not session._close_event._waiters
    assert not session._space._waiters


async def test_close_requested_future_resolves_on_request_close() -> None:
    session = Session(topic="t", can_read=True, can_write=True)
    closing = session.close_requested()
    assert not closing.done()
    session.request_close(4000, "bye")
    assert closing.done()
    assert session.close_request == (4000, "bye")


async def test_inbox_is_fifo_and_get_waits_for_a_put() -> None:
    inbox = Inbox()
    assert inbox.empty()
    inbox.put_nowait(1)
    inbox.put_nowait(2)
    assert inbox.qsize() == 2
    assert await inbox.get() == 1
    assert await inbox.get() == 2
    getting = asyncio.create_task(inbox.get())
    await asyncio.sleep(0)
    assert not getting.done()
    inbox.put_nowait(3)
    assert await getting == 3
    assert inbox.empty()


async def test_inbox_get_cancelled_loses_nothing() -> None:
    inbox = Inbox()
    getting = asyncio.create_task(inbox.get())
    await asyncio.sleep(0)
    getting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await getting
    inbox.put_nowait("kept")
    assert await inbox.get() == "kept"


async def test_inbox_keeps_order_and_count_when_puts_and_gets_interleave() -> None:
    """Items are taken by index (a lost connection's held frames can be thousands at once)."""
    inbox = Inbox()
    taken = []
    for i in range(10_000):
        inbox.put_nowait(i)
    for i in range(10_000, 10_100):
        taken.append(await inbox.get())
        inbox.put_nowait(i)
        assert inbox.qsize() == 10_000
    while not inbox.empty():
        taken.append(await inbox.get())
    assert taken == list(range(10_100)) and inbox.qsize() == 0
