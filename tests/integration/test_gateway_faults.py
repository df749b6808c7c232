"""Faults with real processes: NATS restarted, the embedded nats-server killed, a node of a
3-node JetStream cluster killed, and a gateway started against a cluster still electing.

The NATS servers are containers where an engine answers (tests/natscontainers.py), else
nats-server child processes; the embedded one is always the gateway's own child."""

from __future__ import annotations

import asyncio
import logging
import time

import httpx
import nats
import pytest
from conftest import GatewayFactory, GatewayHandle, NatsFactory
from natscontainers import NatsCluster
from relaytest import eventually, open_ws

pytestmark = pytest.mark.integration


async def status(gw: GatewayHandle, path: str = "/readyz") -> int:
    async with httpx.AsyncClient(base_url=gw.access_base) as http:
        return (await http.get(path)).status_code


async def relays(a: GatewayHandle, b: GatewayHandle, topic: str, booking_id: str = "bk-fault") -> bool:
    """A session is granted on each replica, its code redeemed, and a message crosses."""
    reader = await open_ws(b.session_url(topic), a.mint(topic, booking_id=booking_id))
    writer = await open_ws(a.session_url(topic), a.mint(topic, booking_id=booking_id))
    try:
        await writer.send("ping across")
        return await asyncio.wait_for(reader.recv(), 5) == "ping across"
    finally:
        await reader.close()
        await writer.close()


async def granted(gw: GatewayHandle, topic: str = "lab", booking_id: str = "bk-fault") -> bool:
    async with httpx.AsyncClient() as http:
        reply = await http.post(
            gw.session_url(topic), headers={"Authorization": gw.mint(topic, booking_id=booking_id)}
        )
    return reply.status_code == 200


async def deny(gw: GatewayHandle, bid: str) -> int:
    admin = {"Authorization": gw.mint("admin", scopes=("relay:admin",))}
    async with httpx.AsyncClient(base_url=gw.access_base) as http:
        reply = await http.post(f"/bids/deny?bid={bid}&exp={int(time.time() + 600)}", headers=admin)
    return reply.status_code


async def test_nats_restart_fails_fast_then_heals_without_a_gateway_restart(
    gateway_factory: GatewayFactory, nats_factory: NatsFactory
) -> None:
    own = nats_factory()
    gw = await gateway_factory(nats_url=own.url)
    assert await relays(gw, gw, "before")
    reader = await open_ws(gw.session_url("local"), gw.mint("local", scopes=("read",)))
    writer = await open_ws(gw.session_url("local"), gw.mint("local", scopes=("write",)))
    own.stop()  # memory buckets (codes, presence) are gone with it
    await eventually(lambda: status_is(gw, 503), timeout=10, what="503 without NATS")
    for i in range(20):  # local traffic keeps flowing; the writer is not cut off
        await writer.send(f"local {i}")
        assert await asyncio.wait_for(reader.recv(), 5) == f"local {i}"

    started = time.monotonic()
    async with httpx.AsyncClient() as http:
        refused = await http.post(gw.session_url("lab"), headers={"Authorization": gw.mint("lab")})
    assert refused.status_code == 503
    assert time.monotonic() - started < 1.0

    own.start()
    await eventually(lambda: status_is(gw, 200), timeout=15, what="200 after NATS is back")
    assert await relays(gw, gw, "after")

    async def presence_back() -> bool:
        nc = await nats.connect(own.url)
        try:
            info = await nc.jetstream().stream_info("KV_relay_replicas", subjects_filter=">")
            return f"$KV.relay_replicas.{gw.settings.replica_id}" in (info.state.subjects or {})
        except nats.errors.Error:
            return False
        finally:
            await nc.close()

    await eventually(presence_back, timeout=10, what="presence re-announced")


async def status_is(gw: GatewayHandle, code: int) -> bool:
    return await status(gw) == code


async def test_killed_embedded_nats_is_restarted_and_sessions_are_granted_again(
    gateway_factory: GatewayFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="gateway.embedded_nats")
    gw = await gateway_factory(nats_url="")
    embedded = gw.gateway.embedded  # type: ignore[union-attr]
    assert embedded is not None and embedded.running
    port = embedded.port
    embedded.kill()
    await eventually(lambda: status_is(gw, 503), timeout=10, what="503 while NATS is down")
    await eventually(lambda: status_is(gw, 200), timeout=20, what="embedded NATS restarted")
    assert embedded.running and embedded.port == port
    assert await relays(gw, gw, "after-kill")
    deaths = [r for r in caplog.records if r.name == "gateway.embedded_nats" and r.levelno == logging.ERROR]
    assert len(deaths) == 1 and deaths[0].exc_info is None


async def stream_leader(urls: list[str], stream: str) -> tuple[str, int]:
    nc = await nats.connect(urls)
    try:
        info = await nc.jetstream(timeout=5).stream_info(stream)
    finally:
        await nc.close()
    assert info.cluster is not None and info.cluster.leader is not None
    return info.cluster.leader, info.config.num_replicas or 1


async def test_cluster_node_loss_keeps_access_and_deny_working(
    gateway_factory: GatewayFactory, nats_cluster: NatsCluster
) -> None:
    a = await gateway_factory(nats_url=nats_cluster.url)
    await eventually(lambda: status_is(a, 200), timeout=30, what="gateway a ready")
    b = await gateway_factory(nats_url=nats_cluster.url, audience=a.audience)
    await eventually(lambda: status_is(b, 200), timeout=30, what="gateway b ready")
    leader, replicas = await stream_leader(nats_cluster.urls, "KV_relay_codes")
    assert replicas == 3  # RELAY_KV_REPLICAS auto on a 3-node cluster
    assert (await stream_leader(nats_cluster.urls, "KV_relay_bookings"))[1] == 3

    nats_cluster.kill(leader)  # the node leading the codes stream: with one replica, access would stop

    await eventually(lambda: granted(a, booking_id="bk-node-loss"), timeout=30, what="access after node loss")
    assert await relays(a, b, "node-loss")
    assert await deny(b, "bk-node-loss") == 204
    async with httpx.AsyncClient() as http:
        refused = await http.post(
            a.session_url("lab"), headers={"Authorization": a.mint("lab", booking_id="bk-node-loss")}
        )
    assert refused.status_code == 400
    await eventually(lambda: status_is(a, 200), timeout=10, what="a ready after node loss")
    await eventually(lambda: status_is(b, 200), timeout=10, what="b ready after node loss")


async def test_gateway_started_against_a_fresh_cluster_comes_up_and_becomes_ready(
    gateway_factory: GatewayFactory, nats_cluster: NatsCluster
) -> None:
    # The cluster listens but JetStream is still electing its leaders: opening a bucket now
    # times out. The gateway must start anyway and become ready once JetStream is.
    gw = await gateway_factory(nats_url=nats_cluster.urls[0])
    assert gw.running
    await eventually(lambda: status_is(gw, 200), timeout=40, what="ready once JetStream is")
    assert await granted(gw)
    assert await relays(gw, gw, "fresh-cluster")
