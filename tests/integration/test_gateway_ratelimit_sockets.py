"""Rate limits over real sockets: 429 with Retry-After and a JSON body, websocket close 1013 with a
reason, per-address buckets (127.0.0.1 vs 127.0.0.2), admin routes apart, a proxy's header only
when the proxy is trusted, and one log line per run of refusals."""

from __future__ import annotations

import logging

import httpx
import pytest
from conftest import GatewayFactory, GatewayHandle
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

pytestmark = pytest.mark.integration


def client(source: str = "127.0.0.1") -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(local_address=source))


async def posts(
    gw: GatewayHandle, http: httpx.AsyncClient, n: int, token: str = "bad", **headers: str
) -> list[int]:
    out = []
    for _ in range(n):
        response = await http.post(gw.session_url("lab"), headers={"Authorization": token, **headers})
        out.append(response.status_code)
    return out


async def test_over_the_access_limit_is_429_with_retry_after_before_any_token_check(
    gateway_factory: GatewayFactory,
) -> None:
    gw = await gateway_factory(rate_access=0.5, rate_access_burst=3)
    async with client() as http:
        assert await posts(gw, http, 3) == [401, 401, 401]
        response = await http.post(gw.session_url("lab"), headers={"Authorization": gw.mint("lab")})
    assert response.status_code == 429  # a valid token changes nothing: the limit comes first
    assert response.headers["retry-after"] == "2"
    assert response.json() == {
        "code": "429",
        "message": "too many requests from this address; try again in 2s",
    }


async def test_another_address_is_not_limited_by_a_flooding_one(gateway_factory: GatewayFactory) -> None:
    gw = await gateway_factory(rate_access=0.5, rate_access_burst=2)
    async with client("127.0.0.2") as flooder, client("127.0.0.1") as user:
        assert await posts(gw, flooder, 5) == [401, 401, 429, 429, 429]
        assert await posts(gw, user, 1, gw.mint("lab")) == [200]


async def test_over_the_open_limit_a_websocket_closes_with_1013_and_a_reason(
    gateway_factory: GatewayFactory,
) -> None:
    gw = await gateway_factory(rate_access=0.5, rate_access_burst=2)
    codes = []
    for _ in range(3):
        async with connect(f"{gw.relay_url}/session/lab?code=nothing") as ws:
            with pytest.raises(ConnectionClosed):
                await ws.recv()
            assert ws.close_code is not None
            codes.append((ws.close_code, ws.close_reason))
    assert codes[:2] == [(4500, codes[0][1])] * 2  # the lifecycle's refusal of a bad code
    assert codes[2] == (1013, "rate limited: try again in 2s")


async def test_admin_routes_have_their_own_bucket(gateway_factory: GatewayFactory) -> None:
    gw = await gateway_factory(rate_admin=0.5, rate_admin_burst=2)
    admin = gw.mint("", scopes=("relay:admin",), prefix="")
    async with client() as http:
        statuses = [
            (await http.get(f"{gw.access_base}/bids/deny", headers={"Authorization": admin})).status_code
            for _ in range(3)
        ]
        assert statuses == [200, 200, 429]
        assert (
            await http.get(f"{gw.access_base}/status", headers={"Authorization": admin})
        ).status_code == 429
        assert await posts(gw, http, 1, gw.mint("lab")) == [200]  # access requests are counted apart


async def test_forwarded_for_is_honoured_only_from_a_trusted_proxy(gateway_factory: GatewayFactory) -> None:
    trusting = await gateway_factory(rate_access=0.5, rate_access_burst=1, trusted_proxies=("127.0.0.1/32",))
    async with client() as proxy:
        for user in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
            assert await posts(trusting, proxy, 2, **{"X-Forwarded-For": user}) == [401, 429]
    untrusting = await gateway_factory(rate_access=0.5, rate_access_burst=1)
    async with client() as forger:
        statuses = [
            (await posts(untrusting, forger, 1, **{"X-Forwarded-For": f"198.51.100.{n}"}))[0]
            for n in range(3)
        ]
    assert statuses == [401, 429, 429]  # a header from an untrusted peer cannot buy a new bucket


async def test_turned_off_nothing_is_limited(gateway_factory: GatewayFactory) -> None:
    gw = await gateway_factory(rate_access=0.0, rate_admin=0.0)
    async with client() as http:
        assert set(await posts(gw, http, 150)) == {401}


async def test_a_run_of_refusals_is_logged_once(
    gateway_factory: GatewayFactory, caplog: pytest.LogCaptureFixture
) -> None:
    gw = await gateway_factory(rate_access=0.5, rate_access_burst=1)
    with caplog.at_level(logging.INFO, logger="gateway.limits"):
        async with client("127.0.0.2") as http:
            assert await posts(gw, http, 20) == [401] + [429] * 19
    lines = [r for r in caplog.records if r.name == "gateway.limits"]
    assert len(lines) == 1
    assert lines[0].getMessage() == "rate limited" and lines[0].exc_info is None
    assert lines[0].client == "127.0.0.2" and lines[0].kind == "access"


async def test_probes_and_metrics_are_never_limited(gateway_factory: GatewayFactory) -> None:
    gw = await gateway_factory(rate_access=0.5, rate_access_burst=1, rate_admin=0.5, rate_admin_burst=1)
    async with client() as http:
        assert await posts(gw, http, 2) == [401, 429]
        for path in ("/healthz", "/readyz", "/metrics") * 20:
            assert (await http.get(gw.access_base + path)).status_code == 200, path


@pytest.mark.parametrize(
    ("origins", "origin", "allowed"),
    [
        (("*",), "https://lab.example", "*"),
        (("https://lab.example",), "https://lab.example", "https://lab.example"),
        (("https://lab.example",), "https://evil.example", None),
    ],
)
async def test_a_429_is_readable_by_an_allowed_browser_origin(
    gateway_factory: GatewayFactory, origins: tuple[str, ...], origin: str, allowed: str | None
) -> None:
    gw = await gateway_factory(rate_access=0.5, rate_access_burst=1, cors_origins=origins)
    async with client() as http:
        first = await http.post(gw.session_url("lab"), headers={"Authorization": "bad", "Origin": origin})
        refused = await http.post(gw.session_url("lab"), headers={"Authorization": "bad", "Origin": origin})
    assert (first.status_code, refused.status_code) == (401, 429)
    assert refused.headers.get("access-control-allow-origin") == allowed
    assert first.headers.get("access-control-allow-origin") == allowed  # as CORSMiddleware answers
