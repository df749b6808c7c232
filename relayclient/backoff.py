"""Exponential backoff with jitter for reconnect loops.

Pure: it computes delays and never sleeps, so callers (and tests) own the clock.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(slots=True, kw_only=True)
class Backoff:
    """Delays of 1 s, 2 s, 4 s ... capped at ``maximum``, each spread by +/- ``jitter``.

    Jitter keeps a fleet of hosts that lost the gateway at the same moment from coming back
    in lock step. ``reset()`` after a healthy connection starts the sequence again.
    """

    minimum: float = 1.0  # seconds before the first retry
    maximum: float = 10.0  # seconds; the delay never grows past this
    factor: float = 2.0
    jitter: float = 0.2  # fraction of the delay, 0 means none
    rng: random.Random = field(default_factory=random.Random)
    _attempt: int = 0  # owned by the reconnect loop that holds this Backoff

    def next_delay(self) -> float:
        """Return the delay before the next attempt and advance the sequence."""
        base = min(self.maximum, self.minimum * self.factor**self._attempt)
        self._attempt += 1
        if self.jitter <= 0:
            return base
        spread = base * self.jitter
        return max(0.0, min(self.maximum, base + self.rng.uniform(-spread, spread)))

    def reset(self) -> None:
        """Start again from ``minimum`` (call after a connection proved healthy)."""
        self._attempt = 0
