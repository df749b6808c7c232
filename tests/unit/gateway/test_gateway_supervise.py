"""gateway.supervise: a failing job is logged once per failure and restarted with backoff;
a job that returns is done; cancellation stops it. No I/O: sleep and clock are fakes."""

from __future__ import annotations

import asyncio
import logging

import pytest

from gateway.supervise import backoff, run_supervised


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_backoff_doubles_up_to_the_cap() -> None:
    delays = backoff(first=0.5, cap=3.0)
    assert [next(delays) for _ in range(6)] == [0.5, 1.0, 2.0, 3.0, 3.0, 3.0]


async def test_a_failing_job_is_restarted_with_growing_delays_and_logged_once_each(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake, runs = FakeTime(), []

    async def job() -> None:
        runs.append(fake.now)
        if len(runs) < 4:
            raise RuntimeError(f"boom {len(runs)}")

    await run_supervised("tidy", job, first=1.0, cap=3.0, sleep=fake.sleep, clock=fake.clock)
    assert len(runs) == 4
    assert fake.sleeps == [1.0, 2.0, 3.0]
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in errors] == ["background task tidy failed; restarting it"] * 3
    assert all(r.exc_info is not None for r in errors)  # with the traceback
    assert [str(r.exc_info[1]) for r in errors if r.exc_info] == ["boom 1", "boom 2", "boom 3"]


async def test_a_long_healthy_run_resets_the_backoff() -> None:
    fake, runs = FakeTime(), []

    async def job() -> None:
        runs.append(1)
        if len(runs) == 3:
            fake.now += 100.0  # this run lasted longer than healthy_after
        if len(runs) < 5:
            raise RuntimeError("boom")

    await run_supervised(
        "reconcile", job, first=1.0, cap=30.0, healthy_after=60.0, sleep=fake.sleep, clock=fake.clock
    )
    assert fake.sleeps == [1.0, 2.0, 1.0, 2.0]


async def test_a_job_that_returns_is_done() -> None:
    fake, runs = FakeTime(), []

    async def job() -> None:
        runs.append(1)

    await run_supervised("open-buckets", job, sleep=fake.sleep, clock=fake.clock)
    assert runs == [1] and fake.sleeps == []


async def test_cancellation_is_not_a_failure(caplog: pytest.LogCaptureFixture) -> None:
    started = asyncio.Event()

    async def job() -> None:
        started.set()
        await asyncio.Event().wait()  # forever

    task = asyncio.create_task(run_supervised("heartbeat", job))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_base_exceptions_propagate() -> None:
    fake = FakeTime()

    async def job() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        await run_supervised("stats-reporter", job, sleep=fake.sleep, clock=fake.clock)
    assert fake.sleeps == []
