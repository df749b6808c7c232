"""nats-py errors are translated at the adapter boundary: BusUnavailable or CodeRejected, never raw.

The fakes stand in for nats-py's client and KV objects only; the adapters under test are real.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass
from typing import Any

import nats.errors
import nats.js.errors
import pytest

from gateway.errors import BusUnavailable, CodeRejected
from gateway.grants import Grant
from gateway.natsbus import BATCH_ITEM, GATHER_ITEM_COST, GATHER_LIMIT, NatsBus, decode_batch
from gateway.natsstore import KvCodeStore
from gateway.subjects import BATCH_SUFFIX

TRANSPORT_ERRORS = [
    nats.errors.ConnectionClosedError(),
    nats.errors.TimeoutError(),
    nats.errors.NoServersError(),
    OSError("network unreachable"),
    TimeoutError(),
]
IDS = ["ConnectionClosed", "NatsTimeout", "NoServers", "OSError", "TimeoutError"]


class FakeSub:
    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error

    async def unsubscribe(self) -> None:
        if self.error is not None:
            raise self.error


class FakeNats:
    """Stands in for nats.aio.client.Client: records calls, raises ``error`` when given."""

    def __init__(
        self, error: BaseException | None = None, sub: FakeSub | None = None, max_payload: int = 1024 * 1024
    ) -> None:
        self.error = error
        self.max_payload = max_payload
        self.sub = sub or FakeSub()
        self.published: list[tuple[str, bytes]] = []
        self.subscribed: list[tuple[str, Any]] = []

    async def publish(self, subject: str, payload: bytes, headers: Any = None) -> None:
        if self.error is not None:
            raise self.error
        if len(payload) > self.max_payload:
            raise nats.errors.MaxPayloadError
        self.published.append((subject, payload))

    async def subscribe(self, subject: str, *, cb: Any, **limits: Any) -> FakeSub:
        if self.error is not None:
            raise self.error
        self.subscribed.append((subject, cb))
        return self.sub

    async def flush(self, timeout: float = 2) -> None:
        if self.error is not None:
            raise self.error

    async def _flush_pending(self, force_flush: bool = False) -> None:
        if self.error is not None:
            raise self.error


@dataclass
class FakeEntry:
    value: bytes
    revision: int


class FakeKv:
    """Stands in for nats.js.kv.KeyValue."""

    def __init__(
        self,
        *,
        get_error: BaseException | None = None,
        delete_error: BaseException | None = None,
        create_error: BaseException | None = None,
    ) -> None:
        self.get_error, self.delete_error, self.create_error = get_error, delete_error, create_error
        self.entries: dict[str, FakeEntry] = {}
        self.deletes: list[tuple[str, int | None]] = []

    async def create(self, key: str, value: bytes) -> int:
        if self.create_error is not None:
            raise self.create_error
        self.entries[key] = FakeEntry(value, len(self.entries) + 1)
        return self.entries[key].revision

    async def get(self, key: str) -> FakeEntry:
        if self.get_error is not None:
            raise self.get_error
        if key not in self.entries:
            raise nats.js.errors.KeyNotFoundError()
        return self.entries[key]

    async def delete(self, key: str, last: int | None = None) -> bool:
        if self.delete_error is not None:
            raise self.delete_error
        self.deletes.append((key, last))
        del self.entries[key]
        return True


def grant() -> Grant:
    return Grant(topic="t", prefix="session", scopes=("read",), booking_id="b", minted_at=time.time())


# --- NatsBus ---


@dataclass
class Msg:
    subject: str
    data: bytes
    headers: dict[str, str] | None = None  # nats-py: None when the message has none


class Errors:
    """One publisher's error callback: records what it was told."""

    def __init__(self) -> None:
        self.reasons: list[str] = []

    def __call__(self, reason: str) -> None:
        self.reasons.append(reason)


NOBODY = Errors()


@pytest.mark.parametrize("error", TRANSPORT_ERRORS, ids=IDS)
async def test_publish_error_is_reported_to_the_publisher_of_that_message(error: BaseException) -> None:
    bus = NatsBus(FakeNats(error))  # type: ignore[arg-type]
    first, second = Errors(), Errors()
    await bus.publish("t", "x", first)  # leaves at once
    await bus.publish("t", "y", second)  # gathered; leaves at the end of this loop iteration
    await bus.flush()
    assert len(first.reasons) == 1 and "publish failed" in first.reasons[0]
    assert len(second.reasons) == 1
    bystander = Errors()
    bus._nc.error = None  # type: ignore[attr-defined]
    await bus.publish("t", "z", bystander)
    await bus.flush()
    assert bystander.reasons == []  # nobody else pays for an earlier failure


async def test_a_failed_batch_is_reported_to_each_of_its_publishers_once() -> None:
    nc = FakeNats()
    bus = NatsBus(nc)  # type: ignore[arg-type]
    a, b = Errors(), Errors()
    await bus.publish("t", "lead", NOBODY)
    nc.error = nats.errors.ConnectionClosedError()
    for message, who in (("1", a), ("2", b), ("3", a)):
        await bus.publish("t", message, who)
    await bus.flush()
    assert (len(a.reasons), len(b.reasons)) == (1, 1)


async def test_message_over_max_payload_crosses_in_chunks_that_reassemble() -> None:
    nc = FakeNats(max_payload=4096)
    bus = NatsBus(nc)  # type: ignore[arg-type]
    big = os.urandom(50_000)
    await bus.publish("t", "before", NOBODY)
    await bus.publish("t", big, NOBODY)
    await bus.publish("t", "after " + "é" * 3000, NOBODY)  # text over max_payload too
    await bus.flush()
    assert all(len(payload) <= 4096 for _, payload in nc.published)
    got: list[str | bytes] = []
    await NatsBus(FakeNats()).subscribe("t", lambda m: got.append(m) is None and False)  # type: ignore[arg-type]
    receiver = FakeNats()
    await NatsBus(receiver).subscribe("t", lambda m: bool(got.append(m)))  # type: ignore[arg-type]
    _subject, cb = receiver.subscribed[0]
    for subject, payload in nc.published:
        await cb(Msg(subject, payload))
    assert got == ["before", big, "after " + "é" * 3000]


async def test_a_lost_chunk_drops_that_message_only_and_is_reported() -> None:
    nc = FakeNats(max_payload=2048)
    bus = NatsBus(nc)  # type: ignore[arg-type]
    first, second = os.urandom(10_000), os.urandom(10_000)
    await bus.publish("t", first, NOBODY)
    await bus.publish("t", second, NOBODY)
    await bus.publish("t", "small", NOBODY)
    await bus.flush()
    receiver = FakeNats()
    got: list[str | bytes] = []
    losses: list[str] = []
    await NatsBus(receiver).subscribe("t", lambda m: bool(got.append(m)), on_loss=losses.append)  # type: ignore[arg-type]
    _subject, cb = receiver.subscribed[0]
    frames = nc.published
    del frames[2]  # a chunk of the first message never arrives
    for subject, payload in frames:
        await cb(Msg(subject, payload))
    assert got == [second, "small"]  # never a corrupt message
    assert losses == ["chunk lost"]


async def test_publishers_wait_while_too_much_is_gathered_and_go_on_once_it_left() -> None:
    nc = FakeNats()
    bus = NatsBus(nc)  # type: ignore[arg-type]
    await bus.publish("t", b"lead", NOBODY)
    chunk = bytes(256 * 1024)
    waiting = [asyncio.ensure_future(bus.publish("t", chunk, NOBODY)) for _ in range(12)]  # 3 MiB
    await asyncio.sleep(0)  # each publisher runs up to its first suspension
    assert bus.gathered_bytes <= GATHER_LIMIT + len(chunk)
    assert not all(task.done() for task in waiting)  # the last ones wait: back-pressure
    await asyncio.gather(*waiting)
    await bus.flush()
    assert bus.gathered_bytes == 0
    assert sum(1 for _, payload in nc.published if payload == chunk) == 12


async def test_an_unexpected_error_while_publishing_does_not_wedge_the_window() -> None:
    nc = FakeNats()
    bus = NatsBus(nc)  # type: ignore[arg-type]
    errors = Errors()
    await bus.publish("t", "lead", NOBODY)
    nc.error = RuntimeError("a bug")
    await bus.publish("t", "gathered", errors)
    await bus.flush()
    assert errors.reasons == ["internal error"]
    nc.error = None
    await bus.publish("t", "next", NOBODY)
    await bus.publish("t", "next2", NOBODY)
    await bus.flush()
    assert nc.published[-1][0] == "relay.s.t.m"  # batching still works after the failure


@pytest.mark.parametrize("error", TRANSPORT_ERRORS, ids=IDS)
async def test_subscribe_error_becomes_bus_unavailable(error: BaseException) -> None:
    bus = NatsBus(FakeNats(error))  # type: ignore[arg-type]
    with pytest.raises(BusUnavailable, match="subscribe failed"):
        await bus.subscribe("t", lambda message: False)


@pytest.mark.parametrize("error", TRANSPORT_ERRORS, ids=IDS)
async def test_unsubscribe_error_becomes_bus_unavailable(error: BaseException) -> None:
    bus = NatsBus(FakeNats(sub=FakeSub(error)))  # type: ignore[arg-type]
    subscription = await bus.subscribe("t", lambda message: False)
    with pytest.raises(BusUnavailable, match="unsubscribe failed"):
        await subscription.unsubscribe()


async def test_publish_uses_the_frame_type_subject() -> None:
    nc = FakeNats()
    bus = NatsBus(nc, root="relay")  # type: ignore[arg-type]
    await bus.publish("a.b", "hi", NOBODY)
    await bus.flush()
    await bus.publish("a.b", b"\x00", NOBODY)
    await bus.flush()
    assert nc.published == [("relay.s.a~2Eb.t", b"hi"), ("relay.s.a~2Eb.b", b"\x00")]


async def test_first_message_leaves_at_once_and_the_rest_of_the_iteration_as_one_batch() -> None:
    nc = FakeNats()
    bus = NatsBus(nc, root="relay")  # type: ignore[arg-type]
    await bus.publish("t", "first", NOBODY)
    assert nc.published == [("relay.s.t.t", b"first")]  # no added latency for a lone message
    for message in ("a", b"", "ü", b"\x00\x01"):
        await bus.publish("t", message, NOBODY)
    await bus.flush()
    assert [subject for subject, _ in nc.published] == ["relay.s.t.t", "relay.s.t.m"]
    assert decode_batch(nc.published[1][1]) == ["a", b"", "ü", b"\x00\x01"]


async def test_large_messages_leave_alone_in_order() -> None:
    nc = FakeNats()
    bus = NatsBus(nc, root="relay")  # type: ignore[arg-type]
    big = bytes(BATCH_ITEM + 1)
    for message in ("a", "b", "c", big, "d"):
        await bus.publish("t", message, NOBODY)
    await bus.flush()
    subjects = [subject for subject, _ in nc.published]
    assert subjects == ["relay.s.t.t", "relay.s.t.m", "relay.s.t.b", "relay.s.t.t"]
    assert decode_batch(nc.published[1][1]) == ["b", "c"]


async def test_messages_gathered_while_a_batch_leaves_keep_their_order() -> None:
    nc = FakeNats()
    bus = NatsBus(nc, root="relay")  # type: ignore[arg-type]
    sent = [f"m{i}" for i in range(200)]
    for i, message in enumerate(sent):
        await bus.publish("t", message, NOBODY)
        if i % 7 == 0:
            await asyncio.sleep(0)  # let windows close and batches leave in between
    await bus.flush()
    received: list[str | bytes] = []
    for subject, payload in nc.published:
        received.extend(decode_batch(payload) if subject.endswith(".m") else [payload.decode()])
    assert received == sent


async def test_subscription_delivers_text_as_str_and_binary_as_bytes() -> None:
    nc = FakeNats()
    got: list[str | bytes] = []

    def deliver(message: str | bytes) -> bool:
        got.append(message)
        return False

    await NatsBus(nc).subscribe("t", deliver)  # type: ignore[arg-type]
    subject, cb = nc.subscribed[0]
    assert subject == "relay.s.t.*"

    await cb(Msg("relay.s.t.t", "é".encode()))
    await cb(Msg("relay.s.t.b", b"\xff"))
    assert got == ["é", b"\xff"]


# --- KvCodeStore ---


async def test_unknown_code_is_invalid() -> None:
    with pytest.raises(CodeRejected, match="invalid code"):
        await KvCodeStore(FakeKv(), ttl=30).redeem("abc")


async def test_key_not_found_error_becomes_invalid_code() -> None:
    store = KvCodeStore(FakeKv(get_error=nats.js.errors.KeyNotFoundError()), ttl=30)
    with pytest.raises(CodeRejected, match="invalid code"):
        await store.redeem("abc")


@pytest.mark.parametrize("code", ["", "a.b", "a b", "*", "x" * 129, "../x"])
async def test_malformed_code_is_invalid_without_asking_the_store(code: str) -> None:
    kv = FakeKv(get_error=AssertionError("store consulted"))
    with pytest.raises(CodeRejected, match="invalid code"):
        await KvCodeStore(kv, ttl=30).redeem(code)


@pytest.mark.parametrize(
    "error",
    [
        nats.js.errors.BadRequestError(code=400, err_code=10071),
        nats.js.errors.BadRequestError(code=400, err_code=10164),
    ],
    ids=["WrongLastSequence", "WrongLastSequenceNewer"],  # kv.delete raises the raw 400
)
async def test_api_error_on_delete_becomes_code_already_used(error: BaseException) -> None:
    kv = FakeKv(delete_error=error)
    store = KvCodeStore(kv, ttl=30)
    code = await store.mint(grant())
    with pytest.raises(CodeRejected, match="code already used"):
        await store.redeem(code)


@pytest.mark.parametrize(
    "error",
    [
        nats.js.errors.ServiceUnavailableError(
            code=503, description="JetStream system temporarily unavailable"
        ),
        nats.js.errors.ServerError(code=500, description="internal error"),
    ],
    ids=["503", "500"],
)
async def test_jetstream_outage_on_delete_becomes_bus_unavailable(error: BaseException) -> None:
    store = KvCodeStore(FakeKv(delete_error=error), ttl=30)
    code = await store.mint(grant())
    with pytest.raises(BusUnavailable):
        await store.redeem(code)


@pytest.mark.parametrize("error", TRANSPORT_ERRORS, ids=IDS)
async def test_transport_error_on_get_becomes_bus_unavailable(error: BaseException) -> None:
    store = KvCodeStore(FakeKv(get_error=error), ttl=30)
    with pytest.raises(BusUnavailable, match="cannot read code"):
        await store.redeem("abc")


@pytest.mark.parametrize("error", TRANSPORT_ERRORS, ids=IDS)
async def test_transport_error_on_delete_becomes_bus_unavailable(error: BaseException) -> None:
    kv = FakeKv(delete_error=error)
    store = KvCodeStore(kv, ttl=30)
    code = await store.mint(grant())
    with pytest.raises(BusUnavailable, match="cannot consume code"):
        await store.redeem(code)


@pytest.mark.parametrize("error", TRANSPORT_ERRORS, ids=IDS)
async def test_transport_error_on_mint_becomes_bus_unavailable(error: BaseException) -> None:
    store = KvCodeStore(FakeKv(create_error=error), ttl=30)
    with pytest.raises(BusUnavailable, match="cannot store code"):
        await store.mint(grant())


async def test_redeem_deletes_the_revision_it_read_and_returns_the_grant() -> None:
    kv = FakeKv()
    store = KvCodeStore(kv, ttl=30)
    g = grant()
    code = await store.mint(g)
    assert await store.redeem(code) == g
    assert kv.deletes == [(code, 1)]
    with pytest.raises(CodeRejected, match="invalid code"):
        await store.redeem(code)


async def test_redeem_of_an_old_grant_is_code_expired() -> None:
    kv = FakeKv()
    store = KvCodeStore(kv, ttl=30)
    code = await store.mint(Grant(topic="t", prefix="session", scopes=("read",), minted_at=time.time() - 60))
    with pytest.raises(CodeRejected, match="code expired"):
        await store.redeem(code)


async def test_a_subscription_is_confirmed_only_after_nats_py_wrote_its_pending_buffer() -> None:
    """nats-py's flush() writes PING ahead of commands still pending; the SUB must go out first."""
    calls: list[str] = []

    class OrderedNats(FakeNats):
        async def _flush_pending(self, force_flush: bool = False) -> None:
            calls.append(f"flush_pending(force={force_flush})")

        async def flush(self, timeout: float = 2) -> None:
            calls.append("flush")

    await NatsBus(OrderedNats()).subscribe("t", lambda m: False)  # type: ignore[arg-type]
    assert calls == ["flush_pending(force=True)", "flush"]


async def test_empty_messages_count_against_the_gathering_limit_too() -> None:
    """Counting payload bytes alone, a flood of empty messages was gathered without bound."""
    nc = FakeNats()
    bus = NatsBus(nc)  # type: ignore[arg-type]
    await bus.publish("t", b"lead", NOBODY)
    count = 2 * GATHER_LIMIT // GATHER_ITEM_COST  # twice what may be gathered at once
    waiting = [asyncio.ensure_future(bus.publish("t", b"", NOBODY)) for _ in range(count)]
    await asyncio.sleep(0)  # each publisher runs up to its first suspension
    assert bus.gathered_bytes <= GATHER_LIMIT
    assert not all(task.done() for task in waiting)  # the rest wait: back-pressure
    await asyncio.gather(*waiting)
    await bus.flush()
    assert bus.gathered_bytes == 0
    delivered = [
        message
        for subject, payload in nc.published[1:]
        for message in (decode_batch(payload) if subject.endswith(BATCH_SUFFIX) else [payload])
    ]
    assert delivered == [b""] * count  # a lone message leaves as itself, the others batched
