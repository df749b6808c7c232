"""Play-script conditions: wait until COUNT received messages match a regexp, or a timeout.

Only messages received after the condition is armed count. The deadline is exact (the original
polled every ``RELAY_CLIENT_INTERVAL``, so short timeouts overran by up to a second).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from fileclient.clock import Clock
from fileclient.playfile import Await

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a condition ended."""

    satisfied: bool  # False: the timeout came first
    matched: int  # matching messages seen
    waited: float  # seconds


class _Watch:
    def __init__(self, condition: Await) -> None:
        self.condition = condition
        self.matched = 0
        self.done = asyncio.Event()

    def feed(self, text: str) -> None:
        if self.condition.pattern.search(text):
            self.matched += 1
            if self.matched >= self.condition.count:
                self.done.set()


class ConditionWatcher:
    """Holds the one armed condition of a script and counts the messages fed to it."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._watch: _Watch | None = None  # owned by wait(); feed() only counts

    def feed(self, text: str) -> None:
        """Count a received message (call for every message, before filtering)."""
        if self._watch is not None:
            self._watch.feed(text)

    async def wait(self, condition: Await) -> Outcome:
        """Arm ``condition`` and return when it is satisfied or its timeout has passed.

        Args:
            condition: the parsed condition.

        Returns:
            Whether it was satisfied, how many messages matched and how long it took.
        """
        watch = _Watch(condition)
        self._watch = watch
        started = self._clock.monotonic()
        try:
            satisfied = await self._clock.wait_event(watch.done, condition.timeout)
        finally:
            self._watch = None
        waited = self._clock.monotonic() - started
        log.debug(
            "condition %r %s after %.3fs with %d/%d matches",
            condition.pattern.pattern,
            "satisfied" if satisfied else "timed out",
            waited,
            watch.matched,
            condition.count,
        )
        return Outcome(satisfied, watch.matched, waited)
