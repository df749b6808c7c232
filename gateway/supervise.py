"""Keep a background job alive: run it, log an unexpected failure once, restart it with backoff.

Owns no I/O of its own (the sleep and the clock are parameters), so it is tested without any.
A job that returns normally is finished and is not restarted; cancellation stops supervision.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Final

log = logging.getLogger(__name__)

FIRST_DELAY: Final = 0.5  # seconds before the first restart
MAX_DELAY: Final = 30.0  # seconds between restarts at most
HEALTHY_AFTER: Final = 60.0  # seconds of running that reset the backoff


def backoff(first: float = FIRST_DELAY, cap: float = MAX_DELAY, factor: float = 2.0) -> Iterator[float]:
    """Delays ``first``, ``first*factor``, ... capped at ``cap`` (seconds), forever."""
    delay = first
    while True:
        yield min(delay, cap)
        delay = min(delay * factor, cap)


async def run_supervised(
    name: str,
    job: Callable[[], Awaitable[None]],
    *,
    first: float = FIRST_DELAY,
    cap: float = MAX_DELAY,
    healthy_after: float = HEALTHY_AFTER,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Run ``job()`` until it returns; restart it after each unexpected exception.

    Each failure is logged once at ERROR with its traceback. The delay before a restart grows
    from ``first`` to ``cap`` and starts again from ``first`` once a run lasted ``healthy_after``
    seconds. Cancellation (and BaseExceptions such as KeyboardInterrupt) propagate.
    """
    delays = backoff(first, cap)
    while True:
        started = clock()
        try:
            await job()
        except Exception:
            log.exception("background task %s failed; restarting it", name, extra={"task": name})
        else:
            return
        if clock() - started >= healthy_after:
            delays = backoff(first, cap)
        await sleep(next(delays))


def spawn(
    name: str, job: Callable[[], Awaitable[None]], *, first: float = FIRST_DELAY, cap: float = MAX_DELAY
) -> asyncio.Task[None]:
    """Start ``job`` as a supervised task named ``name`` (see :func:`run_supervised`)."""
    return asyncio.create_task(run_supervised(name, job, first=first, cap=cap), name=name)
