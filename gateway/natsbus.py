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
from gateway.subjects import (
    BATCH_SUFFIX,
    BINARY_SUFFIX,
    SESSION_KIND,
    TEXT_SUFFIX,
    session_filter,
    session_subject,
)

log = logging.getLogger(__name__)

BATCH_BYTES = 256 * 1024  # bytes of small messages gathered into one NATS message at most
BATCH_ITEM = 8 * 1024  # bytes: larger messages always leave alone (batching them only adds copies)
BATCH_COUNT = 32  # messages per batch at most: well below half a reader's default queue (128)
_TEXT_RECORD = b"t"
_BINARY_RECORD = b"b"
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
    wait: float = 10.0,
) -> NatsClient:
    """Connect to NATS within ``wait`` seconds; once connected, reconnect forever.

    Raises:
        BusUnavailable: no server answered within ``wait`` seconds.
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
        async with asyncio.timeout(wait):
            return await _connect(servers, name, error_cb, state_cb)
    except TimeoutError as exc:
        raise BusUnavailable(f"cannot connect to NATS at {','.join(servers)} (tried for {wait:g}s)") from exc
    except NATS_ERRORS as exc:
        raise BusUnavailable(f"cannot connect to NATS at {','.join(servers)}: {exc}") from exc


async def _connect(
    servers: list[str],
    name: str,
    error_cb: Callable[[Exception], Awaitable[None]],
    state_cb: Callable[[str], Callable[[], Awaitable[None]]],
) -> NatsClient:
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


class _NatsSubscription:
    def __init__(self, sub: Any) -> None:
        self._sub = sub

    async def unsubscribe(self) -> None:
        try:
            await self._sub.unsubscribe()
        except NATS_ERRORS as exc:
            raise BusUnavailable(f"unsubscribe failed: {exc}") from exc


def encode_batch(messages: list[Message]) -> bytes:
    """Frame several messages as one NATS payload: per message a type byte, a length, the bytes."""
    parts = []
    for message in messages:
        if isinstance(message, str):
            data = message.encode()
            parts.append(_TEXT_RECORD + len(data).to_bytes(4, "big"))
        else:
            data = message
            parts.append(_BINARY_RECORD + len(data).to_bytes(4, "big"))
        parts.append(data)
    return b"".join(parts)


def decode_batch(payload: bytes) -> list[Message]:
    """Invert :func:`encode_batch`, keeping every message's boundaries and type."""
    out: list[Message] = []
    view = memoryview(payload)
    pos, end = 0, len(payload)
    while pos + 5 <= end:
        kind = payload[pos]
        length = int.from_bytes(view[pos + 1 : pos + 5], "big")
        data = bytes(view[pos + 5 : pos + 5 + length])
        out.append(data.decode() if kind == _TEXT_RECORD[0] else data)
        pos += 5 + length
    return out


class NatsBus:
    """Topic traffic on ``<root>.<kind>.<encoded topic>.<t|b|m>`` subjects.

    Messages published in the same event-loop iteration on one topic leave as one NATS message
    (suffix ``m``, see :func:`encode_batch`): uvicorn hands a burst of frames to the app within
    one iteration, and one NATS message per frame would cost each replica a parse, an object
    and a queue hop per frame. A lone message still leaves at once, as ``t`` or ``b``.
    """

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
        self._published = 0  # owned by _should_sample(): NATS messages published
        # topic -> (text, binary, batch subjects); encoding a topic per message costs ~10% of a core.
        self._subjects: dict[str, tuple[str, str, str]] = {}
        self._pending: dict[str, list[Message]] = {}  # owned by publish()/_flush(): gathered messages
        self._window = False  # True from a direct publish until the gathered messages are out
        self._failure: BusUnavailable | None = None  # a failed flush, reported by the next publish()
        self._tasks: set[asyncio.Task[None]] = set()
        self._last_sample = 0.0  # monotonic time of the last sampled message

    def _subjects_of(self, topic: str) -> tuple[str, str, str]:
        found = self._subjects.get(topic)
        if found is None:
            if len(self._subjects) > 100_000:
                self._subjects.clear()  # bound the cache; topics come and go
            text = session_subject(self._root, topic, binary=False, kind=self._kind)
            found = self._subjects[topic] = (text, text[:-1] + BINARY_SUFFIX, text[:-1] + BATCH_SUFFIX)
        return found

    async def publish(self, topic: str, message: Message) -> None:
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure
        if not self._window:
            # The first message of an iteration leaves at once (no added latency); the ones that
            # follow in the same iteration are gathered and leave together right after it.
            self._window = True
            asyncio.get_running_loop().call_soon(self._close_window)
            await self._send({topic: [message]})
            return
        pending = self._pending.get(topic)
        if pending is None:
            self._pending[topic] = [message]
        else:
            pending.append(message)

    def _close_window(self) -> None:
        if not self._pending:
            self._window = False
            return
        task = asyncio.get_running_loop().create_task(self._flush())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _flush(self) -> None:
        batches, self._pending = self._pending, {}
        await self._send(batches)
        # Messages gathered meanwhile keep their place behind these: close the window only when
        # nothing is left, else go round again at the end of this iteration.
        asyncio.get_running_loop().call_soon(self._close_window)

    async def _send(self, batches: dict[str, list[Message]]) -> None:
        try:
            for topic, messages in batches.items():
                for payload, subject in self._frames(topic, messages):
                    if self._should_sample():
                        # Headers cost a parse on every receiving replica, so only a sample carries one.
                        await self._nc.publish(subject, payload, headers={SENT_HEADER: repr(time.time())})
                    else:
                        await self._nc.publish(subject, payload)
        except NATS_ERRORS as exc:
            log.warning("publish failed: %s", type(exc).__name__)
            self._failure = BusUnavailable(f"publish failed: {type(exc).__name__}")
            self._failure.__cause__ = exc

    def _should_sample(self) -> bool:
        """Every SAMPLE_EVERY-th NATS message, and at least one a second, carries its send time."""
        if self._on_delay is None:
            return False
        self._published += 1
        now = time.monotonic()
        if self._published % SAMPLE_EVERY == 0 or now - self._last_sample >= 1.0:
            self._last_sample = now
            return True
        return False

    async def flush(self) -> None:
        """Publish what has been gathered now (tests, shutdown)."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._pending:
            batches, self._pending = self._pending, {}
            await self._send(batches)

    def _frames(self, topic: str, messages: list[Message]) -> list[tuple[bytes, str]]:
        """NATS payloads for one topic's messages, in order: small ones batched, large ones alone."""
        text_subject, binary_subject, batch_subject = self._subjects_of(topic)
        out: list[tuple[bytes, str]] = []
        run: list[Message] = []
        size = 0

        def close_run() -> None:
            if len(run) == 1:
                only = run[0]
                out.append((only.encode(), text_subject) if isinstance(only, str) else (only, binary_subject))
            elif run:
                out.append((encode_batch(run), batch_subject))
            run.clear()

        for message in messages:
            large = len(message) > BATCH_ITEM
            if large or size + len(message) > BATCH_BYTES or len(run) >= BATCH_COUNT:
                close_run()
                size = 0
            run.append(message)
            size += len(message)
            if large:
                close_run()  # a large message always travels alone
                size = 0
        close_run()
        return out

    async def subscribe(
        self, topic: str, deliver: Deliver, *, backpressure: Backpressure | None = None
    ) -> Subscription:
        on_delay = self._on_delay

        async def on_message(msg: Any) -> None:
            # The subject's last token says whether the frame was text or binary, or a batch.
            suffix = msg.subject[-1]
            if msg.headers and on_delay is not None:
                with contextlib.suppress(KeyError, ValueError):
                    on_delay(max(0.0, time.time() - float(msg.headers[SENT_HEADER])))
            if suffix == BATCH_SUFFIX:
                pressed = False
                for data in decode_batch(msg.data):
                    pressed |= deliver(data)
            else:
                pressed = deliver(msg.data.decode() if suffix == TEXT_SUFFIX else msg.data)
            if pressed:
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
