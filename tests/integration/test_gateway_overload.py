"""Overload, scaled down (bounded in count, not timed): the memory budget holds, healthy readers
keep receiving, writers are held back rather than buffered, a stalled ssh pipe ends with 1011.
The nats-server has stock settings: max_payload 1 MiB."""

from __future__ import annotations

import asyncio
import json
import logging
import os

import pytest
from conftest import GatewayFactory
from natscontainers import NatsNode
from relaytest import open_ws, request_uri
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from gateway.natsbus import GATHER_LIMIT, connect_nats
from gateway.services import Services

pytestmark = pytest.mark.integration

MiB = 1024 * 1024


def services(handle: object) -> Services:
    found: Services = handle.gateway.services  # type: ignore[attr-defined]
    return found


async def test_the_fixture_nats_has_stock_max_payload(nats_server: NatsNode) -> None:
    nc = await connect_nats([nats_server.url], name="probe")
    try:
        assert nc.max_payload == 1 * MiB
    finally:
        await nc.close()


async def test_a_10_mib_message_crosses_replicas_through_a_stock_nats(
    gateway_factory: GatewayFactory,
) -> None:
    a = await gateway_factory()
    # The reader's queue takes the whole burst (by default a 4 MiB queue keeps only the newest).
    b = await gateway_factory(audience=a.audience, buffer_bytes=32 * MiB)
    reader = await open_ws(b.session_url("big"), b.mint("big", scopes=("read",)))
    writer = await open_ws(a.session_url("big"), a.mint("big", scopes=("write",)))
    big, text = os.urandom(10 * MiB), "é" * (2 * MiB)  # 4 MiB of UTF-8
    for message in ("small", big, text, b"tail"):
        await writer.send(message)
    assert await asyncio.wait_for(reader.recv(), 10) == "small"
    assert await asyncio.wait_for(reader.recv(), 20) == big
    assert await asyncio.wait_for(reader.recv(), 20) == text
    assert await asyncio.wait_for(reader.recv(), 10) == b"tail"


async def stalled_reader(url: str, token: str) -> ClientConnection:
    # max_queue=1 and a small read limit: the client stops reading its socket almost at once.
    return await open_ws(url, token, max_queue=1)


async def test_stalled_readers_on_many_topics_stay_within_the_budget_and_a_healthy_reader_keeps_receiving(
    gateway_factory: GatewayFactory,
) -> None:
    limit, size = 8 * MiB, 256 * 1024
    gw = await gateway_factory(memory_limit=limit, buffer_bytes=4 * MiB, buffer_size=512)
    topics = [f"abused{i}" for i in range(4)]
    stalled = [
        await stalled_reader(gw.session_url(t), gw.mint(t, scopes=("read",)))
        for t in topics
        for _ in range(5)
    ]
    healthy = await open_ws(gw.session_url(topics[0]), gw.mint(topics[0], scopes=("read",)))
    writers = [await open_ws(gw.session_url(t), gw.mint(t, scopes=("write",))) for t in topics]
    rounds = 60  # 4 topics x 60 x 256 KiB = 60 MiB offered to 20 stalled readers (300 MiB of queue slots)
    for i in range(rounds):
        for w in writers:
            await w.send(i.to_bytes(4, "big") + bytes(size - 4))
        got = await asyncio.wait_for(healthy.recv(), 10)  # lockstep: the healthy reader gets every one
        assert int.from_bytes(got[:4], "big") == i
    budget = services(gw).hub.budget
    # Each queue holds at most its fair share, or one message when that is smaller.
    assert budget.peak <= limit + len(stalled) * size + GATHER_LIMIT
    drops = [s.counters.drops for s in services(gw).hub.sessions() if s.counters.dropped]
    assert drops and all(set(d) <= {"queue", "budget"} for d in drops)
    assert any("budget" in d for d in drops)
    for ws in stalled:
        ws.transport.abort()  # a client that does not read cannot finish a closing handshake


async def test_writers_without_readers_are_held_back_not_buffered(gateway_factory: GatewayFactory) -> None:
    gw = await gateway_factory()
    writers = [
        await open_ws(gw.session_url(f"void{i}"), gw.mint(f"void{i}", scopes=("write",))) for i in range(5)
    ]
    message = os.urandom(1 * MiB)

    async def flood(ws: ClientConnection) -> None:
        for _ in range(30):
            await ws.send(message)

    await asyncio.wait_for(asyncio.gather(*(flood(w) for w in writers)), 60)
    budget = services(gw).hub.budget
    # What waits for NATS is bounded by the gathering limit, whatever the number of writers.
    assert budget.peak <= GATHER_LIMIT + len(writers) * len(message)
    assert budget.used <= GATHER_LIMIT + len(message)


async def test_a_stalled_ssh_pipe_ends_with_1011(
    gateway_factory: GatewayFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="gateway")
    gw = await gateway_factory(stall_timeout=0.5, buffer_size=8)

    def tok(scope: str) -> str:
        return gw.mint("stall", scopes=(scope,), prefix="connect", booking_id=None)

    access = f"{gw.access_base}/api/v1/connect/stall"
    mgmt = await connect(await request_uri(access, tok("host")))
    client = await connect(await request_uri(access, tok("client")), max_queue=1)
    action = await asyncio.wait_for(mgmt.recv(), 5)
    host = await connect(json.loads(action)["uri"])
    chunk = bytes(64 * 1024)
    with pytest.raises(ConnectionClosed):
        for _ in range(2000):  # 125 MiB: far more than every buffer on the way; the client never reads
            await asyncio.wait_for(host.send(chunk), 10)
        await asyncio.wait_for(host.recv(), 10)
    # The host side learns why; the client that never reads cannot take a close frame, but the
    # gateway closed it with 1011 (its connection event says so).
    assert (host.close_code, host.close_reason) == (1011, "peer stalled: not reading")
    closed = [r for r in caplog.records if getattr(r, "outcome", "") == "closed" and getattr(r, "pair", "")]
    assert any(
        (getattr(r, "close_code", None), getattr(r, "reason", "")) == (1011, "peer stalled: not reading")
        for r in closed
    )
    client.transport.abort()
