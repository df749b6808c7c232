"""NATS adapters: the connection, and the ``Bus`` on core NATS subjects.

All of nats-py's ``Any`` stays in this module and ``natsstore``. The connection uses
``no_echo`` because the hub already delivered a message to this replica's own readers.
Errors are translated by ``gateway.natserrors``; a failed publish is reported to the session
that wrote the message (``on_error``), never to whoever publishes next.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

import nats
import nats.errors
from nats.aio.client import Client as NatsClient

from gateway.budget import MemoryBudget
from gateway.bus import Backpressure, Deliver, OnError, OnLoss, Subscription
from gateway.chunks import CHUNK_HEADER, Reassembler, chunk_frames
from gateway.errors import BusUnavailable
from gateway.logs import RateLimitedLog
from gateway.natserrors import NATS_ERRORS, nats_errors, translate
from gateway.natsfast import DirectParser, DirectPublisher, direct_parser, new_client
from gateway.session import Message, size_of
from gateway.subjects import (
    BATCH_SUFFIX,
    BINARY_SUFFIX,
    CHUNK_SUFFIX,
    SESSION_KIND,
    TEXT_SUFFIX,
    session_filter,
    session_subject,
)

log = logging.getLogger(__name__)

BATCH_BYTES = 256 * 1024  # bytes of small messages gathered into one NATS message at most
BATCH_ITEM = 8 * 1024  # bytes: larger messages always leave alone (batching them only adds copies)
BATCH_COUNT = 32  # messages per batch at most: well below half a reader's default queue (128)
GATHER_LIMIT = 2 * 1024 * 1024  # bytes gathered for NATS before publishers wait for them to leave
# What a gathered message costs beyond its payload (its tuple, list slot and object: ~100 bytes),
# counted against GATHER_LIMIT and the budget: a flood of empty messages is bounded too.
GATHER_ITEM_COST = 128
PAYLOAD_HEADROOM = 512  # bytes of a NATS message kept for our framing and the sampled header
PENDING_SIZE = 16 * 1024 * 1024  # nats-py's outbound buffer: publishers wait while it is full
SUB_PENDING_BYTES = 16 * 1024 * 1024  # per subscription, received but not yet delivered
SUB_PENDING_BYTES_LOSSLESS = 32 * 1024 * 1024  # ssh: room for a reader that pauses (ssh windows are ~2 MiB)
_TEXT_RECORD = b"t"
_BINARY_RECORD = b"b"
SAMPLE_EVERY = 64  # one published message in this many carries its send time
SENT_HEADER = "Relay-Sent"  # unix seconds when the publishing replica received the message

# One gathered message: (message, its publisher's error callback, its size).
_Item = tuple[Message, OnError, int]


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
    limited = RateLimitedLog(log)

    async def error_cb(exc: Exception) -> None:
        # nats-py's default handler logs a traceback per slow-consumer event; count and summarise.
        if isinstance(exc, nats.errors.SlowConsumerError) and on_slow_consumer is not None:
            on_slow_consumer(exc.subject)
        limited.warning(type(exc).__name__, "NATS error: %s: %s", type(exc).__name__, exc)

    client: list[NatsClient] = []  # set once connected: our own close/drain is not a warning

    def state_cb(state: str) -> Callable[[], Awaitable[None]]:
        async def cb() -> None:
            closing = bool(client) and (client[0].is_closed or client[0].is_draining)
            log.log(logging.INFO if closing else logging.WARNING, "NATS %s", state)
            if on_state is not None:
                on_state(state)

        return cb

    try:
        async with asyncio.timeout(wait):
            client.append(await _connect(servers, name, error_cb, state_cb))
            return client[0]
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
    nc = new_client()  # nats-py's client with the direct parser (natsfast)
    await nc.connect(
        servers=servers,
        name=name,
        no_echo=True,
        allow_reconnect=True,
        max_reconnect_attempts=-1,  # nats-py gives up after 60 by default
        reconnect_time_wait=0.5,  # type: ignore[arg-type]  # annotated int; seconds, a float works
        connect_timeout=5,
        pending_size=PENDING_SIZE,
        error_cb=error_cb,
        disconnected_cb=state_cb("disconnected"),
        reconnected_cb=state_cb("reconnected"),
        closed_cb=state_cb("closed"),
    )
    return nc


class _NatsSubscription:
    def __init__(self, sub: Any, reassembler: Reassembler, parser: DirectParser | None) -> None:
        self._sub = sub
        self._reassembler = reassembler
        self._parser = parser

    async def unsubscribe(self) -> None:
        if self._parser is not None:
            self._parser.direct.pop(self._sub._id, None)
        self._reassembler.clear()
        with nats_errors("unsubscribe failed"):
            await self._sub.unsubscribe()


class _Receiver:
    """One subscription's way in: nats-py's callback (``on_message``), and the direct handler
    the read loop uses while nats-py holds nothing for it (``natsfast.DirectParser``)."""

    __slots__ = ("sub", "busy", "_deliver", "_reassembler", "_lost", "_on_delay", "_backpressure", "_limited")

    def __init__(
        self,
        deliver: Deliver,
        reassembler: Reassembler,
        lost: OnLoss,
        on_delay: Callable[[float], None] | None,
        backpressure: Backpressure | None,
        limited: RateLimitedLog,
    ) -> None:
        self.sub: Any = None  # nats-py's Subscription, once registered for direct delivery
        self.busy = False  # owned by on_message: True while nats-py's callback runs
        self._deliver = deliver
        self._reassembler = reassembler
        self._lost = lost
        self._on_delay = on_delay
        self._backpressure = backpressure
        self._limited = limited

    def idle(self) -> bool:
        return not self.busy and self.sub is not None and self.sub._pending_queue.empty()

    def deliver(self, subject: bytes, payload: bytes) -> None:
        # Pressure needs no answer here: this is never a lossless topic, and the read loop
        # yields at its next read; the readers' queues bound what waits for them.
        self._take(chr(subject[-1]), payload, subject)

    def _take(self, suffix: str, data: bytes, subject: object) -> bool:
        """Deliver one NATS message's frames; True when a reader's queue is half full."""
        # The subject's last token says whether the frame was text or binary, a batch or a chunk.
        deliver = self._deliver
        try:
            if suffix == BATCH_SUFFIX:
                pressed = False
                for message in decode_batch(data):
                    pressed |= deliver(message)
                return pressed
            if suffix == CHUNK_SUFFIX:
                whole = self._reassembler.add(data)
                return False if whole is None else deliver(whole)
            return deliver(data.decode() if suffix == TEXT_SUFFIX else data)
        except Exception:  # a bad frame must not stop the subscription's deliveries
            self._limited.warning("deliver", "cannot deliver a NATS message on %s", subject)
            self._lost("undecodable message")
            return False

    async def on_message(self, msg: Any) -> None:
        self.busy = True
        try:
            if msg.headers and self._on_delay is not None:
                with contextlib.suppress(KeyError, ValueError):
                    self._on_delay(max(0.0, time.time() - float(msg.headers[SENT_HEADER])))
            if self._take(msg.subject[-1], msg.data, msg.subject):
                if self._backpressure is not None:
                    # Lossless topic: hold this subscription (NATS buffers meanwhile) until the
                    # reader has room; overflowing that buffer ends the stream (see on_overrun).
                    await self._backpressure()
                else:
                    # nats-py runs callbacks back to back while messages are pending; let writers drain.
                    await asyncio.sleep(0)
        finally:
            self.busy = False


async def flush_ordered(nc: NatsClient, timeout: int) -> None:
    """A round trip that proves the server has processed everything sent before it.

    nats-py's ``flush()`` writes its PING straight to the socket while earlier commands (a SUB,
    a PUB) may still wait in its pending buffer for the flusher task: the PONG can then come back
    before the server has seen them (a new subscription missing the first messages published
    after it was "confirmed"). Pushing the pending buffer out first keeps PING behind them.

    Raises:
        nats.errors.Error, OSError, TimeoutError: as ``flush()`` (callers translate them).
    """
    await nc._flush_pending(force_flush=True)
    await nc.flush(timeout=timeout)


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


class _Frame:
    """One NATS message to publish and the publishers of what it carries."""

    __slots__ = ("owners", "payload", "subject")

    def __init__(self, subject: str, payload: bytes, owners: list[OnError]) -> None:
        self.subject = subject
        self.payload = payload
        self.owners = owners


class NatsBus:
    """Topic traffic on ``<root>.<kind>.<encoded topic>.<t|b|m|p>`` subjects.

    Messages published in the same event-loop iteration on one topic leave as one NATS message
    (suffix ``m``, see :func:`encode_batch`): uvicorn hands a burst of frames to the app within
    one iteration, and one NATS message per frame would cost each replica a parse, an object
    and a queue hop per frame. A lone message still leaves at once, as ``t`` or ``b``. A message
    larger than the server's max_payload leaves in chunks (suffix ``p``, see ``gateway.chunks``)
    and is reassembled by each receiving replica.

    Back-pressure: a publisher waits while more than ``GATHER_LIMIT`` bytes are gathered (with
    ``GATHER_ITEM_COST`` per message, so that empty messages count too), and
    nats-py makes it wait while its own buffer (``PENDING_SIZE``) is full; neither grows with
    the number of writers.
    """

    def __init__(
        self,
        nc: NatsClient,
        *,
        root: str = "relay",
        kind: str = SESSION_KIND,
        on_delay: Callable[[float], None] | None = None,
        budget: MemoryBudget | None = None,
        max_message: int = 64 * 1024 * 1024,
        lossless: bool = False,
    ) -> None:
        self._nc = nc
        self._direct = DirectPublisher(nc)  # the socket at once when nothing is ahead (natsfast)
        self._root = root
        self._kind = kind
        self._on_delay = on_delay
        self._budget = budget if budget is not None else MemoryBudget()
        self._max_message = max_message
        self._lossless = lossless
        self._publisher = os.urandom(8)  # names this bus's chunks to the reassemblers
        self._sequence = 0  # owned by _frames(): chunked messages published
        self._published = 0  # owned by _should_sample(): NATS messages published
        # topic -> (text, binary, batch, chunk subjects); encoding a topic per message costs ~10% of a core.
        self._subjects: dict[str, tuple[str, str, str, str]] = {}
        self._pending: dict[str, list[_Item]] = {}  # owned by publish()/_flush(): gathered messages
        self._pending_bytes = 0  # bytes in _pending, GATHER_ITEM_COST each included (in the budget too)
        self._window = False  # True from a direct publish until the gathered messages are out
        self._sent: asyncio.Future[None] | None = None  # resolved when what is gathered now has left
        self._send_lock = asyncio.Lock()  # one sender at a time: a chunked message is never interleaved
        self._tasks: set[asyncio.Task[None]] = set()
        self._last_sample = 0.0  # monotonic time of the last sampled message
        self._limited = RateLimitedLog(log)

    def _subjects_of(self, topic: str) -> tuple[str, str, str, str]:
        found = self._subjects.get(topic)
        if found is None:
            if len(self._subjects) > 100_000:
                self._subjects.clear()  # bound the cache; topics come and go
            text = session_subject(self._root, topic, binary=False, kind=self._kind)
            stem = text[:-1]
            found = self._subjects[topic] = (
                text,
                stem + BINARY_SUFFIX,
                stem + BATCH_SUFFIX,
                stem + CHUNK_SUFFIX,
            )
        return found

    @property
    def gathered_bytes(self) -> int:
        return self._pending_bytes

    async def publish(self, topic: str, message: Message, on_error: OnError, size: int = -1) -> None:
        if size < 0:
            size = size_of(message)  # the hub passes it: computed once per message
        if not self._window:
            # The first message of an iteration leaves at once (no added latency); the ones that
            # follow in the same iteration are gathered and leave together right after it.
            self._window = True
            asyncio.get_running_loop().call_soon(self._close_window)
            if self._send_lock.locked() or size > self._chunk_size():
                await self._send({topic: [(message, on_error, size)]})  # behind a sender, or in chunks
                return
            # The common case, kept lean: one NATS message. nats-py queues it before it can
            # suspend, so nothing sent after it can overtake it.
            subjects = self._subjects_of(topic)
            if isinstance(message, str):
                reason = await self._publish(subjects[0], message.encode())
            else:
                reason = await self._publish(subjects[1], message)
            if reason is not None:
                on_error(reason)
            return
        cost = size + GATHER_ITEM_COST
        while self._pending_bytes and self._pending_bytes + cost > GATHER_LIMIT:
            # Back-pressure: this publisher (and so its socket) waits until what is gathered left.
            if self._sent is None:
                self._sent = asyncio.get_running_loop().create_future()
            await asyncio.shield(self._sent)
        if not self._window:
            await self.publish(topic, message, on_error, size)  # the window closed meanwhile
            return
        pending = self._pending.get(topic)
        if pending is None:
            self._pending[topic] = [(message, on_error, size)]
        else:
            pending.append((message, on_error, size))
        self._pending_bytes += cost
        budget = self._budget
        used = budget.used = budget.used + cost  # MemoryBudget.add, inlined: hot path
        if used > budget.peak:
            budget.peak = used

    def _close_window(self) -> None:
        if not self._pending:
            self._window = False
            self._resolve_sent()
            return
        task = asyncio.get_running_loop().create_task(self._flush())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _resolve_sent(self) -> None:
        sent, self._sent = self._sent, None
        if sent is not None and not sent.done():
            sent.set_result(None)

    async def _flush(self) -> None:
        try:
            await self._send_gathered()
        finally:
            # Messages gathered meanwhile keep their place behind these: close the window only
            # when nothing is left, else go round again at the end of this iteration.
            asyncio.get_running_loop().call_soon(self._close_window)

    async def _send_gathered(self) -> None:
        """Send what is gathered now; then wake the publishers that waited for it to leave."""
        batches, self._pending = self._pending, {}
        size, self._pending_bytes = self._pending_bytes, 0
        sent, self._sent = self._sent, None
        try:
            await self._send(batches)
        finally:
            self._budget.sub(size)
            if sent is not None and not sent.done():
                sent.set_result(None)

    async def _send(self, batches: dict[str, list[_Item]]) -> None:
        """Publish every frame; a frame that fails is reported to the publishers it carried."""
        async with self._send_lock:
            for topic, items in batches.items():
                try:
                    frames = self._frames(topic, items)
                except Exception:  # a bug must not lose the window; tell the publishers
                    log.exception("cannot frame messages for NATS")
                    for _message, on_error, _size in items:
                        on_error("internal error")
                    continue
                failed: set[int] = set()  # chunked messages that lost a chunk: skip the rest
                for frame in frames:
                    if failed and id(frame.owners) in failed:
                        continue
                    reason = await self._publish(frame.subject, frame.payload)
                    if reason is not None:
                        failed.add(id(frame.owners))
                        for on_error in dict.fromkeys(frame.owners):
                            on_error(reason)

    async def _publish(self, subject: str, payload: bytes) -> str | None:
        """Publish one NATS message; return why it failed (natserrors' wording), or None."""
        try:
            if self._on_delay is not None and self._should_sample():
                # Headers cost a parse on every receiving replica, so only a sample carries one.
                await self._nc.publish(subject, payload, headers={SENT_HEADER: repr(time.time())})
            elif not self._direct.publish(subject, payload):
                await self._nc.publish(subject, payload)
        except NATS_ERRORS as exc:  # translated by the one map; no context manager on the hot path
            reason = translate("publish failed", exc).reason
            self._limited.warning("publish", "NATS %s (reported to its connection)", reason)
            return reason
        except Exception:
            log.exception("unexpected error publishing to NATS")
            return "internal error"
        return None

    def _should_sample(self) -> bool:
        """Every SAMPLE_EVERY-th NATS message, and at least one a second, carries its send time."""
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
            await self._send_gathered()

    def _chunk_size(self) -> int:
        """Payload bytes per chunk: what the server we are connected to takes, minus our framing."""
        return max(1024, int(self._nc.max_payload) - PAYLOAD_HEADROOM - CHUNK_HEADER)

    def _frames(self, topic: str, items: list[_Item]) -> list[_Frame]:
        """NATS messages for one topic's messages, in order: small ones batched, large ones alone,
        ones over the server's max_payload in chunks."""
        text_subject, binary_subject, batch_subject, chunk_subject = self._subjects_of(topic)
        chunk = self._chunk_size()
        batch_limit = min(BATCH_BYTES, chunk)
        out: list[_Frame] = []
        run: list[_Item] = []
        size = 0

        def close_run() -> None:
            if len(run) == 1:
                only, on_error, _size = run[0]
                if isinstance(only, str):
                    out.append(_Frame(text_subject, only.encode(), [on_error]))
                else:
                    out.append(_Frame(binary_subject, only, [on_error]))
            elif run:
                out.append(
                    _Frame(batch_subject, encode_batch([item[0] for item in run]), [item[1] for item in run])
                )
            run.clear()

        for item in items:
            message, _on_error, n = item
            if n > chunk:
                close_run()
                size = 0
                data = message.encode() if isinstance(message, str) else message
                self._sequence += 1
                owners = [item[1]]  # one list shared by the chunks: a failed chunk skips the rest
                kind = _TEXT_RECORD if isinstance(message, str) else _BINARY_RECORD
                for payload in chunk_frames(kind, self._publisher, self._sequence, data, chunk):
                    out.append(_Frame(chunk_subject, payload, owners))
                continue
            large = n > BATCH_ITEM
            if large or size + n > batch_limit or len(run) >= BATCH_COUNT:
                close_run()
                size = 0
            run.append(item)
            size += n
            if large:
                close_run()  # a large message always travels alone
                size = 0
        close_run()
        return out

    async def subscribe(
        self,
        topic: str,
        deliver: Deliver,
        *,
        backpressure: Backpressure | None = None,
        on_loss: OnLoss | None = None,
    ) -> Subscription:
        lost = on_loss if on_loss is not None else (lambda _reason: None)
        reassembler = Reassembler(self._budget, max_message=self._max_message, on_loss=lost)
        receiver = _Receiver(deliver, reassembler, lost, self._on_delay, backpressure, self._limited)
        with nats_errors("subscribe failed"):
            sub = await self._nc.subscribe(
                session_filter(self._root, topic, self._kind),
                cb=receiver.on_message,
                pending_msgs_limit=65536,
                pending_bytes_limit=SUB_PENDING_BYTES_LOSSLESS if self._lossless else SUB_PENDING_BYTES,
            )
            parser = direct_parser(self._nc)
            if parser is not None and backpressure is None:
                # Not on lossless topics: their callback may wait for the reader, which the
                # read loop (where direct messages are delivered) must never do.
                receiver.sub = sub
                parser.direct[sub._id] = receiver
            # A round trip: the server has the subscription before the reader is told it is open.
            await flush_ordered(self._nc, 5)
        return _NatsSubscription(sub, reassembler, parser)
