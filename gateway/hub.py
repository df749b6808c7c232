"""Topic -> local sessions, with one bus subscription per topic per replica.

The hub fans a message out to the readers on this replica itself and hands it to the bus
once for the other replicas; a message from the bus is fanned out locally. So 100 viewers
of one topic on one replica cost one NATS delivery. No framework or NATS imports.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from gateway.budget import MemoryBudget
from gateway.bus import Bus, Subscription
from gateway.session import DropReason, Message, Session, size_of
from gateway.wire import CloseCode

log = logging.getLogger(__name__)


@dataclass(slots=True, eq=False)
class _Room:
    """The sessions of one topic on this replica. Mutated only on the event loop."""

    topic: str
    members: set[Session] = field(default_factory=set)
    readers: tuple[Session, ...] = ()  # snapshot, rebuilt on join/leave: the fan-out loop is hot
    subscription: Subscription | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # serialises subscribe/unsubscribe
    tap: Callable[[Message], None] | None = None  # sees every message of the topic (stats commands)

    def deliver(self, message: Message) -> bool:
        if self.tap is not None:
            self.tap(message)
        pressed = False
        size = size_of(message)
        for reader in self.readers:
            pressed |= reader.offer(message, size)
        return pressed

    def rebuild(self) -> None:
        self.readers = tuple(s for s in self.members if s.can_read)

    async def wait_space(self, sender: Session | None = None, stall: float | None = None) -> bool:
        """Back-pressure for lossless topics: wait until every reader but ``sender`` has room.

        Returns False when a reader took nothing for ``stall`` seconds (that reader is closed
        with 1011: a pipe that cannot move is broken, and waiting on it would hold its writer).
        """
        for reader in self.readers:
            if reader is not sender and reader.lossless and not await reader.wait_space(stall):
                reader.request_close(CloseCode.INTERNAL, "peer stalled: not reading")
                return False
        return True

    def lost(self, reason: str) -> None:
        """A message from another replica arrived incomplete: count it, or end a lossless pipe."""
        for reader in self.readers:
            if reader.lossless:
                reader.request_close(CloseCode.INTERNAL, f"stream corrupted: {reason}")
            else:
                reader.count_drop(DropReason.INCOMPLETE)


class Hub:
    def __init__(self, bus: Bus, *, budget: MemoryBudget | None = None, stall: float | None = None) -> None:
        self._bus = bus
        self.budget = budget if budget is not None else MemoryBudget()  # shared by every hub of a replica
        self._stall = stall  # seconds a lossless reader may take nothing before its pipe ends
        self._rooms: dict[str, _Room] = {}
        self._by_booking: dict[str, set[Session]] = {}
        self._taps: dict[str, Callable[[Message], None]] = {}

    def set_tap(self, topic: str, tap: Callable[[Message], None]) -> None:
        """Let ``tap`` see every message on ``topic`` that reaches this replica."""
        self._taps[topic] = tap
        if (room := self._rooms.get(topic)) is not None:
            room.tap = tap

    async def join(self, session: Session) -> None:
        """Register ``session``; subscribe to the bus when it is the topic's first reader here.

        Raises:
            BusUnavailable: the subscription failed (the session is not registered).
        """
        if session.budget is None:
            session.budget = self.budget
        room = self._rooms.get(session.topic)
        if room is None:
            room = self._rooms[session.topic] = _Room(session.topic, tap=self._taps.get(session.topic))
        room.members.add(session)
        room.rebuild()
        if session.booking_id:
            self._by_booking.setdefault(session.booking_id, set()).add(session)
        if not session.can_read:
            return
        try:
            async with room.lock:
                if room.subscription is None and room.readers:
                    room.subscription = await self._bus.subscribe(
                        session.topic,
                        room.deliver,
                        backpressure=room.wait_space if session.lossless else None,
                        on_loss=room.lost,
                    )
        except BaseException:
            await self.leave(session)
            raise

    async def leave(self, session: Session) -> None:
        """Unregister ``session``; drop the bus subscription after the topic's last reader here."""
        room = self._rooms.get(session.topic)
        if room is None or session not in room.members:
            return
        room.members.discard(session)
        room.rebuild()
        session.release()
        booked = self._by_booking.get(session.booking_id)
        if booked is not None:
            booked.discard(session)
            if not booked:
                del self._by_booking[session.booking_id]
        async with room.lock:
            if room.subscription is not None and not room.readers:
                subscription, room.subscription = room.subscription, None
                try:
                    await subscription.unsubscribe()
                except Exception:  # the bus may be gone at shutdown; the subscription dies with it
                    log.debug("unsubscribe from %r failed", session.topic, exc_info=True)
        if not room.members and room.subscription is None and self._rooms.get(session.topic) is room:
            del self._rooms[session.topic]

    async def publish(self, sender: Session, message: Message, size: int = -1) -> bool:
        """Deliver ``message`` (``size`` bytes, ``size_of`` when not given) to every reader of the
        sender's topic except the sender, on every replica.

        Never raises for the message: if the other replicas cannot be reached, the bus tells the
        sender (``Session.bus_failed``); local readers have it already.

        Returns:
            True when a local reader's queue is half full (see ``Session.offer``).
        """
        pressed = False
        peer_here = False
        if size < 0:
            size = size_of(message)
        room = self._rooms.get(sender.topic)
        if room is not None:
            if room.tap is not None:
                room.tap(message)
            pair = sender.pair
            for reader in room.readers:
                if reader is not sender:
                    pressed |= reader.offer(message, size)
                    if pair and reader.pair == pair:
                        peer_here = True
        if peer_here:
            # An ssh pair's topic has two ends, each admitted by a single-use code minted for it:
            # with the other end here, no other replica has a reader (docs/performance.md).
            return pressed
        await self._bus.publish(sender.topic, message, sender.bus_failed, size)
        return pressed

    async def wait_space(self, sender: Session) -> bool:
        """After ``publish`` reported pressure on a lossless topic: wait for the readers to catch up.

        Returns False when a reader is stuck (it has been closed with 1011).
        """
        room = self._rooms.get(sender.topic)
        return room is None or await room.wait_space(sender, self._stall)

    def deliver_local(self, topic: str, message: Message) -> None:
        """Hand ``message`` to this replica's readers of ``topic`` only (not to the bus, no tap)."""
        room = self._rooms.get(topic)
        if room is not None:
            for reader in room.readers:
                reader.offer(message)

    def has_readers(self, topic: str) -> bool:
        room = self._rooms.get(topic)
        return room is not None and bool(room.readers)

    def sessions(self) -> Iterator[Session]:
        for room in list(self._rooms.values()):
            yield from list(room.members)

    def sessions_of_booking(self, booking_id: str) -> list[Session]:
        return list(self._by_booking.get(booking_id, ()))

    @property
    def topic_count(self) -> int:
        return len(self._rooms)

    def subscribed(self, topic: str) -> bool:
        room = self._rooms.get(topic)
        return room is not None and room.subscription is not None
