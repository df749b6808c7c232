"""The message bus port that carries topic traffic between replicas, and an in-memory bus.

The hub delivers to sessions on its own replica directly; the bus only has to reach the
*other* replicas (the NATS connection is made with ``no_echo``). ``InMemoryBus`` joins any
number of hubs in one process, for unit tests.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from gateway.errors import BusUnavailable
from gateway.session import Message

# Returns True when a local reader is under pressure and the caller should yield to the loop.
Deliver = Callable[[Message], bool]
Backpressure = Callable[[], Awaitable[None]]


class Subscription(Protocol):
    async def unsubscribe(self) -> None: ...


class Bus(Protocol):
    """What the hub needs from a message bus."""

    async def publish(self, topic: str, message: Message) -> None:
        """Send ``message`` to every other replica's subscribers of ``topic``.

        Raises:
            BusUnavailable: the bus cannot take the message now.
        """
        ...

    async def subscribe(
        self, topic: str, deliver: Deliver, *, backpressure: Backpressure | None = None
    ) -> Subscription:
        """Call ``deliver`` (on the loop, in order) for each ``topic`` message from other replicas.

        When ``deliver`` reports pressure, await ``backpressure`` (if given) before the next one.
        """
        ...


class _MemorySubscription:
    def __init__(
        self, peers: dict[str, list[tuple[object, Deliver]]], topic: str, owner: object, deliver: Deliver
    ):
        self._entry = (owner, deliver)
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
        self.subscribers: dict[str, list[tuple[object, Deliver]]] = {}
        self.available = True

    def bus(self) -> InMemoryBus:
        return InMemoryBus(self)


class InMemoryBus:
    def __init__(self, network: InMemoryNetwork) -> None:
        self._network = network

    async def publish(self, topic: str, message: Message) -> None:
        if not self._network.available:
            raise BusUnavailable("in-memory bus switched off")
        for owner, deliver in list(self._network.subscribers.get(topic, [])):
            if owner is not self:
                deliver(message)

    async def subscribe(
        self, topic: str, deliver: Deliver, *, backpressure: Backpressure | None = None
    ) -> Subscription:
        if not self._network.available:
            raise BusUnavailable("in-memory bus switched off")
        return _MemorySubscription(self._network.subscribers, topic, self, deliver)
