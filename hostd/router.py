"""The local feed hub: topic -> subscribers, with stream aggregation and bounded queues.

Pure (asyncio primitives only, no sockets). Publishing never waits: a full subscriber queue
drops its oldest message, and a message nobody listens to is dropped; both are counted by
reason. So ffmpeg is never slowed down by a slow or absent gateway.
"""

from __future__ import annotations

import asyncio
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from hostd.rules import STREAM_PREFIX

Message = str | bytes  # text frames stay str, binary stay bytes

DEFAULT_MAX_MESSAGES: Final = 64  # per subscriber queue
DEFAULT_MAX_BYTES: Final = 8 * 1024 * 1024  # per subscriber queue


class DropReason(StrEnum):
    QUEUE_FULL = "queue_full"  # a subscriber was slower than its feed; its oldest message went
    NO_SUBSCRIBER = "no_subscriber"  # nobody (e.g. no connected destination) listens to the topic
    TO_STREAM = "to_stream"  # sent to a stream/... name: streams are one-way (reference 8.1)


class SubscriptionClosed(Exception):
    """The subscription was removed from the router."""


@dataclass(slots=True)
class TopicStats:
    messages: int = 0
    bytes: int = 0
    dropped: Counter[str] = field(default_factory=Counter)

    def to_json(self) -> dict[str, object]:
        return {"messages": self.messages, "bytes": self.bytes, "dropped": dict(self.dropped)}


class Subscription:
    """One local consumer of a topic: a /ws client, a destination link, the control API."""

    def __init__(self, *, topic: str, name: str, max_messages: int, max_bytes: int) -> None:
        self.topic = topic
        self.name = name
        self.max_messages = max_messages
        self.max_bytes = max_bytes
        self.dropped = 0  # messages lost to a full queue
        self.delivered = 0  # messages taken by the consumer
        self._queue: deque[Message] = deque()  # put by publishers, taken by the consumer task
        self._bytes = 0
        self._ready = asyncio.Event()
        self._closed = False

    def __len__(self) -> int:
        return len(self._queue)

    def offer(self, message: Message) -> int:
        """Enqueue without waiting; returns how many older messages were dropped for room."""
        if self._closed:
            return 0
        size = len(message)
        dropped = 0
        while self._queue and (len(self._queue) >= self.max_messages or self._bytes + size > self.max_bytes):
            self._bytes -= len(self._queue.popleft())
            dropped += 1
        self._queue.append(message)
        self._bytes += size
        self.dropped += dropped
        self._ready.set()
        return dropped

    def get_nowait(self) -> Message | None:
        if not self._queue:
            return None
        message = self._queue.popleft()
        self._bytes -= len(message)
        self.delivered += 1
        return message

    async def get(self) -> Message:
        """Wait for the next message.

        Raises:
            SubscriptionClosed: the router removed this subscription.
        """
        while True:
            if self._closed:
                raise SubscriptionClosed(self.topic)
            message = self.get_nowait()
            if message is not None:
                return message
            self._ready.clear()
            await self._ready.wait()

    def close(self) -> None:
        self._closed = True
        self._queue.clear()
        self._bytes = 0
        self._ready.set()


class Router:
    """Owned by the daemon; every method runs on the event loop thread."""

    def __init__(
        self, *, max_messages: int = DEFAULT_MAX_MESSAGES, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        self.max_messages = max_messages
        self.max_bytes = max_bytes
        self._topics: dict[str, list[Subscription]] = {}
        self._streams_of_feed: dict[str, set[str]] = {}
        self.stats: dict[str, TopicStats] = {}

    def subscribe(self, topic: str, name: str) -> Subscription:
        sub = Subscription(topic=topic, name=name, max_messages=self.max_messages, max_bytes=self.max_bytes)
        self._topics.setdefault(topic, []).append(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        subs = self._topics.get(sub.topic, [])
        if sub in subs:
            subs.remove(sub)
        if not subs:
            self._topics.pop(sub.topic, None)
        sub.close()

    def subscribers(self, topic: str) -> list[Subscription]:
        return list(self._topics.get(topic, ()))

    def set_streams(self, streams: Mapping[str, Iterable[str]]) -> None:
        """Replace the aggregation map (stream name -> feeds)."""
        index: dict[str, set[str]] = {}
        for stream, feeds in streams.items():
            for feed in feeds:
                index.setdefault(feed, set()).add(stream)
        self._streams_of_feed = index

    def publish(self, topic: str, message: Message, sender: Subscription | None = None) -> int:
        """Offer ``message`` to every subscriber of ``topic`` (and of streams listing it) but the sender.

        Returns:
            The number of subscribers it was offered to.
        """
        stats = self.stats.setdefault(topic, TopicStats())
        stats.messages += 1
        stats.bytes += len(message)
        if topic.startswith(STREAM_PREFIX):
            stats.dropped[DropReason.TO_STREAM] += 1
            return 0
        targets = [sub for sub in self._topics.get(topic, ()) if sub is not sender]
        for stream in self._streams_of_feed.get(topic, ()):
            targets.extend(sub for sub in self._topics.get(stream, ()) if sub is not sender)
        if not targets:
            stats.dropped[DropReason.NO_SUBSCRIBER] += 1
            return 0
        for sub in targets:
            lost = sub.offer(message)
            if lost:
                stats.dropped[DropReason.QUEUE_FULL] += lost
        return len(targets)

    def stats_json(self) -> dict[str, dict[str, object]]:
        return {topic: self.stats[topic].to_json() for topic in sorted(self.stats)}
