"""Cancellation, status and observability across replicas (issue 3), with a real nats-server."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from conftest import GatewayFactory, GatewayHandle, NatsFactory
from prometheus_client.parser import text_string_to_metric_families
from relaytest import eventually, free_port, open_ws, request_uri
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from relayclient.status import parse_reports

pytestmark = pytest.mark.integration

DENIED_BODY = (
    '{"code":"400","message":"bookingID has been deny-listed, probably because the session was cancelled"}\n'
)


def admin(gw: GatewayHandle) -> dict[str, str]:
    return {"Authorization": gw.mint("admin", scopes=("relay:admin",))}


async def post(gw: GatewayHandle, path: str, headers: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(base_url=gw.access_base) as http:
        return await http.post(path, headers=headers)


async def get(gw: GatewayHandle, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    async with httpx.AsyncClient(base_url=gw.access_base) as http:
        return await http.get(path, headers=headers or {})


async def deny(gw: GatewayHandle, bid: str, exp: float | None = None) -> httpx.Response:
    exp = int(exp if exp is not None else time.time() + 600)
    return await post(gw, f"/bids/deny?bid={bid}&exp={exp}", admin(gw))


async def closed_with(ws: object, timeout: float = 5.0) -> tuple[int | None, str]:
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(ws.recv(), timeout)  # type: ignore[attr-defined]
    return ws.close_code, ws.close_reason  # type: ignore[attr-defined]


async def two(gateway_factory: GatewayFactory) -> tuple[GatewayHandle, GatewayHandle]:
    a = await gateway_factory()
    b = await gateway_factory(audience=a.audience)
    return a, b


async def test_deny_on_one_replica_closes_the_booking_on_every_replica(
    gateway_factory: GatewayFactory,
) -> None:
    a, b = await two(gateway_factory)
    on_a = await open_ws(a.session_url("lab"), a.mint("lab", booking_id="bk-deny-1"))
    on_b = await open_ws(b.session_url("lab"), a.mint("lab", booking_id="bk-deny-1"))
    other = await open_ws(b.session_url("lab"), a.mint("lab", booking_id="bk-other"))
    reply = await deny(a, "bk-deny-1")
    assert reply.status_code == 204
    assert await closed_with(on_b) == (4503, "booking cancelled")
    assert await closed_with(on_a) == (4503, "booking cancelled")
    await other.ping()
    assert other.close_code is None


async def test_denied_booking_gets_the_practable_400_and_its_old_codes_fail(
    gateway_factory: GatewayFactory,
) -> None:
    a, b = await two(gateway_factory)
    token = a.mint("lab", booking_id="bk-deny-2")
    early_uri = await request_uri(b.session_url("lab"), token)  # minted before the deny
    assert (await deny(a, "bk-deny-2")).status_code == 204
    refused = await post(b, "/session/lab", {"Authorization": token})
    assert (refused.status_code, refused.text) == (400, DENIED_BODY)
    ws = await connect(early_uri)
    assert await closed_with(ws) == (4503, "booking cancelled")


async def test_deny_survives_a_restart_and_binds_a_new_replica(gateway_factory: GatewayFactory) -> None:
    a = await gateway_factory()
    assert (await deny(a, "bk-deny-3")).status_code == 204
    await a.stop()
    await a.start()
    token = a.mint("lab", booking_id="bk-deny-3")
    assert (await post(a, "/session/lab", {"Authorization": token})).text == DENIED_BODY
    late = await gateway_factory(audience=a.audience)  # started after the deny
    assert (await post(late, "/session/lab", {"Authorization": token})).text == DENIED_BODY


async def test_allow_restores_access_and_lists_move(gateway: GatewayHandle) -> None:
    token = gateway.mint("lab", booking_id="bk-allow")
    assert (await post(gateway, "/session/lab", {"Authorization": token})).status_code == 200
    assert "bk-allow" in (await get(gateway, "/bids/allow", admin(gateway))).json()["booking_ids"]
    assert (await deny(gateway, "bk-allow")).status_code == 204
    assert "bk-allow" in (await get(gateway, "/bids/deny", admin(gateway))).json()["booking_ids"]
    assert "bk-allow" not in (await get(gateway, "/bids/allow", admin(gateway))).json()["booking_ids"]
    exp = int(time.time() + 600)
    assert (await post(gateway, f"/bids/allow?bid=bk-allow&exp={exp}", admin(gateway))).status_code == 204
    assert (await post(gateway, "/session/lab", {"Authorization": token})).status_code == 200
    assert "bk-allow" not in (await get(gateway, "/bids/deny", admin(gateway))).json()["booking_ids"]


async def test_deny_entries_disappear_after_exp(gateway: GatewayHandle) -> None:
    assert (await deny(gateway, "bk-short", time.time() + 2)).status_code == 204
    assert "bk-short" in (await get(gateway, "/bids/deny", admin(gateway))).json()["booking_ids"]
    token = gateway.mint("lab", booking_id="bk-short")

    async def listed() -> bool:
        return "bk-short" not in (await get(gateway, "/bids/deny", admin(gateway))).json()["booking_ids"]

    await eventually(listed, timeout=6, what="deny entry to expire")
    assert (await post(gateway, "/session/lab", {"Authorization": token})).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        (
            "POST",
            "/bids/deny?bid=x&exp=9999999999",
            "is token missing relay:admin scope? missing relay:admin Scope",
        ),
        ("POST", "/bids/allow?bid=x&exp=9999999999", "token missing relay:admin scope"),
        ("GET", "/bids/deny", "token missing relay:admin scope"),
        ("GET", "/bids/allow", "token missing relay:admin scope"),
        ("GET", "/status", "token missing relay:stats scope"),
    ],
)
async def test_non_admin_is_refused(gateway: GatewayHandle, method: str, path: str, body: str) -> None:
    async with httpx.AsyncClient(base_url=gateway.access_base) as http:
        reply = await http.request(method, path, headers={"Authorization": gateway.mint("lab")})
    assert reply.status_code == 401
    assert reply.json() == {"code": "401", "message": body}


async def test_deny_needs_a_bid_and_a_future_exp(gateway: GatewayHandle) -> None:
    missing = await post(gateway, "/bids/deny?bid=&exp=9999999999", admin(gateway))
    assert (missing.status_code, missing.json()["message"]) == (400, "bid (booking id) missing")
    past = await post(gateway, "/bids/deny?bid=x&exp=1000", admin(gateway))
    assert (past.status_code, past.json()["message"]) == (
        400,
        "booking expiry time (exp) of [1000] missing or in the past",
    )


async def test_status_lists_connections_of_both_replicas(gateway_factory: GatewayFactory) -> None:
    a, b = await two(gateway_factory)
    on_a = await open_ws(a.session_url("st"), a.mint("st", booking_id="bk-a"))
    on_b = await open_ws(b.session_url("st"), a.mint("st", booking_id="bk-b"))
    await on_a.send("x")
    assert await asyncio.wait_for(on_b.recv(), 5) == "x"
    reply = await get(a, "/status", {"Authorization": a.mint("stats", scopes=("relay:stats",))})
    assert reply.status_code == 200
    entries = [e for e in reply.json() if e["topic"] == "st"]
    assert {e["booking_id"] for e in entries} == {"bk-a", "bk-b"}
    assert {e["replica"] for e in entries} == {a.settings.replica_id, b.settings.replica_id}
    sender = next(e for e in entries if e["booking_id"] == "bk-a")
    receiver = next(e for e in entries if e["booking_id"] == "bk-b")
    assert (sender["tx_messages"], sender["tx_bytes"]) == (1, 1)
    assert receiver["rx_messages"] == 1 and receiver["dropped"] == 0
    assert receiver["can_read"] and receiver["scopes"] == ["read", "write"]
    crossbar = [e for e in reply.json() if e.get("user_agent") == "crossbar"]
    assert len(crossbar) == 2  # practable lists its internal stats client; one per replica


async def test_stats_topic_reports_both_replicas_and_answers_update(gateway_factory: GatewayFactory) -> None:
    a, b = await two(gateway_factory)
    await open_ws(a.session_url("lab-st"), a.mint("lab-st"))
    await open_ws(b.session_url("lab-st"), a.mint("lab-st"))
    stats = await open_ws(b.session_url("stats"), a.mint("stats", booking_id="status-server"))
    started = time.monotonic()
    await stats.send('{"cmd":"update"}')
    reports = parse_reports(await asyncio.wait_for(stats.recv(), 5))
    assert time.monotonic() - started < 1.0
    lab = [r for r in reports if r.topic == "lab-st"]
    assert {r.replica for r in lab} == {a.settings.replica_id, b.settings.replica_id}
    assert all(r.tx.never and r.rx.never for r in lab)
    assert any(r.user_agent == "crossbar" and r.topic == "stats" for r in reports)


async def test_periodic_stats_reports_arrive(gateway_factory: GatewayFactory) -> None:
    gw = await gateway_factory(stats_every=1.0)
    stats = await open_ws(gw.session_url("stats"), gw.mint("stats", scopes=("read",)))
    first = parse_reports(await asyncio.wait_for(stats.recv(), 3))
    second = parse_reports(await asyncio.wait_for(stats.recv(), 3))
    assert any(r.topic == "stats" and r.can_read and not r.can_write for r in first + second)


def scrape(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_metrics_parse_and_move_with_traffic(gateway_factory: GatewayFactory) -> None:
    a, b = await two(gateway_factory)
    before = scrape((await get(b, "/metrics")).text)
    reader = await open_ws(b.session_url("m"), a.mint("m", scopes=("read",)))
    writer = await open_ws(a.session_url("m"), a.mint("m", scopes=("write",)))
    for i in range(130):
        await writer.send(f"m{i}")
    for _ in range(130):
        await asyncio.wait_for(reader.recv(), 5)
    after = scrape((await get(b, "/metrics")).text)
    out = ("relay_messages_total", (("direction", "out"),))
    assert after[out] - before.get(out, 0) >= 130
    assert after[("relay_connections", (("prefix", "session"),))] >= 1
    granted = ("relay_access_requests_total", (("outcome", "granted"),))
    assert after[granted] - before.get(granted, 0) >= 1
    connected = ("relay_code_redemptions_total", (("outcome", "connected"),))
    assert after[connected] - before.get(connected, 0) >= 1
    assert (
        after[("relay_delay_seconds_count", ())] >= 1
    )  # sampled: one NATS message in 64, at least one a second
    assert not any("topic" in dict(labels) for _name, labels in after)


async def test_readyz_follows_nats(gateway_factory: GatewayFactory, nats_factory: NatsFactory) -> None:
    own = nats_factory()
    gw = await gateway_factory(nats_url=own.url)
    assert (await get(gw, "/readyz")).status_code == 200
    own.stop()

    async def status_is(code: int) -> bool:
        return (await get(gw, "/readyz")).status_code == code

    await eventually(lambda: status_is(503), timeout=10, what="503 without NATS")
    assert (await get(gw, "/healthz")).status_code == 200  # alive, just not ready
    own.start()
    await eventually(lambda: status_is(200), timeout=15, what="200 after NATS is back")


async def test_cors_preflight_is_answered(gateway: GatewayHandle) -> None:
    async with httpx.AsyncClient(base_url=gateway.access_base) as http:
        reply = await http.options(
            "/session/lab",
            headers={
                "Origin": "https://lab.example.org",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization",
            },
        )
    assert reply.status_code == 200
    assert reply.headers["access-control-allow-origin"] in ("*", "https://lab.example.org")
    assert "POST" in reply.headers["access-control-allow-methods"]
    assert "authorization" in reply.headers["access-control-allow-headers"].lower()


async def test_separate_ports_keep_each_face_apart(gateway_factory: GatewayFactory) -> None:
    access_port, relay_port = free_port(), free_port()
    gw = await gateway_factory(
        port_access=access_port,
        port_relay=relay_port,
        audience=f"http://127.0.0.1:{access_port}",
        url=f"ws://127.0.0.1:{relay_port}",
    )
    uri = await request_uri(f"http://127.0.0.1:{access_port}/session/p", gw.mint("p"))
    assert uri.startswith(f"ws://127.0.0.1:{relay_port}/session/p?code=")
    ws = await connect(uri)
    await ws.ping()
    async with httpx.AsyncClient() as http:
        assert (await http.post(f"http://127.0.0.1:{relay_port}/session/p")).status_code == 404
