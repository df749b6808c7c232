"""Plays a parsed script: pauses, sends, waits on conditions, changes the log filter, echoes comments;
and logs what comes back through the filter.

No sockets here: sending is a callable, time is a ``Clock``, so tests run a script in simulated time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fileclient.clock import Clock
from fileclient.conditions import ConditionWatcher
from fileclient.filters import Filter
from fileclient.logformat import as_text
from fileclient.logwriter import LogWriter
from fileclient.playfile import Await, Blank, Comment, FilterCommand, Script, Send, Step, Wait

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PlayStats:
    """Counts for the end-of-play summary."""

    sent: int = 0
    unsent: int = 0  # the connection closed while sending
    satisfied: int = 0  # conditions met
    timed_out: int = 0  # conditions whose timeout came first
    logged: int = 0
    filtered: int = 0


class Player:
    """Runs one script; ``on_message`` is the receive callback for the session."""

    def __init__(
        self,
        *,
        script: Script,
        send: Callable[[str], Awaitable[bool]],
        writer: LogWriter,
        clock: Clock,
        wall: Callable[[], int] = time.time_ns,
    ) -> None:
        self.stats = PlayStats()
        self.filter = Filter()  # changed only by play(), read by on_message()
        self._script = script
        self._send = send
        self._writer = writer
        self._clock = clock
        self._wall = wall
        self._conditions = ConditionWatcher(clock)

    def on_message(self, at_ns: int, data: str | bytes) -> None:
        """Count a received message for the armed condition, then log it if the filter passes it."""
        text = as_text(data)
        self._conditions.feed(text)
        if self.filter.passes(text):
            self._writer.message(at_ns, data)
            self.stats.logged += 1
        else:
            self.stats.filtered += 1

    async def play(self) -> PlayStats:
        """Play every step in order and return the counts."""
        for number, step in self._script.steps:
            await self._step(number, step)
        return self.stats

    async def _step(self, number: int, step: Step) -> None:
        if log.isEnabledFor(logging.DEBUG):
            log.debug("line %d: %s", number, step)
        if isinstance(step, Comment):
            if step.echo:
                self._writer.echo(self._wall(), step.text)
        elif isinstance(step, Wait):
            await self._clock.sleep(step.delay)
        elif isinstance(step, Send):
            if step.delay > 0:
                await self._clock.sleep(step.delay)
            await self._transmit(step.message)
        elif isinstance(step, Await):
            outcome = await self._conditions.wait(step)
            if outcome.satisfied:
                self.stats.satisfied += 1
            else:
                self.stats.timed_out += 1
                log.info(
                    "line %d: condition timed out after %.3fs with %d/%d matches",
                    number,
                    outcome.waited,
                    outcome.matched,
                    step.count,
                )
            if step.message:
                await self._transmit(step.message)
        elif isinstance(step, FilterCommand):
            self.filter.apply(step)
        else:
            assert isinstance(step, Blank)

    async def _transmit(self, message: str) -> None:
        if await self._send(message):
            self.stats.sent += 1
        else:
            self.stats.unsent += 1
