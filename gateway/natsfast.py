"""Two fast paths past nats-py's machinery for the relay's hot path, one each way.

**Publishing**: the PUB written to the socket at once.

nats-py's ``publish`` validates the subject with a regular expression, builds the command by
concatenating the payload (a copy), queues it, and wakes a flusher task that writes it on the
next turn of the loop: ~25 us of a replica's time per message on this machine type, most of
the publishing replica's share of a paced message's latency (docs/performance.md).

``DirectPublisher.publish`` writes ``PUB <subject> <size>\\r\\n<payload>\\r\\n`` to the
connection's transport itself, only when doing so cannot reorder or pile anything up:

- the client is CONNECTED (not connecting, reconnecting, draining or closed);
- nats-py holds nothing pending (a queued command, a PING, an earlier publish): it goes first;
- the transport's write buffer is empty: when NATS is slow to read, nats-py's path (which
  waits for the socket to drain) takes over, so memory stays bounded by its pending limit;
- the payload is within the server's max_payload and the subject is one nats-py would accept.

Otherwise it returns False and the caller uses nats-py's ``publish``, which raises the right
error. The internals used are checked once per client (``supported``); a nats-py whose
internals differ gets nats-py's path everywhere, and a unit test says so.

**Receiving**: ``DirectParser`` is nats-py's protocol parser, except that a plain ``MSG`` (no
reply, no headers) for a subscription registered with ``direct`` is handed to that
subscription's synchronous handler from the read loop itself: no ``Msg`` object, no queue, no
task switch to the subscription's callback task (~15 us a message here). Only while that
subscription is idle: nothing in nats-py's queue for it and its callback not running (the
handler says, ``DirectHandler.idle``), so a message never overtakes one taken the slow way.
Everything else (HMSG, replies, PING, INFO, -ERR, a split buffer) is nats-py's own parse.
"""

from __future__ import annotations

import asyncio
from typing import Any, Final, Protocol

from nats.aio.client import Client as NatsClient
from nats.aio.transport import TcpTransport
from nats.protocol.parser import AWAITING_CONTROL_LINE, MAX_CONTROL_LINE_SIZE, Parser

_CRLF: Final = b"\r\n"
_NOT_IN_SUBJECT: Final = (b" ", b"\t", b"\r", b"\n")
PREFIXES_MAX: Final = 4096  # encoded subjects kept; topics come and go


def supported(nc: NatsClient) -> bool:
    """Whether this nats-py keeps what the direct path relies on."""
    return all(
        hasattr(nc, name)
        for name in ("_status", "_pending", "_pending_data_size", "_transport", "_max_payload", "stats")
    ) and hasattr(NatsClient, "CONNECTED")


class DirectPublisher:
    """Publishes on ``nc``'s socket directly when nothing can overtake or pile up (above)."""

    __slots__ = ("_nc", "_on", "_seen", "_raw", "_prefixes")

    def __init__(self, nc: NatsClient) -> None:
        self._nc = nc
        self._on = supported(nc)
        self._seen: object = None  # the stream writer the raw transport was taken from
        self._raw: Any = None  # its asyncio transport; a new one each time nats-py reconnects
        self._prefixes: dict[str, bytes] = {}  # subject -> b"PUB <subject> "

    def publish(self, subject: str, payload: bytes) -> bool:
        """Write one message now; False when nats-py's ``publish`` must take it instead."""
        nc: Any = self._nc
        if not self._on or nc._status != NatsClient.CONNECTED or nc._pending_data_size or nc._pending:
            return False
        wrapper = nc._transport
        writer = getattr(wrapper, "_io_writer", None)  # nats-py keeps the wrapper across reconnects
        if writer is not self._seen:
            self._seen, self._raw = writer, _raw_transport(wrapper, writer)
        raw = self._raw
        if raw is None or raw.is_closing() or raw.get_write_buffer_size():
            return False
        size = len(payload)
        if size > nc._max_payload:
            return False
        prefix = self._prefixes.get(subject)
        if prefix is None:
            encoded = subject.encode()
            if not encoded or any(c in encoded for c in _NOT_IN_SUBJECT):
                return False  # nats-py refuses it with BadSubjectError
            if len(self._prefixes) >= PREFIXES_MAX:
                self._prefixes.clear()
            prefix = self._prefixes[subject] = b"PUB " + encoded + b" "
        raw.writelines((prefix, b"%d\r\n" % size, payload, _CRLF))
        stats = nc.stats
        stats["out_msgs"] += 1
        stats["out_bytes"] += size
        return True


def _raw_transport(wrapper: object, writer: object) -> Any:
    """The asyncio transport under nats-py's TCP transport (None for websocket transports)."""
    if type(wrapper) is not TcpTransport:
        return None
    transport = getattr(writer, "transport", None)
    if transport is None or not hasattr(transport, "get_write_buffer_size"):
        return None
    return transport


class DirectHandler(Protocol):
    """A subscription's synchronous delivery, used while nats-py holds nothing for it."""

    def idle(self) -> bool:
        """True when nats-py's queue for the subscription is empty and its callback is not running."""
        ...

    def deliver(self, subject: bytes, payload: bytes) -> None:
        """Take one message; never raises, never waits."""
        ...


class DirectParser(Parser):
    """nats-py's parser with plain MSGs for ``direct`` subscriptions delivered at once."""

    def __init__(self, nc: NatsClient) -> None:
        super().__init__(nc)
        self.direct: dict[int, DirectHandler] = {}  # sid -> handler; owned by the bus subscribing
        self._hooked: object = None  # the stream reader whose feed_data takes MSGs at once

    async def parse(self, data: bytes = b"") -> None:
        if self.direct:
            self._hook()
        if self.direct and not self.buf and self.state == AWAITING_CONTROL_LINE:
            taken = self._take_direct(data)
            if taken:
                data = data[taken:]
        await super().parse(data)

    def _hook(self) -> None:
        """Take MSGs as the socket delivers them, before nats-py's read loop is woken, while that
        loop waits for data with nothing unread: it saves the loop a task switch per message.
        Each connection has a new stream reader (after a reconnect too): hooked on its first read."""
        reader = getattr(getattr(self.nc, "_transport", None), "_io_reader", None)
        if reader is self._hooked or type(reader) is not asyncio.StreamReader:
            return
        if not (hasattr(reader, "_buffer") and hasattr(reader, "_waiter")):
            return  # an asyncio whose stream reader differs: the read loop takes everything
        self._hooked = reader
        feed = reader.feed_data

        def feed_data(data: bytes) -> None:
            if (
                data
                and self.direct
                and reader._waiter is not None  # the read loop waits in read(): not mid-parse
                and not reader._buffer
                and not self.buf
                and self.state == AWAITING_CONTROL_LINE
            ):
                taken = self._take_direct(data)
                if taken == len(data):
                    return
                data = data[taken:]
            feed(data)

        reader.feed_data = feed_data  # type: ignore[method-assign,assignment]

    def _take_direct(self, data: bytes) -> int:
        """Deliver the plain MSGs at the start of ``data`` to idle direct subscriptions; return
        how many bytes were taken (whole messages only)."""
        direct = self.direct
        stats: Any = self.nc.stats
        end = len(data)
        pos = 0
        while data.startswith(b"MSG ", pos):
            eol = data.find(b"\r\n", pos, pos + MAX_CONTROL_LINE_SIZE)
            if eol < 0:
                break
            fields = data[pos + 4 : eol].split()
            if len(fields) != 3 or not fields[1].isdigit() or not fields[2].isdigit():
                break  # a reply subject, or something nats-py should judge
            handler = direct.get(int(fields[1]))
            if handler is None or not handler.idle():
                break
            start = eol + 2
            stop = start + int(fields[2])
            if stop + 2 > end or data[stop : stop + 2] != b"\r\n":
                break  # not all here yet (nats-py buffers it), or malformed (nats-py decides)
            pos = stop + 2
            size = stop - start
            stats["in_msgs"] += 1
            stats["in_bytes"] += size
            handler.deliver(fields[0], data[start:stop])
        return pos


def new_client() -> NatsClient:
    """A nats-py client whose parser is ``DirectParser`` (nats-py's own where unsupported)."""
    nc = NatsClient()
    if supported(nc) and isinstance(getattr(nc, "_ps", None), Parser):
        nc._ps = DirectParser(nc)
    return nc


def direct_parser(nc: NatsClient) -> DirectParser | None:
    parser = getattr(nc, "_ps", None)
    return parser if isinstance(parser, DirectParser) else None
