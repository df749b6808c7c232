"""nats-py errors are translated at the adapter boundary: BusUnavailable or CodeRejected, never raw.

The fakes stand in for nats-py's client and KV objects only; the adapters under test are real.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import nats.errors
import nats.js.errors
import pytest

from gateway.errors import BusUnavailable, CodeRejected
from gateway.grants import Grant
from gateway.natsbus import BATCH_ITEM, NatsBus, decode_batch
from gateway.natsstore import KvCodeStore

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

    def __init__(self, error: BaseException | None = None, sub: FakeSub | None = None) -> None:
        self.error = error
        self.sub = sub or FakeSub()
        self.published: list[tuple[str, bytes]] = []
        self.subscribed: list[tuple[str, Any]] = []

    async def publish(self, subject: str, payload: bytes) -> None:
        if self.error is not None:
            raise self.error
        self.published.append((subject, payload))

    async def subscribe(self, subject: str, *, cb: Any, **limits: Any) -> FakeSub:
        if self.error is not None:
            raise self.error
        self.subscribed.append((subject, cb))
        return self.sub

    async def flush(self, timeout: float = 2) -> None:
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


@pytest.mark.parametrize("error", TRANSPORT_ERRORS, ids=IDS)
async def test_publish_error_becomes_bus_unavailable(error: BaseException) -> None:
    bus = NatsBus(FakeNats(error))  # type: ignore[arg-type]
    await bus.publish("t", "x")  # gathered; it leaves at the end of this loop iteration
    await bus.flush()
    with pytest.raises(BusUnavailable, match="publish failed") as info:
        await bus.publish("t", "y")  # the failure is reported to the next publisher
    assert info.value.__cause__ is error


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
    await bus.publish("a.b", "hi")
    await bus.flush()
    await bus.publish("a.b", b"\x00")
    await bus.flush()
    assert nc.published == [("relay.s.a~2Eb.t", b"hi"), ("relay.s.a~2Eb.b", b"\x00")]


async def test_first_message_leaves_at_once_and_the_rest_of_the_iteration_as_one_batch() -> None:
    nc = FakeNats()
    bus = NatsBus(nc, root="relay")  # type: ignore[arg-type]
    await bus.publish("t", "first")
    assert nc.published == [("relay.s.t.t", b"first")]  # no added latency for a lone message
    for message in ("a", b"", "ü", b"\x00\x01"):
        await bus.publish("t", message)
    await bus.flush()
    assert [subject for subject, _ in nc.published] == ["relay.s.t.t", "relay.s.t.m"]
    assert decode_batch(nc.published[1][1]) == ["a", b"", "ü", b"\x00\x01"]


async def test_large_messages_leave_alone_in_order() -> None:
    nc = FakeNats()
    bus = NatsBus(nc, root="relay")  # type: ignore[arg-type]
    big = bytes(BATCH_ITEM + 1)
    for message in ("a", "b", "c", big, "d"):
        await bus.publish("t", message)
    await bus.flush()
    subjects = [subject for subject, _ in nc.published]
    assert subjects == ["relay.s.t.t", "relay.s.t.m", "relay.s.t.b", "relay.s.t.t"]
    assert decode_batch(nc.published[1][1]) == ["b", "c"]


async def test_messages_gathered_while_a_batch_leaves_keep_their_order() -> None:
    nc = FakeNats()
    bus = NatsBus(nc, root="relay")  # type: ignore[arg-type]
    sent = [f"m{i}" for i in range(200)]
    for i, message in enumerate(sent):
        await bus.publish("t", message)
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

    @dataclass
    class Msg:
        subject: str
        data: bytes
        headers: dict[str, str] | None = None  # nats-py: None when the message has none

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
