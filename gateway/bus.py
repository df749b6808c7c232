"""The message bus port that carries topic traffic between replicas, and an in-memory bus.

The hub delivers to sessions on its own replica directly; the bus only has to reach the
*other* replicas (the NATS connection is made with ``no_echo``). ``InMemoryBus`` joins any
number of hubs in one process, for unit tests; it obeys the same contract as ``NatsBus``
(tests/contract/test_bus_contract.py): per-publisher order, no echo, any size up to the
largest message, failures reported to the message's own publisher.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from gateway.errors import BusUnavailable
from gateway.session import Message

# Returns True when a local reader is under pressure and the caller should yield to the loop.
Deliver = Callable[[Message], bool]
Backpressure = Callable[[], Awaitable[object]]
# Told why one published message could not reach the other replicas (called at most once per message).
OnError = Callable[[str], None]
# Told that a message from another replica was lost on the way (e.g. "chunk lost").
OnLoss = Callable[[str], None]


class Subscription(Protocol):
    async def unsubscribe(self) -> None: ...


class Bus(Protocol):
    """What the hub needs from a message bus."""

    async def publish(self, topic: str, message: Message, on_error: OnError, size: int = -1) -> None:
        """Send ``message`` (``size`` bytes: ``session.size_of``, if the caller knows it) to every
        other replica's subscribers of ``topic``.

        Never raises for the message: when it cannot be sent, ``on_error`` (the publisher's own)
        is called with the reason, now or later. Awaiting is back-pressure: it returns once the
        bus has room for more.
        """
        ...

    async def subscribe(
        self,
        topic: str,
        deliver: Deliver,
        *,
        backpressure: Backpressure | None = None,
        on_loss: OnLoss | None = None,
    ) -> Subscription:
        """Call ``deliver`` (on the loop, in order) for each ``topic`` message from other replicas.

        When ``deliver`` reports pressure, await ``backpressure`` (if given) before the next one.
        A message lost on the way is never delivered in part: ``on_loss`` is told instead.

        Raises:
            BusUnavailable: the subscription could not be made.
        """
        ...


_Entry = tuple[object, Deliver, Backpressure | None]


class _MemorySubscription:
    def __init__(
        self,
        peers: dict[str, list[_Entry]],
        topic: str,
        owner: object,
        deliver: Deliver,
        backpressure: Backpressure | None,
    ):
        self._entry: _Entry = (owner, deliver, backpressure)
        self._peers = peers
        self._topic = topic
        peers.setdefault(topic, []).append(self._entry)

    async def unsubscribe(self) -> None:
        entries = self._peers.get(self._topic, [])
        if self._entry in entries:
            entries.remove(self._entry)
        if not entries:
            self._peers.pop(self._topic, None)


class InMemoryNetwork:
    """A shared medium: each replica gets its own ``InMemoryBus`` view with no echo to itself."""

    def __init__(self) -> None:
        self.subscribers: dict[str, list[_Entry]] = {}
        self.available = True

    def bus(self) -> InMemoryBus:
        return InMemoryBus(self)


class InMemoryBus:
    def __init__(self, network: InMemoryNetwork) -> None:
        self._network = network
        self.available = True  # False: this replica's link is cut (the network may still work)

    async def publish(self, topic: str, message: Message, on_error: OnError, size: int = -1) -> None:
        if not (self._network.available and self.available):
            on_error("in-memory bus switched off")
            return
        for owner, deliver, backpressure in list(self._network.subscribers.get(topic, [])):
            # The subscriber's back-pressure holds the publisher: there is no buffer in between.
            if owner is not self and deliver(message) and backpressure is not None:
                await backpressure()

    async def subscribe(
        self,
        topic: str,
        deliver: Deliver,
        *,
        backpressure: Backpressure | None = None,
        on_loss: OnLoss | None = None,
    ) -> Subscription:
        if not (self._network.available and self.available):
            raise BusUnavailable("in-memory bus switched off")
        return _MemorySubscription(self._network.subscribers, topic, self, deliver, backpressure)
