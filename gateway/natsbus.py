"""NATS adapters: the connection, the ``Bus`` on core NATS subjects, and error translation.

All of nats-py's ``Any`` stays in this module and ``natsstore``. The connection uses
``no_echo`` because the hub already delivered a message to this replica's own readers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import nats
import nats.errors
from nats.aio.client import Client as NatsClient

from gateway.bus import Backpressure, Deliver, Subscription
from gateway.errors import BusUnavailable
from gateway.session import Message
from gateway.subjects import SESSION_KIND, TEXT_SUFFIX, session_filter, session_subject

log = logging.getLogger(__name__)

SAMPLE_EVERY = 64  # one published message in this many carries its send time
SENT_HEADER = "Relay-Sent"  # unix seconds when the publishing replica received the message

NATS_ERRORS: tuple[type[BaseException], ...] = (nats.errors.Error, OSError, TimeoutError)


class _RateLimited:
    """Log a repeated warning at most once per ``every`` seconds (derp's limitedLogf)."""

    def __init__(self, every: float = 10.0) -> None:
        self._every = every
        self._last: dict[str, float] = {}

    def warning(self, key: str, msg: str, *args: object) -> None:
        now = time.monotonic()
        if now - self._last.get(key, -1e9) >= self._every:
            self._last[key] = now
            log.warning(msg, *args)


async def connect_nats(
    servers: list[str],
    *,
    name: str,
    on_state: Callable[[str], None] | None = None,
    on_slow_consumer: Callable[[str], None] | None = None,
) -> NatsClient:
    """Connect to NATS, retrying forever after the first success.

    Raises:
        BusUnavailable: no server answered the first connection attempt.
    """
    limited = _RateLimited()

    async def error_cb(exc: Exception) -> None:
        # nats-py's default handler logs a traceback per slow-consumer event; count and summarise.
        if isinstance(exc, nats.errors.SlowConsumerError) and on_slow_consumer is not None:
            on_slow_consumer(exc.subject)
        limited.warning(type(exc).__name__, "NATS error: %s: %s", type(exc).__name__, exc)

    def state_cb(state: str) -> Callable[[], Awaitable[None]]:
        async def cb() -> None:
            log.warning("NATS %s", state)
            if on_state is not None:
                on_state(state)

        return cb

    try:
        return await nats.connect(
            servers=servers,
            name=name,
            no_echo=True,
            allow_reconnect=True,
            max_reconnect_attempts=-1,  # nats-py gives up after 60 by default
            reconnect_time_wait=0.5,
            connect_timeout=5,
            pending_size=32 * 1024 * 1024,
            error_cb=error_cb,
            disconnected_cb=state_cb("disconnected"),
            reconnected_cb=state_cb("reconnected"),
            closed_cb=state_cb("closed"),
        )
    except NATS_ERRORS as exc:
        raise BusUnavailable(f"cannot connect to NATS at {','.join(servers)}: {exc}") from exc


class _NatsSubscription:
    def __init__(self, sub: Any) -> None:
        self._sub = sub

    async def unsubscribe(self) -> None:
        try:
            await self._sub.unsubscribe()
        except NATS_ERRORS as exc:
            raise BusUnavailable(f"unsubscribe failed: {exc}") from exc


class NatsBus:
    """Topic traffic on ``<root>.s.<encoded topic>.<t|b>`` subjects."""

    def __init__(
        self,
        nc: NatsClient,
        *,
        root: str = "relay",
        kind: str = SESSION_KIND,
        on_delay: Callable[[float], None] | None = None,
    ) -> None:
        self._nc = nc
        self._root = root
        self._kind = kind
        self._on_delay = on_delay
        self._published = 0  # owned by publish(): every SAMPLE_EVERY-th message carries a timestamp
        # topic -> (text subject, binary subject); encoding a topic per message costs ~10% of a core.
        self._subjects: dict[str, tuple[str, str]] = {}

    def _subjects_of(self, topic: str) -> tuple[str, str]:
        found = self._subjects.get(topic)
        if found is None:
            if len(self._subjects) > 100_000:
                self._subjects.clear()  # bound the cache; topics come and go
            found = self._subjects[topic] = (
                session_subject(self._root, topic, binary=False, kind=self._kind),
                session_subject(self._root, topic, binary=True, kind=self._kind),
            )
        return found

    async def publish(self, topic: str, message: Message) -> None:
        text_subject, binary_subject = self._subjects_of(topic)
        if isinstance(message, str):
            subject, payload = text_subject, message.encode()
        else:
            subject, payload = binary_subject, message
        self._published += 1
        try:
            if self._on_delay is not None and self._published % SAMPLE_EVERY == 0:
                # Headers cost a parse on every receiving replica, so only a sample carries one.
                await self._nc.publish(subject, payload, headers={SENT_HEADER: repr(time.time())})
            else:
                await self._nc.publish(subject, payload)
        except NATS_ERRORS as exc:
            raise BusUnavailable(f"publish failed: {type(exc).__name__}") from exc

    async def subscribe(
        self, topic: str, deliver: Deliver, *, backpressure: Backpressure | None = None
    ) -> Subscription:
        on_delay = self._on_delay

        async def on_message(msg: Any) -> None:
            # The subject's last token says whether the frame was text or binary.
            data = msg.data.decode() if msg.subject.endswith(TEXT_SUFFIX) else msg.data
            if msg.headers and on_delay is not None:
                with contextlib.suppress(KeyError, ValueError):
                    on_delay(max(0.0, time.time() - float(msg.headers[SENT_HEADER])))
            if deliver(data):
                if backpressure is not None:
                    # Lossless topic: hold this subscription (NATS buffers meanwhile) until the
                    # reader has room; overflowing that buffer ends the stream (see on_overrun).
                    await backpressure()
                else:
                    # nats-py runs callbacks back to back while messages are pending; let writers drain.
                    await asyncio.sleep(0)

        try:
            sub = await self._nc.subscribe(
                session_filter(self._root, topic, self._kind),
                cb=on_message,
                pending_msgs_limit=65536,
                pending_bytes_limit=256 * 1024 * 1024,
            )
            # A round trip: the server has the subscription before the reader is told it is open.
            await self._nc.flush(timeout=5)
        except NATS_ERRORS as exc:
            raise BusUnavailable(f"subscribe failed: {type(exc).__name__}") from exc
        return _NatsSubscription(sub)
