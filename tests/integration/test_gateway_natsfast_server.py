"""natsfast on a real nats-server: the direct publish and the direct delivery are taken when
the connection is idle, and never reorder what nats-py's own path carries."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from natscontainers import NatsNode
from relaytest import TIMEOUT_UNIT

from gateway import natsbus
from gateway.natsbus import NatsBus, connect_nats, flush_ordered
from gateway.natsfast import DirectPublisher
from gateway.session import Message

pytestmark = pytest.mark.integration


def nobody(reason: str) -> None:
    raise AssertionError(f"unexpected publish failure: {reason}")


@pytest.fixture
async def clients(nats_server: NatsNode) -> AsyncIterator[tuple[Any, Any]]:
    a = await connect_nats([nats_server.url], name="fast-a")
    b = await connect_nats([nats_server.url], name="fast-b")
    try:
        yield a, b
    finally:
        await a.close()
        await b.close()


@pytest.fixture
def direct(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The payloads delivered from the read loop (natsfast's way in), in order."""
    taken: list[bytes] = []
    deliver = natsbus._Receiver.deliver

    def counted(self: Any, subject: bytes, payload: bytes) -> None:
        taken.append(payload)
        deliver(self, subject, payload)

    monkeypatch.setattr(natsbus._Receiver, "deliver", counted)
    return taken


class Got(list[Any]):
    """What arrived, with a way to wait for a count."""

    def __init__(self) -> None:
        super().__init__()
        self.changed = asyncio.Event()

    def add(self, item: Any) -> None:
        self.append(item)
        self.changed.set()

    async def wait_for(self, count: int) -> None:
        async with asyncio.timeout(10 * TIMEOUT_UNIT):
            while len(self) < count:
                self.changed.clear()
                await self.changed.wait()


async def test_a_direct_publish_never_overtakes_one_nats_py_holds(clients: tuple[Any, Any]) -> None:
    a, b = clients
    got = Got()

    async def on(msg: Any) -> None:
        got.add(msg.data)

    await b.subscribe("fast.order", cb=on)
    await flush_ordered(b, 10)  # nats-py's flush() alone can overtake the SUB
    publisher = DirectPublisher(a)
    assert publisher.publish("fast.order", b"0")  # idle: straight to the socket
    await a.publish("fast.order", b"1")  # nats-py's path: pending until its flusher's turn
    assert not publisher.publish("fast.order", b"2")  # so this one must not go first
    await a.publish("fast.order", b"2")
    await flush_ordered(a, 10)  # 1 and 2 are on the socket: nothing pending
    assert publisher.publish("fast.order", b"3")  # idle again
    await got.wait_for(4)
    assert got == [b"0", b"1", b"2", b"3"]
    assert not publisher.publish("fast order", b"x")  # a subject nats-py refuses is left to it


async def test_bus_messages_take_both_ways_in_and_arrive_in_order(
    clients: tuple[Any, Any], direct: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sampled messages (with a header) and a reader under pressure go nats-py's way; the rest
    is delivered from the read loop. Order holds across the two."""
    ways = {"nats-py": 0}
    on_message = natsbus._Receiver.on_message

    async def counted_on_message(self: Any, msg: Any) -> None:
        ways["nats-py"] += 1
        await on_message(self, msg)

    monkeypatch.setattr(natsbus._Receiver, "on_message", counted_on_message)
    monkeypatch.setattr(natsbus, "SAMPLE_EVERY", 7)
    a, b = clients
    got = Got()

    def reader(message: Message) -> bool:
        got.add(message)
        return len(got) % 5 == 0  # "half full" now and then: nats-py's way yields to writers

    await NatsBus(b, on_delay=lambda _s: None).subscribe("t", reader)
    publisher = NatsBus(a, on_delay=lambda _s: None)
    sent: list[Message] = [f"m{i}" if i % 3 else bytes([i % 256]) * (i % 50) for i in range(400)]
    for i, message in enumerate(sent):
        await publisher.publish("t", message, nobody)
        if i % 4 == 0:
            await asyncio.sleep(0)  # lone messages and batches
        if i % 50 == 0:
            await asyncio.sleep(0.005)  # and idle moments, when the direct ways are open
    await got.wait_for(len(sent))
    assert got == sent
    assert len(direct) > 0 and ways["nats-py"] > 0, (len(direct), ways)


async def test_lossless_subscriptions_are_never_delivered_from_the_read_loop(
    clients: tuple[Any, Any], direct: list[bytes]
) -> None:
    """Their back-pressure waits for the reader, which the read loop must never do."""
    a, b = clients
    got = Got()

    async def room() -> None:
        return None

    def reader(message: Message) -> bool:
        got.add(message)
        return False

    await NatsBus(b, lossless=True).subscribe("p", reader, backpressure=room)
    publisher = NatsBus(a, lossless=True)
    for i in range(20):
        await publisher.publish("p", bytes([i]), nobody)
        await asyncio.sleep(0.002)
    await got.wait_for(20)
    assert got == [bytes([i]) for i in range(20)] and direct == []


async def test_after_nats_restarts_the_direct_publish_is_taken_again(nats_factory: Any) -> None:
    """nats-py keeps its transport object across reconnects and swaps the stream inside it."""
    node = nats_factory()
    reconnected = asyncio.Event()
    states: list[str] = []

    def on_state(state: str) -> None:
        states.append(state)
        if state == "reconnected":
            reconnected.set()

    nc = await connect_nats([node.url], name="fast-restart", on_state=on_state)
    try:
        publisher = DirectPublisher(nc)
        assert publisher.publish("fast.restart", b"before")
        node.stop()
        node.start()
        try:
            async with asyncio.timeout(30 * TIMEOUT_UNIT):
                await reconnected.wait()
        except TimeoutError:
            raise AssertionError(f"no reconnect; states {states}") from None
        got = Got()

        async def on(msg: Any) -> None:
            got.add(msg.data)

        other = await connect_nats([node.url], name="fast-restart-reader")  # no_echo: not nc itself
        await other.subscribe("fast.restart", cb=on)
        await flush_ordered(other, 10)
        assert publisher.publish("fast.restart", b"after")  # on the new connection's socket
        await got.wait_for(1)
        assert list(got) == [b"after"]
        await other.close()
    finally:
        await nc.close()


async def test_after_nats_restarts_subscriptions_are_delivered_directly_again(
    nats_factory: Any, direct: list[bytes]
) -> None:
    """nats-py resubscribes with the same sids and resets the same parser: the registrations hold."""
    node = nats_factory()
    back = asyncio.Event()

    def on_state(state: str) -> None:
        if state == "reconnected":
            back.set()

    reader_nc = await connect_nats([node.url], name="fast-restart-sub", on_state=on_state)
    got = Got()

    def reader(message: Message) -> bool:
        got.add(message)
        return False

    try:
        await NatsBus(reader_nc).subscribe("t", reader)
        node.stop()
        node.start()
        async with asyncio.timeout(30 * TIMEOUT_UNIT):
            await back.wait()
        await flush_ordered(reader_nc, 10)  # the resubscription reached the server before this PONG
        writer_nc = await connect_nats([node.url], name="fast-restart-pub")
        try:
            publisher = NatsBus(writer_nc)
            for i in range(5):
                await publisher.publish("t", bytes([i]), nobody)
                await asyncio.sleep(0.005)  # one at a time: each finds the subscription idle
            await got.wait_for(5)
        finally:
            await writer_nc.close()
        assert list(got) == [bytes([i]) for i in range(5)]
        assert direct, "no message was delivered from the read loop after the restart"
    finally:
        await reader_nc.close()
