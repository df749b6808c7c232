"""Hub: local fan-out, one bus subscription per topic per replica, booking index, bus failures."""

from __future__ import annotations

import pytest

from gateway.budget import MemoryBudget
from gateway.bus import Deliver, InMemoryNetwork, OnError, Subscription
from gateway.errors import BusUnavailable
from gateway.hub import Hub
from gateway.session import DropReason, Session


def session(
    topic: str = "t", *, read: bool = True, write: bool = True, booking_id: str = "", lossless: bool = False
) -> Session:
    return Session(topic=topic, can_read=read, can_write=write, booking_id=booking_id, lossless=lossless)


def drain(s: Session) -> list[str | bytes]:
    out: list[str | bytes] = []
    while (message := s.take()) is not None:
        out.append(message)
    return out


def replicas() -> tuple[InMemoryNetwork, Hub, Hub]:
    network = InMemoryNetwork()
    return network, Hub(network.bus()), Hub(network.bus())


def subscriptions(network: InMemoryNetwork, topic: str) -> int:
    return len(network.subscribers.get(topic, []))


class RefusingBus:
    """A Bus whose subscribe fails, as NatsBus does when NATS is down."""

    async def publish(self, topic: str, message: str | bytes, on_error: OnError) -> None:
        on_error("down")

    async def subscribe(
        self, topic: str, deliver: Deliver, *, backpressure: object = None, on_loss: object = None
    ) -> Subscription:
        raise BusUnavailable("down")


async def test_local_fan_out_reaches_other_readers_but_not_the_sender() -> None:
    _, hub, _ = replicas()
    sender, r1, r2 = session(), session(), session()
    for s in (sender, r1, r2):
        await hub.join(s)
    await hub.publish(sender, "hello")
    assert drain(r1) == ["hello"] and drain(r2) == ["hello"]
    assert drain(sender) == []


async def test_local_fan_out_skips_write_only_sessions() -> None:
    _, hub, _ = replicas()
    sender, writer_only, r = session(), session(read=False), session()
    for s in (sender, writer_only, r):
        await hub.join(s)
    await hub.publish(sender, b"x")
    assert drain(r) == [b"x"] and writer_only.queued == 0


async def test_remote_replica_gets_each_message_once_per_topic_whatever_its_reader_count() -> None:
    network, hub_a, hub_b = replicas()
    readers_b = [session() for _ in range(3)]
    for s in readers_b:
        await hub_b.join(s)
    sender = session(read=False)
    await hub_a.join(sender)
    assert subscriptions(network, "t") == 1  # one for replica B, none for A (no reader there)
    await hub_a.publish(sender, "m1")
    await hub_a.publish(sender, b"m2")
    for s in readers_b:
        assert drain(s) == ["m1", b"m2"]


async def test_each_replica_with_readers_holds_exactly_one_subscription() -> None:
    network, hub_a, hub_b = replicas()
    for _ in range(4):
        await hub_a.join(session())
    for _ in range(2):
        await hub_b.join(session())
    assert subscriptions(network, "t") == 2
    assert hub_a.subscribed("t") and hub_b.subscribed("t")


async def test_message_from_the_bus_is_not_echoed_back_to_the_sending_replica() -> None:
    _, hub_a, hub_b = replicas()
    sender, local_reader, remote_reader = session(), session(), session()
    for s in (sender, local_reader):
        await hub_a.join(s)
    await hub_b.join(remote_reader)
    await hub_a.publish(sender, "once")
    assert drain(local_reader) == ["once"]
    assert drain(remote_reader) == ["once"]
    assert drain(sender) == []


async def test_subscribe_on_first_reader_and_unsubscribe_after_the_last() -> None:
    network, hub, _ = replicas()
    r1, r2 = session(), session()
    await hub.join(r1)
    assert subscriptions(network, "t") == 1 and hub.subscribed("t")
    await hub.join(r2)
    assert subscriptions(network, "t") == 1
    await hub.leave(r1)
    assert subscriptions(network, "t") == 1
    await hub.leave(r2)
    assert subscriptions(network, "t") == 0 and not hub.subscribed("t")
    assert hub.topic_count == 0


async def test_last_reader_leaving_unsubscribes_even_if_a_writer_stays() -> None:
    network, hub, _ = replicas()
    r, w = session(), session(read=False)
    await hub.join(r)
    await hub.join(w)
    await hub.leave(r)
    assert subscriptions(network, "t") == 0
    assert list(hub.sessions()) == [w] and hub.topic_count == 1


async def test_write_only_sessions_do_not_subscribe() -> None:
    network, hub, _ = replicas()
    await hub.join(session(read=False))
    await hub.join(session(read=False))
    assert subscriptions(network, "t") == 0 and not hub.subscribed("t")


async def test_leave_of_an_unknown_session_is_a_no_op() -> None:
    network, hub, _ = replicas()
    await hub.leave(session())
    r = session()
    await hub.join(r)
    await hub.leave(r)
    await hub.leave(r)
    assert subscriptions(network, "t") == 0 and hub.topic_count == 0


async def test_sessions_of_booking_lists_live_sessions_of_that_booking_only() -> None:
    _, hub, _ = replicas()
    a1, a2 = session("t1", booking_id="A"), session("t2", booking_id="A")
    b, anonymous = session("t1", booking_id="B"), session("t1")
    for s in (a1, a2, b, anonymous):
        await hub.join(s)
    assert set(hub.sessions_of_booking("A")) == {a1, a2}
    assert hub.sessions_of_booking("B") == [b]
    assert hub.sessions_of_booking("") == []
    await hub.leave(a1)
    assert hub.sessions_of_booking("A") == [a2]
    await hub.leave(a2)
    assert hub.sessions_of_booking("A") == []


async def test_topics_are_isolated_locally_and_across_replicas() -> None:
    _, hub_a, hub_b = replicas()
    sender, same_a, other_a = session("t1"), session("t1"), session("t2")
    same_b, other_b = session("t1"), session("t2")
    for s in (sender, same_a, other_a):
        await hub_a.join(s)
    for s in (same_b, other_b):
        await hub_b.join(s)
    await hub_a.publish(sender, "for t1")
    assert drain(same_a) == ["for t1"] and drain(same_b) == ["for t1"]
    assert drain(other_a) == [] and drain(other_b) == []


async def test_publish_returns_true_when_a_local_reader_is_half_full() -> None:
    _, hub, _ = replicas()
    sender, r = session(), Session(topic="t", can_read=True, can_write=False, max_messages=4)
    await hub.join(sender)
    await hub.join(r)
    assert await hub.publish(sender, "1") is False
    assert await hub.publish(sender, "2") is True


async def test_publish_with_bus_down_is_reported_to_the_sender_after_local_readers_got_it() -> None:
    network, hub_a, hub_b = replicas()
    sender, local = session(), session()
    remote = session()
    await hub_a.join(sender)
    await hub_a.join(local)
    await hub_b.join(remote)
    network.available = False
    await hub_a.publish(sender, "x")
    assert drain(local) == ["x"]
    assert drain(remote) == []
    assert sender.counters.unsent == 1 and sender.close_request is None  # lossy: counted, stays open


async def test_publish_with_bus_down_closes_a_lossless_sender_with_1011() -> None:
    network, hub_a, _hub_b = replicas()
    sender = session(lossless=True)
    await hub_a.join(sender)
    network.available = False
    await hub_a.publish(sender, "x")
    assert sender.close_request is not None and sender.close_request[0] == 1011


async def test_leaving_gives_the_queued_bytes_back_to_the_budget() -> None:
    budget = MemoryBudget(limit=1 << 20)
    hub = Hub(InMemoryNetwork().bus(), budget=budget)
    sender, stalled = session(), session()
    await hub.join(sender)
    await hub.join(stalled)
    await hub.publish(sender, b"x" * 1000)
    assert budget.used == 1000 and budget.holders == 1
    await hub.leave(stalled)
    assert budget.used == 0 and budget.holders == 0


async def test_message_lost_on_the_way_is_counted_for_lossy_readers_and_ends_lossless_ones() -> None:
    network = InMemoryNetwork()
    hub = Hub(network.bus())
    lossy, lossless = session(topic="a"), session(topic="b", lossless=True)
    await hub.join(lossy)
    await hub.join(lossless)
    for room in hub._rooms.values():
        room.lost("chunk lost")
    assert lossy.counters.drops == {DropReason.INCOMPLETE: 1} and lossy.close_request is None
    assert lossless.close_request == (1011, "stream corrupted: chunk lost")


async def test_join_failing_with_bus_unavailable_leaves_no_registration() -> None:
    hub = Hub(RefusingBus())
    s = session(booking_id="bk")
    with pytest.raises(BusUnavailable):
        await hub.join(s)
    assert list(hub.sessions()) == []
    assert hub.sessions_of_booking("bk") == []
    assert hub.topic_count == 0 and not hub.subscribed("t")


async def test_join_failing_keeps_other_sessions_of_the_topic() -> None:
    hub = Hub(RefusingBus())
    writer = session(read=False)
    await hub.join(writer)  # write-only: no subscription, so no failure
    with pytest.raises(BusUnavailable):
        await hub.join(session())
    assert list(hub.sessions()) == [writer]


async def test_memory_bus_subscribe_refuses_when_network_unavailable() -> None:
    network = InMemoryNetwork()
    network.available = False
    hub = Hub(network.bus())
    with pytest.raises(BusUnavailable):
        await hub.join(session())


class CountingBus:
    """A bus that counts what it is handed (no other replica)."""

    def __init__(self) -> None:
        self.published: list[str | bytes] = []

    async def publish(self, topic: str, message: str | bytes, on_error: OnError, size: int = -1) -> None:
        self.published.append(message)

    async def subscribe(
        self, topic: str, deliver: Deliver, *, backpressure: object = None, on_loss: object = None
    ) -> Subscription:
        class Nothing:
            async def unsubscribe(self) -> None:
                return None

        return Nothing()


def pair_end(pair: str) -> Session:
    return Session(topic="lab/p1", can_read=True, can_write=True, lossless=True, pair=pair)


async def test_an_ssh_pair_with_both_ends_here_skips_the_bus() -> None:
    bus = CountingBus()
    hub = Hub(bus)  # type: ignore[arg-type]
    host, client = pair_end("p1"), pair_end("p1")
    await hub.join(host)
    await hub.join(client)
    await hub.publish(client, b"ssh bytes")
    assert drain(host) == [b"ssh bytes"]
    assert bus.published == []  # the other end is here: no other replica has a reader


async def test_an_ssh_pair_with_its_other_end_elsewhere_goes_through_the_bus() -> None:
    network, hub_a, hub_b = replicas()
    host, client = pair_end("p1"), pair_end("p1")
    await hub_a.join(host)
    await hub_b.join(client)
    await hub_b.publish(client, b"ssh bytes")
    assert drain(host) == [b"ssh bytes"]


async def test_other_topics_still_reach_the_bus_with_a_local_reader() -> None:
    bus = CountingBus()
    hub = Hub(bus)  # type: ignore[arg-type]
    writer, reader = session(), session()
    await hub.join(writer)
    await hub.join(reader)
    await hub.publish(writer, "m")
    assert drain(reader) == ["m"]
    assert bus.published == ["m"]  # other replicas may have readers of an ordinary topic
