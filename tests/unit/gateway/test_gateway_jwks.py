"""JwksSource with an in-memory fetch and a fake clock: refresh replaces the keys, a failure keeps
the last good ones, and unknown kids refetch at most once per interval however many arrive."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from gateway.jwks import JwksFetchError, JwksSource
from tokentool.keys import public_jwk


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def jwks(*kids: str) -> bytes:
    keys = [public_jwk(ed25519.Ed25519PrivateKey.generate().public_key(), kid) for kid in kids]
    return json.dumps({"keys": keys}).encode()


class Published:
    """What the URL serves; a gate lets a test hold a fetch open."""

    def __init__(self, body: bytes) -> None:
        self.body: bytes | Exception = body
        self.calls = 0
        self.gate: asyncio.Event | None = None

    async def __call__(self, url: str) -> bytes:
        self.calls += 1
        if self.gate is not None:
            await self.gate.wait()
        if isinstance(self.body, Exception):
            raise self.body
        return self.body


def source(published: Published, clock: Clock, *, min_refetch: float = 30.0) -> JwksSource:
    return JwksSource(
        "https://issuer.example/jwks.json",
        fetch=published,
        refresh_every=300,
        min_refetch=min_refetch,
        clock=clock,
    )


async def test_refresh_replaces_the_keys() -> None:
    published = Published(jwks("k1"))
    src = source(published, Clock())
    assert await src.refresh()
    assert src.keys.kids() == ("k1",)
    published.body = jwks("k1", "k2")
    assert await src.refresh()
    assert src.keys.kids() == ("k1", "k2")


async def test_a_failed_fetch_keeps_the_last_good_keys() -> None:
    published = Published(jwks("k1"))
    src = source(published, Clock())
    await src.refresh()
    for failure in (JwksFetchError("HTTP 503"),):
        published.body = failure
        assert not await src.refresh()
        assert src.keys.kids() == ("k1",)
    published.body = b"<html>oops</html>"  # not a JWKS: also a failure, not an empty key set
    assert not await src.refresh()
    assert src.keys.kids() == ("k1",)


async def test_a_flood_of_unknown_kids_refetches_once_per_interval() -> None:
    published = Published(jwks("k1"))
    clock = Clock()
    src = source(published, clock, min_refetch=30.0)
    await src.refresh()
    assert published.calls == 1
    for _ in range(1000):
        await src.unknown_kid()
    assert published.calls == 1  # the start-up fetch was less than 30 s ago
    clock.now += 30.0
    for _ in range(1000):
        await src.unknown_kid()
    assert published.calls == 2
    clock.now += 29.9
    await src.unknown_kid()
    assert published.calls == 2


async def test_concurrent_unknown_kids_share_one_fetch() -> None:
    published = Published(jwks("k1", "k2"))
    published.gate = asyncio.Event()
    clock = Clock()
    src = source(published, clock)
    waiters = [asyncio.create_task(src.unknown_kid()) for _ in range(200)]
    await asyncio.sleep(0)  # every waiter has started
    published.gate.set()
    results = await asyncio.gather(*waiters)
    assert published.calls == 1
    assert all(keys.kids() == ("k1", "k2") for keys in results)


async def test_an_unknown_kid_finds_a_key_published_since_the_last_fetch() -> None:
    published = Published(jwks("k1"))
    clock = Clock()
    src = source(published, clock, min_refetch=30.0)
    await src.refresh()
    published.body = jwks("k1", "k2")
    clock.now += 31.0
    assert (await src.unknown_kid()).kids() == ("k1", "k2")


async def test_run_refreshes_periodically() -> None:
    published = Published(jwks("k1"))
    third = asyncio.Event()

    async def fetch(url: str) -> bytes:
        if published.calls == 2:
            third.set()
        return await published(url)

    src = JwksSource("u", fetch=fetch, refresh_every=0.01, clock=Clock())
    task = asyncio.create_task(src.run())
    try:
        await asyncio.wait_for(third.wait(), 5)
    finally:
        task.cancel()
    assert src.keys.kids() == ("k1",)


async def test_logs_never_show_url_credentials(caplog: pytest.LogCaptureFixture) -> None:
    published = Published(jwks("k1"))
    published.body = JwksFetchError("HTTP 503")
    src = JwksSource("https://user:hunter2@issuer.example/jwks.json", fetch=published, refresh_every=300)
    with caplog.at_level(logging.INFO, logger="gateway.jwks"):
        await src.refresh()
        published.body = jwks("k1")
        await src.refresh()
    assert [r.url for r in caplog.records] == ["https://***@issuer.example/jwks.json"] * 2
    assert "hunter2" not in caplog.text
