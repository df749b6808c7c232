from __future__ import annotations

import functools
import re

import pytest
from fileclient_fakes import SimClock

from fileclient.conditions import ConditionWatcher
from fileclient.playfile import Await


def cond(pattern: str, count: int, timeout: float) -> Await:
    return Await(re.compile(pattern), count, timeout, "go")


async def test_condition_met_before_timeout_returns_at_the_last_match() -> None:
    clock = SimClock()
    watcher = ConditionWatcher(clock)
    start = clock.now
    for i, text in enumerate(["foo 1", "bar", "foo 2", "foo 3", "foo 4"]):
        clock.call_later(0.1 * (i + 1), functools.partial(watcher.feed, text))
    outcome = await watcher.wait(cond("^foo", 3, 5.0))
    assert outcome.satisfied and outcome.matched == 3
    assert clock.now - start == pytest.approx(0.4)  # the third "foo" arrived at 0.4 s
    assert outcome.waited == pytest.approx(0.4)


async def test_condition_times_out_exactly_at_its_timeout() -> None:
    clock = SimClock()
    watcher = ConditionWatcher(clock)
    clock.call_later(0.005, lambda: watcher.feed("foo"))
    outcome = await watcher.wait(cond("^foo", 5, 0.010))
    assert not outcome.satisfied and outcome.matched == 1
    assert outcome.waited == pytest.approx(0.010)  # not rounded up to a polling interval


async def test_messages_before_arming_and_after_do_not_count() -> None:
    clock = SimClock()
    watcher = ConditionWatcher(clock)
    watcher.feed("foo")  # before the condition starts
    outcome = await watcher.wait(cond("foo", 1, 1.0))
    assert not outcome.satisfied and outcome.matched == 0
    watcher.feed("foo")  # after: ignored, nothing is armed


async def test_pattern_is_searched_not_anchored() -> None:
    clock = SimClock()
    watcher = ConditionWatcher(clock)
    clock.call_later(0.1, lambda: watcher.feed('{"state":"ok"}'))
    outcome = await watcher.wait(cond('"ok"', 1, 1.0))
    assert outcome.satisfied
