"""One process-wide bound on the bytes a replica holds while relaying (docs/memory.md).

Pure: no I/O. Every place that holds relayed bytes counts them here: outbound queues
(``session.Session``), messages gathered for NATS and chunks being reassembled (``natsbus``).
A message queued for several readers is counted once per reader, so the figure is an upper
bound of what the queues really hold (readers of one topic share the same object).

Over the limit, lossy queues are cut to a fair share (``limit // holders``, applied in
``Session.offer``) as messages arrive, and drop the oldest first: the readers holding the most lose the most, a reader that keeps up
holds little and keeps receiving.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_LIMIT = 256 * 1024 * 1024  # bytes: RELAY_MEMORY_LIMIT's default


@dataclass(slots=True)
class MemoryBudget:
    """Counters owned by the event loop: every add has a matching sub."""

    limit: int = DEFAULT_LIMIT
    used: int = 0  # bytes held now, all holders together
    peak: int = 0  # the largest ``used`` seen
    holders: int = 0  # lossy queues holding at least one message

    def add(self, size: int) -> None:
        self.used += size
        if self.used > self.peak:
            self.peak = self.used

    def sub(self, size: int) -> None:
        self.used -= size
