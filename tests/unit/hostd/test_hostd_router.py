from __future__ import annotations

import asyncio

import pytest

from hostd.router import DropReason, Router, SubscriptionClosed


def test_message_reaches_other_subscribers_of_the_topic_but_not_the_sender() -> None:
    router = Router()
    a, b, other = router.subscribe("data", "a"), router.subscribe("data", "b"), router.subscribe("x", "c")
    assert router.publish("data", "hello", sender=a) == 1
    assert b.get_nowait() == "hello"
    assert a.get_nowait() is None and other.get_nowait() is None


def test_message_type_is_kept() -> None:
    router = Router()
    sub = router.subscribe("data", "s")
    router.publish("data", b"\x00\x01")
    router.publish("data", "text")
    assert sub.get_nowait() == b"\x00\x01"
    assert sub.get_nowait() == "text"


def test_stream_subscribers_receive_every_listed_feed() -> None:
    router = Router()
    router.set_streams({"stream/front": ["video0", "audio0"]})
    stream = router.subscribe("stream/front", "dest")
    router.publish("video0", b"v")
    router.publish("audio0", b"a")
    router.publish("other", b"o")
    assert [stream.get_nowait(), stream.get_nowait(), stream.get_nowait()] == [b"v", b"a", None]


def test_messages_sent_to_a_stream_reach_nobody_and_are_counted() -> None:
    router = Router()
    router.set_streams({"stream/front": ["video0"]})
    feed = router.subscribe("video0", "local")
    router.publish("stream/front", "reply")
    assert feed.get_nowait() is None
    assert router.stats["stream/front"].dropped[DropReason.TO_STREAM] == 1


def test_full_queue_drops_the_oldest_and_counts_it() -> None:
    router = Router(max_messages=3)
    sub = router.subscribe("video", "slow")
    for i in range(5):
        router.publish("video", bytes([i]))
    assert [sub.get_nowait() for _ in range(3)] == [b"\x02", b"\x03", b"\x04"]
    assert sub.dropped == 2
    assert router.stats["video"].dropped[DropReason.QUEUE_FULL] == 2


def test_byte_limit_bounds_the_queue() -> None:
    router = Router(max_bytes=10)
    sub = router.subscribe("video", "slow")
    for _ in range(4):
        router.publish("video", b"12345")
    assert len(sub) == 2 and sub.dropped == 2


def test_unheard_messages_are_counted_as_no_subscriber() -> None:
    router = Router()
    router.publish("video", b"frame")
    assert router.stats_json() == {"video": {"messages": 1, "bytes": 5, "dropped": {"no_subscriber": 1}}}


async def test_get_waits_for_a_message() -> None:
    router = Router()
    sub = router.subscribe("data", "s")
    waiter = asyncio.create_task(sub.get())
    await asyncio.sleep(0)
    assert not waiter.done()
    router.publish("data", "late")
    assert await waiter == "late"


async def test_unsubscribe_wakes_a_waiting_consumer() -> None:
    router = Router()
    sub = router.subscribe("data", "s")
    waiter = asyncio.create_task(sub.get())
    await asyncio.sleep(0)
    router.unsubscribe(sub)
    with pytest.raises(SubscriptionClosed):
        await waiter
    assert router.subscribers("data") == []
