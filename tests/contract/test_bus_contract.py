"""The Bus port's contract, run against every engine: InMemoryBus and NatsBus on a real nats-server.

Two buses stand for two replicas. The NATS engine uses the session's nats-server with stock
settings (max_payload 1 MiB), so large messages cross it in chunks.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import pytest
from natscontainers import NatsNode
from relaytest import TIMEOUT_UNIT

from gateway.bus import Bus, InMemoryNetwork
from gateway.natsbus import NatsBus, connect_nats
from gateway.session import Message

pytestmark = pytest.mark.integration


@dataclass
class Engine:
    a: Bus
    b: Bus
    cut_a: Callable[[], object]  # make replica A's transport refuse everything from now on
    max_payload: int


@dataclass
class Inbox:
    """What a subscriber received, with a way to wait for a count."""

    got: list[Message] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def deliver(self, message: Message) -> bool:
        self.got.append(message)
        self.changed.set()
        return False

    async def wait_for(self, count: int, timeout: float = 10.0) -> list[Message]:
        async with asyncio.timeout(timeout * TIMEOUT_UNIT):
            while len(self.got) < count:
                self.changed.clear()
                await self.changed.wait()
        return self.got


class Errors:
    def __init__(self) -> None:
        self.reasons: list[str] = []

    def __call__(self, reason: str) -> None:
        self.reasons.append(reason)


def nobody(reason: str) -> None:
    raise AssertionError(f"unexpected publish failure: {reason}")


@pytest.fixture(params=["memory", "nats"])
async def engine(request: pytest.FixtureRequest, nats_server: NatsNode) -> AsyncIterator[Engine]:
    if request.param == "memory":
        network = InMemoryNetwork()
        a = network.bus()

        def cut() -> None:
            a.available = False

        yield Engine(a, network.bus(), cut, max_payload=1 << 30)
        return
    nc_a = await connect_nats([nats_server.url], name="contract-a")
    nc_b = await connect_nats([nats_server.url], name="contract-b")

    async def cut_nats() -> None:
        await nc_a.close()

    try:
        yield Engine(NatsBus(nc_a), NatsBus(nc_b), cut_nats, max_payload=nc_a.max_payload)
    finally:
        for nc in (nc_a, nc_b):
            if not nc.is_closed:
                await nc.close()


async def test_messages_arrive_once_in_order_with_their_frame_type(engine: Engine) -> None:
    inbox = Inbox()
    await engine.b.subscribe("t", inbox.deliver)
    sent: list[Message] = []
    for i in range(300):
        size = (i * 137) % 20_000
        sent.append(f"{i}:" + "x" * size if i % 2 else os.urandom(size))
    for i, message in enumerate(sent):
        await engine.a.publish("t", message, nobody)
        if i % 10 == 0:
            await asyncio.sleep(0)  # a mix of lone messages and batches
    got = await inbox.wait_for(len(sent))
    assert got == sent
    assert [type(m) for m in got] == [type(m) for m in sent]


async def test_a_replica_never_gets_its_own_messages_back(engine: Engine) -> None:
    mine, theirs = Inbox(), Inbox()
    await engine.a.subscribe("t", mine.deliver)
    await engine.b.subscribe("t", theirs.deliver)
    for i in range(20):
        await engine.a.publish("t", f"a{i}", nobody)
    await theirs.wait_for(20)
    await engine.b.publish("t", "marker", nobody)  # reaches A after anything A could have echoed
    assert await mine.wait_for(1) == ["marker"]


async def test_messages_larger_than_max_payload_arrive_whole_between_small_ones(engine: Engine) -> None:
    inbox = Inbox()
    await engine.b.subscribe("t", inbox.deliver)
    big = os.urandom(10 * 1024 * 1024)
    text = "é€" * (3 * 1024 * 1024 // 5)  # ~3 MiB of UTF-8
    sent: list[Message] = ["before", big, "between", text, b"after"]
    for message in sent:
        await engine.a.publish("t", message, nobody)
    assert len(big) > engine.max_payload or engine.max_payload > 1 << 29
    assert await inbox.wait_for(len(sent), timeout=30) == sent


async def test_topics_are_isolated(engine: Engine) -> None:
    x, y = Inbox(), Inbox()
    await engine.b.subscribe("x", x.deliver)
    await engine.b.subscribe("x.>", y.deliver)  # a topic that looks like a wildcard is just a name
    await engine.a.publish("y", "for y", nobody)
    await engine.a.publish("x.>", "for x.>", nobody)
    await engine.a.publish("x", "for x", nobody)
    assert await x.wait_for(1) == ["for x"]
    assert y.got == ["for x.>"]


async def test_after_unsubscribe_nothing_more_is_delivered(engine: Engine) -> None:
    gone, stays = Inbox(), Inbox()
    subscription = await engine.b.subscribe("t", gone.deliver)
    await engine.b.subscribe("other", stays.deliver)
    await engine.a.publish("t", "1", nobody)
    await gone.wait_for(1)
    await subscription.unsubscribe()
    await engine.a.publish("t", "2", nobody)
    await engine.a.publish("other", "done", nobody)  # published after "2": arrives after it would have
    await stays.wait_for(1)
    assert gone.got == ["1"]


async def test_a_failed_publish_is_reported_to_its_own_publisher_only(engine: Engine) -> None:
    inbox = Inbox()
    await engine.b.subscribe("t", inbox.deliver)
    await engine.a.publish("t", "ok", nobody)
    await inbox.wait_for(1)
    result = engine.cut_a()
    if asyncio.iscoroutine(result):
        await result
    first, second = Errors(), Errors()
    await engine.a.publish("t", "lost 1", first)
    await engine.a.publish("t", "lost 2", second)
    if isinstance(engine.a, NatsBus):
        await engine.a.flush()
    assert (len(first.reasons), len(second.reasons)) == (1, 1)
    await engine.b.publish("t", "b still works", nobody)  # the other replica is not affected


async def test_delivery_waits_for_the_subscribers_back_pressure(engine: Engine) -> None:
    inbox = Inbox()
    room = asyncio.Event()

    def deliver(message: Message) -> bool:
        inbox.deliver(message)
        return True  # "my reader is under pressure"

    async def backpressure() -> None:
        await room.wait()

    await engine.b.subscribe("t", deliver, backpressure=backpressure)
    publisher = asyncio.ensure_future(_publish_all(engine.a, ["1", "2", "3"]))
    assert await inbox.wait_for(1) == ["1"]
    with pytest.raises(TimeoutError):  # a bounded negative check: nothing more while held
        await inbox.wait_for(2, timeout=0.1)
    room.set()
    assert await inbox.wait_for(3) == ["1", "2", "3"]
    await publisher


async def _publish_all(bus: Bus, messages: list[Message]) -> None:
    for message in messages:
        await bus.publish("t", message, nobody)
        await asyncio.sleep(0)  # separate NATS messages, not one batch
