"""Session: the bounded, drop-oldest outbound queue, its counters and the close request."""

from __future__ import annotations

import asyncio

import pytest

from gateway.session import Session


def reader(**kwargs: object) -> Session:
    return Session(topic="t", can_read=True, can_write=True, **kwargs)  # type: ignore[arg-type]


def drain(session: Session) -> list[str | bytes]:
    out: list[str | bytes] = []
    while (message := session.take()) is not None:
        out.append(message)
    return out


def test_take_returns_messages_in_fifo_order_then_none() -> None:
    session = reader()
    for message in ("a", b"b", "c"):
        session.offer(message)
    assert drain(session) == ["a", b"b", "c"]
    assert session.take() is None


def test_frame_type_is_preserved_by_the_queue() -> None:
    session = reader()
    session.offer("text")
    session.offer(b"bin")
    first, second = session.take(), session.take()
    assert isinstance(first, str) and isinstance(second, bytes)


def test_over_max_messages_the_oldest_is_dropped_and_counted() -> None:
    session = reader(max_messages=3)
    for i in range(5):
        session.offer(f"m{i}")
    assert session.queued == 3
    assert drain(session) == ["m2", "m3", "m4"]
    assert session.counters.dropped == 2
    assert session.counters.dropped_bytes == len("m0") + len("m1")


def test_over_max_bytes_the_oldest_are_dropped_until_the_new_message_fits() -> None:
    session = reader(max_bytes=10)
    session.offer(b"aaaa")
    session.offer(b"bbbb")
    session.offer(b"cccccc")  # 4 + 4 + 6 > 10: drop "aaaa" -> 4 + 6 = 10 fits
    assert drain(session) == [b"bbbb", b"cccccc"]
    assert (session.counters.dropped, session.counters.dropped_bytes) == (1, 4)


def test_message_larger_than_max_bytes_is_admitted_into_an_empty_queue() -> None:
    session = reader(max_bytes=10)
    session.offer(b"x" * 50)
    assert drain(session) == [b"x" * 50]
    assert session.counters.dropped == 0


def test_message_larger_than_max_bytes_evicts_everything_queued_then_is_admitted() -> None:
    session = reader(max_bytes=10)
    session.offer(b"12345")
    session.offer(b"678")
    session.offer(b"y" * 20)
    assert drain(session) == [b"y" * 20]
    assert (session.counters.dropped, session.counters.dropped_bytes) == (2, 8)


def test_byte_accounting_recovers_after_take() -> None:
    session = reader(max_bytes=10)
    session.offer(b"x" * 8)
    assert session.take() == b"x" * 8
    session.offer(b"y" * 8)
    session.offer(b"z" * 2)
    assert drain(session) == [b"y" * 8, b"z" * 2]
    assert session.counters.dropped == 0


def test_offer_returns_true_once_the_queue_is_half_full() -> None:
    session = reader(max_messages=4)
    assert session.offer("1") is False
    assert session.offer("2") is True
    assert session.offer("3") is True


def test_write_only_session_queues_nothing() -> None:
    session = Session(topic="t", can_read=False, can_write=True, max_messages=2)
    assert session.offer("x") is False
    assert session.offer("y") is False
    assert session.queued == 0 and session.take() is None
    assert session.counters.dropped == 0


def test_record_in_and_out_count_messages_bytes_and_times() -> None:
    session = reader()
    session.record_in("abc", 1.5)
    session.record_in(b"\x00\x01", 2.5)
    session.record_out(b"12345", 3.5)
    c = session.counters
    assert (c.messages_in, c.bytes_in, c.last_in) == (2, 5, 2.5)
    assert (c.messages_out, c.bytes_out, c.last_out) == (1, 5, 3.5)


async def test_wait_returns_at_once_when_a_message_is_queued() -> None:
    session = reader()
    session.offer("x")
    await asyncio.wait_for(session.wait(), timeout=1)
    assert session.take() == "x"


async def test_wait_blocks_until_offer() -> None:
    session = reader()
    waiter = asyncio.create_task(session.wait())
    await asyncio.sleep(0)
    assert not waiter.done()
    session.offer("x")
    await asyncio.wait_for(waiter, timeout=1)
    assert session.take() == "x"


async def test_wait_blocks_again_after_the_queue_was_drained() -> None:
    session = reader()
    session.offer("x")
    await session.wait()
    session.take()
    waiter = asyncio.create_task(session.wait())
    await asyncio.sleep(0)
    assert not waiter.done()
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter


async def test_request_close_first_request_wins_and_closing_returns_it() -> None:
    session = reader()
    closing = asyncio.create_task(session.closing())
    await asyncio.sleep(0)
    assert not closing.done()
    session.request_close(4000, "slow")
    session.request_close(4502, "expired")
    assert await asyncio.wait_for(closing, timeout=1) == (4000, "slow")
    assert session.close_request == (4000, "slow")
    assert await session.closing() == (4000, "slow")


def test_sessions_get_distinct_connection_ids() -> None:
    assert reader().conn_id != reader().conn_id


def test_offer_returns_true_once_the_queue_is_half_full_in_bytes() -> None:
    session = reader(max_messages=128, max_bytes=1000)
    assert session.offer(b"x" * 400) is False
    assert session.offer(b"x" * 100) is True  # 500 of 1000 bytes, though only 2 of 128 messages


# --- direct writes: an idle reader's socket takes a message at once, in order ---


class Socket:
    """A reader's socket that takes frames while ``open`` (as send_now: False means "queue it")."""

    def __init__(self) -> None:
        self.frames: list[str | bytes] = []
        self.open = True

    def __call__(self, message: str | bytes) -> bool:
        if self.open:
            self.frames.append(message)
        return self.open


def test_an_idle_reader_gets_a_message_directly_and_counted() -> None:
    socket = Socket()
    session = reader(direct=socket)
    assert session.offer("hello") is False
    assert socket.frames == ["hello"]
    assert session.queued == 0
    assert session.counters.messages_out == 1
    assert session.counters.bytes_out == 5


def test_a_socket_that_cannot_take_more_makes_messages_queue_in_order() -> None:
    socket = Socket()
    session = reader(direct=socket)
    session.offer("a")
    socket.open = False
    session.offer("b")
    socket.open = True
    session.offer("c")  # "b" is queued: "c" must not overtake it
    assert socket.frames == ["a"]
    assert drain(session) == ["b", "c"]


def test_no_direct_write_overtakes_a_message_the_writer_holds() -> None:
    socket = Socket()
    session = reader(direct=socket)
    socket.open = False
    session.offer("a")
    socket.open = True
    taken = session.take()  # the writer task is now writing "a"
    session.offer("b")
    assert taken == "a"
    assert socket.frames == []  # "b" waits for "a"
    session.record_out("a", 0.0)
    session.offer("c")
    assert drain(session) == ["b", "c"]


def test_a_read_only_direct_socket_never_gets_what_a_non_reader_is_offered() -> None:
    socket = Socket()
    session = Session(topic="t", can_read=False, can_write=True, direct=socket)
    session.offer("x")
    assert socket.frames == []
