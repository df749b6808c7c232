"""natsfast's parser and publisher without a server: what goes the direct way, what is left to
nats-py, and that the installed nats-py still has what both rely on."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from nats.aio.client import Client as NatsClient
from nats.aio.transport import TcpTransport

from gateway import natsbus
from gateway.budget import MemoryBudget
from gateway.chunks import Reassembler
from gateway.logs import RateLimitedLog
from gateway.natsfast import DirectParser, DirectPublisher, direct_parser, new_client, supported
from gateway.session import Message


class Handler:
    def __init__(self, *, idle: bool = True) -> None:
        self.got: list[tuple[bytes, bytes]] = []
        self.is_idle = idle

    def idle(self) -> bool:
        return self.is_idle

    def deliver(self, subject: bytes, payload: bytes) -> None:
        self.got.append((subject, payload))


class Slow:
    """Records what nats-py's own path was given (its _process_msg)."""

    def __init__(self) -> None:
        self.got: list[tuple[int, bytes, bytes, bytes]] = []

    async def __call__(self, sid: int, subject: bytes, reply: bytes, data: bytes, headers: Any) -> None:
        self.got.append((sid, subject, reply, data))


@pytest.fixture
def parsed() -> tuple[DirectParser, Handler, Slow]:
    nc = new_client()
    parser = direct_parser(nc)
    assert parser is not None
    handler = Handler()
    parser.direct[7] = handler
    slow = Slow()
    nc._process_msg = slow  # type: ignore[method-assign]
    return parser, handler, slow


def test_the_installed_nats_py_has_what_the_fast_paths_use() -> None:
    nc = new_client()
    assert supported(nc)
    assert isinstance(direct_parser(nc), DirectParser)


async def test_plain_messages_of_a_direct_subscription_skip_nats_py(
    parsed: tuple[DirectParser, Handler, Slow],
) -> None:
    parser, handler, slow = parsed
    await parser.parse(b"MSG relay.s.t.b 7 5\r\nhello\r\nMSG relay.s.t.t 7 0\r\n\r\n")
    assert handler.got == [(b"relay.s.t.b", b"hello"), (b"relay.s.t.t", b"")]
    assert slow.got == []
    assert parser.nc.stats["in_msgs"] == 2 and parser.nc.stats["in_bytes"] == 5


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"MSG relay.s.t.b 9 5\r\nhello\r\n", "another subscription"),
        (b"MSG relay.s.t.b 7 _INBOX.x 5\r\nhello\r\n", "a reply subject"),
        (b"MSG relay.s.t.b 7 5\r\nhelloXY", "no CRLF after the payload"),
    ],
)
async def test_what_the_direct_path_does_not_know_is_nats_pys(
    parsed: tuple[DirectParser, Handler, Slow], data: bytes, why: str
) -> None:
    parser, handler, slow = parsed
    await parser.parse(data)
    assert handler.got == [], why
    assert len(slow.got) == 1 and slow.got[0][3] == b"hello", why


async def test_a_busy_subscription_gets_its_messages_the_slow_way_in_order(
    parsed: tuple[DirectParser, Handler, Slow],
) -> None:
    parser, handler, slow = parsed
    handler.is_idle = False
    await parser.parse(b"MSG s.b 7 1\r\n1\r\nMSG s.b 7 1\r\n2\r\n")
    assert handler.got == [] and [m[3] for m in slow.got] == [b"1", b"2"]


async def test_after_the_first_slow_message_the_rest_of_the_read_stays_slow(
    parsed: tuple[DirectParser, Handler, Slow],
) -> None:
    """Nothing taken directly may overtake what nats-py queued before it."""
    parser, handler, slow = parsed
    await parser.parse(b"MSG s.b 7 1\r\n1\r\nMSG s.b 9 1\r\n2\r\nMSG s.b 7 1\r\n3\r\n")
    assert handler.got == [(b"s.b", b"1")]
    assert [m[3] for m in slow.got] == [b"2", b"3"]


async def test_a_message_split_across_reads_is_nats_pys_whole(
    parsed: tuple[DirectParser, Handler, Slow],
) -> None:
    parser, handler, slow = parsed
    await parser.parse(b"MSG s.b 7 10\r\n01234")
    await parser.parse(b"56789\r\nMSG s.b 7 1\r\nx\r\n")
    assert [m[3] for m in slow.got] == [b"0123456789", b"x"]  # the second too: the buffer was not empty
    assert handler.got == []
    await parser.parse(b"MSG s.b 7 1\r\ny\r\n")  # the buffer is empty again: direct
    assert handler.got == [(b"s.b", b"y")]


async def test_control_lines_between_messages_are_nats_pys(
    parsed: tuple[DirectParser, Handler, Slow],
) -> None:
    parser, handler, slow = parsed
    pongs: list[bool] = []

    async def pong() -> None:
        pongs.append(True)

    parser.nc._process_pong = pong  # type: ignore[method-assign]
    await parser.parse(b"MSG s.b 7 1\r\na\r\nPONG\r\nMSG s.b 7 1\r\nb\r\n")
    assert handler.got == [(b"s.b", b"a")] and pongs == [True] and [m[3] for m in slow.got] == [b"b"]


def test_a_client_that_is_not_connected_publishes_the_slow_way() -> None:
    assert DirectPublisher(NatsClient()).publish("relay.s.t.b", b"x") is False


def test_an_unsupported_client_is_never_published_to_directly() -> None:
    class Other:
        pass

    assert DirectPublisher(Other()).publish("relay.s.t.b", b"x") is False


class Msg:
    def __init__(self, subject: str, data: bytes) -> None:
        self.subject, self.data, self.headers = subject, data, None


async def test_a_receiver_is_idle_only_with_nothing_queued_and_no_callback_running() -> None:
    """The parser's one question before delivering directly: anything that went nats-py's way
    first (queued, or in its callback) must be delivered first."""
    entered, release = asyncio.Event(), asyncio.Event()
    got: list[Message] = []

    async def backpressure() -> None:
        entered.set()
        await release.wait()

    def deliver(message: Message) -> bool:
        got.append(message)
        return True  # pressed: the callback waits for room

    receiver = natsbus._Receiver(
        deliver,
        Reassembler(MemoryBudget(), max_message=1 << 20, on_loss=lambda _r: None),
        lambda _r: None,
        None,
        backpressure,
        RateLimitedLog(logging.getLogger("t")),
    )
    assert not receiver.idle()  # not registered yet

    class Sub:
        _pending_queue: asyncio.Queue[Any] = asyncio.Queue()

    receiver.sub = Sub()
    assert receiver.idle()
    Sub._pending_queue.put_nowait(Msg("s.b", b"queued"))
    assert not receiver.idle()
    queued = Sub._pending_queue.get_nowait()
    callback = asyncio.create_task(receiver.on_message(queued))
    await entered.wait()
    assert not receiver.idle()  # inside nats-py's callback, waiting for room
    release.set()
    await callback
    assert receiver.idle() and got == [b"queued"]
    receiver.deliver(b"s.t", b"direct")
    assert got == [b"queued", "direct"]  # the subject's last token: text


async def test_messages_are_taken_as_the_socket_delivers_them_while_the_read_loop_waits(
    parsed: tuple[DirectParser, Handler, Slow],
) -> None:
    """The stream reader's feed_data delivers them; the read loop is not woken for them."""
    parser, handler, _slow = parsed
    transport = TcpTransport()
    reader = asyncio.StreamReader()
    transport._io_reader = reader
    parser.nc._transport = transport
    await parser.parse(b"")  # the read loop's first parse hooks this connection's reader
    read = asyncio.create_task(reader.read(1000))  # the read loop, waiting for data
    await asyncio.sleep(0)  # let it start waiting (nothing to await: it is parked in read())
    assert reader._waiter is not None  # type: ignore[attr-defined]
    reader.feed_data(b"MSG s.b 7 1\r\na\r\nMSG s.b 7 1\r\nb\r\n")
    assert handler.got == [(b"s.b", b"a"), (b"s.b", b"b")]
    assert not read.done()  # nothing for the read loop
    reader.feed_data(b"MSG s.b 7 1\r\nc\r\nPING\r\nMSG s.b 7 1\r\nd\r\n")
    assert handler.got[-1] == (b"s.b", b"c")
    # the rest, in order, for nats-py's parse
    assert await asyncio.wait_for(read, 5) == b"PING\r\nMSG s.b 7 1\r\nd\r\n"
    reader.feed_data(b"MSG s.b 7 1\r\ne\r\n")  # the read loop is not waiting (mid-parse): for it
    assert await asyncio.wait_for(reader.read(1000), 5) == b"MSG s.b 7 1\r\ne\r\n"
    assert len(handler.got) == 3
