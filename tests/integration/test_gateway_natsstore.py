"""natsstore against a real nats-server: buckets heal when their stream is deleted, listings are
complete, tidy purges expired entries without tombstones."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator

import nats
import pytest
from nats.aio.client import Client as NatsClient
from natscontainers import NatsNode

from gateway.bookings import booking_key
from gateway.grants import Grant
from gateway.natsstore import Bucket, BucketSpec, KvBookings, KvCodeStore

pytestmark = pytest.mark.integration


@pytest.fixture
async def nc(nats_server: NatsNode) -> AsyncIterator[NatsClient]:
    client = await nats.connect(nats_server.url)
    yield client
    await client.close()


def bucket(nc: NatsClient, *, memory: bool, ttl: float | None = None) -> Bucket:
    name = f"test_{uuid.uuid4().hex[:10]}"
    return Bucket(nc, BucketSpec(name=name, ttl=ttl, memory=memory), replicas=lambda: 1)


async def test_a_deleted_bucket_is_recreated_and_the_operation_retried(nc: NatsClient) -> None:
    codes_bucket = bucket(nc, memory=True, ttl=35)
    codes = KvCodeStore(codes_bucket, ttl=30)
    grant = Grant(topic="t", prefix="session", scopes=("read",), booking_id="b", minted_at=time.time())
    await codes.redeem(await codes.mint(grant))
    await nc.jetstream().delete_stream(f"KV_{codes_bucket.name}")  # as a NATS restart does
    assert not await _exists(nc, codes_bucket.name)
    redeemed = await codes.redeem(await codes.mint(grant))
    assert redeemed.topic == "t"
    info = await nc.jetstream().stream_info(f"KV_{codes_bucket.name}")
    assert info.config.max_age == 35 and info.config.storage == "memory"  # same config
    assert await codes_bucket.probe()


async def _exists(nc: NatsClient, name: str) -> bool:
    try:
        await nc.jetstream().stream_info(f"KV_{name}")
    except nats.js.errors.NotFoundError:
        return False
    return True


async def test_listing_returns_every_entry(nc: NatsClient) -> None:
    bookings = KvBookings(bucket(nc, memory=False))
    exp = int(time.time() + 600)
    ids = [f"bk-{i}" for i in range(300)]
    for bid in ids:
        await bookings.deny(bid, exp)
    await bookings.allow("bk-0", exp)
    assert sorted(await bookings.denied()) == sorted(ids[1:])
    assert await bookings.allowed() == ["bk-0"]


async def test_tidy_purges_expired_entries_and_keeps_live_ones(nc: NatsClient) -> None:
    store = bucket(nc, memory=False)
    bookings = KvBookings(store)
    await bookings.deny("old", int(time.time() - 10))
    await bookings.note_used("old-allow", int(time.time() - 10))
    await bookings.deny("live", int(time.time() + 600))
    assert await bookings.tidy() == 2
    assert await store.keys("list") == [booking_key("deny", "live")]  # no tombstones
    assert await bookings.denied() == ["live"]
    assert await bookings.tidy() == 0


async def test_note_used_puts_a_booking_once_until_it_changes_or_is_denied(nc: NatsClient) -> None:
    store = bucket(nc, memory=False)
    bookings = KvBookings(store)
    exp = int(time.time() + 600)
    key = booking_key("allow", "used")

    async def revision() -> int:
        return int((await store.run("read", lambda kv: kv.get(key))).revision)

    await bookings.note_used("used", exp)
    first = await revision()
    await bookings.note_used("used", exp)  # the same entry, lately put by this replica: no write
    assert await revision() == first
    await bookings.note_used("used", exp + 60)  # a new expiry is written
    assert await revision() > first
    await bookings.deny("used", exp)
    await bookings.allow("used", exp)
    await bookings.deny("used", exp)  # the allow entry is gone...
    await bookings.note_used("used", exp)  # ...so a later use writes it again
    assert await bookings.allowed() == ["used"]
