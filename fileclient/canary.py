"""The monitor's arithmetic: canary payloads, a latency window with percentiles, and the tripwire
that turns misses into triggers.

Pure: callers pass times; nothing here sleeps or reads a clock.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field


def encode_ns(at_ns: int) -> bytes:
    """A canary payload: the send time in ns since the epoch, big-endian, minimal length (as practable)."""
    return at_ns.to_bytes(max(1, (at_ns.bit_length() + 7) // 8), "big")


def decode_ns(data: str | bytes) -> int | None:
    """The send time of a canary, or None for anything that is not one (text, empty, over 8 bytes)."""
    if isinstance(data, str) or not 1 <= len(data) <= 8:
        return None
    return int.from_bytes(data, "big")


@dataclass(slots=True)
class LatencyWindow:
    """The last ``size`` latencies (seconds), for p50/p99 on the status line."""

    size: int = 1000
    _samples: deque[float] = field(init=False)

    def __post_init__(self) -> None:
        self._samples = deque(maxlen=self.size)

    def add(self, seconds: float) -> None:
        self._samples.append(seconds)

    def __len__(self) -> int:
        return len(self._samples)

    @property
    def last(self) -> float | None:
        return self._samples[-1] if self._samples else None

    def percentile(self, q: float) -> float | None:
        """Nearest-rank percentile (``q`` in 0..100) of the window, None when it is empty."""
        if not self._samples:
            return None
        ordered = sorted(self._samples)
        rank = max(1, math.ceil(q / 100 * len(ordered)))
        return ordered[min(rank, len(ordered)) - 1]


@dataclass(slots=True, kw_only=True)
class Tripwire:
    """Counts consecutive misses; ``trigger_after`` of them trigger, then it rests for a while.

    A miss is a canary later than ``threshold`` or a silence (no canary in time); a canary on time
    resets the count. After a trigger nothing counts for ``no_retrigger_within`` seconds.
    """

    threshold: float  # seconds
    trigger_after: int
    no_retrigger_within: float  # seconds
    misses: int = 0  # owned by the monitor's watch task
    triggers: int = 0
    resting_until: float = -math.inf

    def canary(self, latency: float, now: float) -> bool:
        """Record a canary's latency; return True when this should trigger the command."""
        if now < self.resting_until:
            return False
        if latency > self.threshold:
            return self._miss(now)
        self.misses = 0
        return False

    def silence(self, now: float) -> bool:
        """Record that no canary arrived in time; return True when this should trigger."""
        if now < self.resting_until:
            return False
        return self._miss(now)

    def _miss(self, now: float) -> bool:
        self.misses += 1
        if self.misses < self.trigger_after:
            return False
        self.misses = 0
        self.triggers += 1
        self.resting_until = now + self.no_retrigger_within
        return True
