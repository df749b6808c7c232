"""Messages larger than the NATS server's max_payload cross it in chunks.

Pure: no I/O. A chunk is a NATS message whose payload starts with a fixed header:

    type (1: b"t" or b"b") | publisher (8) | sequence (8) | total length (4) | offset (4)

followed by the bytes of ``[offset, offset + len)``. NATS keeps the order of one connection's
messages, so the chunks of a message arrive in order, after whatever its publisher sent
before it. A receiving subscription keeps at most one partial message per publisher; a chunk
that does not continue it (lost, late, or a publisher that restarted) abandons the partial,
which is then *lost*, never delivered in part or corrupt. Partial bytes count in the memory
budget; a partial that waits longer than ``STALE_AFTER`` is abandoned too.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from gateway.budget import MemoryBudget
from gateway.session import Message

_HEADER = struct.Struct(">c8sQII")
CHUNK_HEADER = _HEADER.size  # 25 bytes
STALE_AFTER = 10.0  # seconds a partial message may wait for its next chunk


def chunk_frames(kind: bytes, publisher: bytes, sequence: int, data: bytes, size: int) -> Iterator[bytes]:
    """Payloads of the chunks of ``data``, ``size`` data bytes each (the last may be shorter)."""
    total = len(data)
    view = memoryview(data)
    for offset in range(0, total, size):
        yield _HEADER.pack(kind, publisher, sequence, total, offset) + view[offset : offset + size]


@dataclass(slots=True)
class _Partial:
    sequence: int
    kind: bytes
    total: int
    data: bytearray
    started: float


class Reassembler:
    """One subscription's partial messages, by publisher. Owned by that subscription's callback."""

    def __init__(
        self,
        budget: MemoryBudget,
        *,
        max_message: int,
        on_loss: Callable[[str], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._budget = budget
        self._max = max_message
        self._on_loss = on_loss
        self._clock = clock
        self._partials: dict[bytes, _Partial] = {}
        self.lost = 0  # messages abandoned

    def add(self, payload: bytes) -> Message | None:
        """Take one chunk; return the whole message when this chunk completes it."""
        if len(payload) < CHUNK_HEADER:
            self._lose("malformed chunk")
            return None
        kind, publisher, sequence, total, offset = _HEADER.unpack_from(payload)
        body = memoryview(payload)[CHUNK_HEADER:]
        partial = self._partials.get(publisher)
        if offset == 0:
            if partial is not None:
                self._abandon(publisher, "chunk lost")  # the previous message never completed
            self._sweep()
            if total > self._max or kind not in (b"t", b"b"):
                self._lose("chunked message too large")
                return None
            partial = self._partials[publisher] = _Partial(sequence, kind, total, bytearray(), self._clock())
        elif partial is None:
            return None  # the start of this message was lost, and already counted, or never came
        elif partial.sequence != sequence or len(partial.data) != offset:
            self._abandon(publisher, "chunk lost")
            return None
        if len(partial.data) + len(body) > partial.total:
            self._abandon(publisher, "malformed chunk")
            return None
        partial.data += body
        self._budget.add(len(body))
        if len(partial.data) < partial.total:
            return None
        del self._partials[publisher]
        self._budget.sub(partial.total)
        data = bytes(partial.data)
        if partial.kind == b"t":
            try:
                return data.decode()
            except UnicodeDecodeError:
                self._lose("malformed chunk")
                return None
        return data

    def _abandon(self, publisher: bytes, reason: str) -> None:
        partial = self._partials.pop(publisher)
        self._budget.sub(len(partial.data))
        self._lose(reason)

    def _lose(self, reason: str) -> None:
        self.lost += 1
        self._on_loss(reason)

    def _sweep(self) -> None:
        """Abandon partials whose next chunk is overdue (a publisher that went away mid-message)."""
        now = self._clock()
        for publisher in [p for p, part in self._partials.items() if now - part.started > STALE_AFTER]:
            self._abandon(publisher, "chunk late")

    def clear(self) -> None:
        """The subscription ended: give the partials' bytes back to the budget."""
        for partial in self._partials.values():
            self._budget.sub(len(partial.data))
        self._partials.clear()

    @property
    def held(self) -> int:
        return sum(len(p.data) for p in self._partials.values())
