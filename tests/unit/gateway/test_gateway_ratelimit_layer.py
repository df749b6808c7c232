"""The rate-limit ASGI layer in memory: which requests count against which bucket, and what a
refused one receives (no sockets; the buckets' own rules are test_gateway_ratelimit's)."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.limits import Limiters, RateLimits
from gateway.ratelimit import RateLimiter


def one_each() -> Limiters:
    def make() -> RateLimiter:
        return RateLimiter(rate=0.001, burst=1, max_keys=100, clock=lambda: 0.0)

    return Limiters(access=make(), opens=make(), admin=make())


async def call(layer: RateLimits, scope: dict[str, Any]) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []
    messages = [{"type": "websocket.connect"}] if scope["type"] == "websocket" else [{"type": "http.request"}]

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await layer(scope, receive, send)  # type: ignore[arg-type]
    return sent


def http(method: str, path: str, peer: str = "192.0.2.1") -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "headers": [], "client": (peer, 1234)}


class App:
    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.calls += 1


@pytest.mark.parametrize(
    ("first", "second", "shared"),
    [
        (http("POST", "/session/a"), http("POST", "/session/b"), True),
        (http("POST", "/session/a"), http("POST", "/api/v1/connect/h"), True),
        (http("GET", "/bids/deny"), http("GET", "/status"), True),
        (http("POST", "/session/a"), http("GET", "/status"), False),
        ({**http("GET", "/session/a"), "type": "websocket"}, http("POST", "/session/a"), False),
        (http("POST", "/session/a"), http("POST", "/session/a", peer="192.0.2.2"), False),
    ],
)
async def test_which_requests_share_a_bucket(
    first: dict[str, Any], second: dict[str, Any], shared: bool
) -> None:
    app = App()
    layer = RateLimits(app, one_each())
    await call(layer, first)
    await call(layer, second)
    assert app.calls == (1 if shared else 2)


@pytest.mark.parametrize(
    "scope",
    [
        http("GET", "/healthz"),
        http("GET", "/readyz"),
        http("GET", "/metrics"),
        http("GET", "/docs"),
        http("GET", "/session/a"),  # not an access request (405 from the router)
        {"type": "lifespan"},
    ],
)
async def test_everything_else_is_never_limited(scope: dict[str, Any]) -> None:
    app = App()
    layer = RateLimits(app, one_each())
    for _ in range(5):
        await call(layer, dict(scope))
    assert app.calls == 5


async def test_a_refused_request_gets_429_and_a_refused_websocket_1013() -> None:
    app = App()
    layer = RateLimits(app, one_each())
    await call(layer, http("POST", "/session/a"))
    start, body = await call(layer, http("POST", "/session/a"))
    assert start["status"] == 429 and (b"retry-after", b"1000") in start["headers"]
    assert body["body"].startswith(b'{"code":"429"')
    ws = {**http("GET", "/session/a"), "type": "websocket"}
    await call(layer, ws)
    accept, close = await call(layer, dict(ws))
    assert accept == {"type": "websocket.accept"}
    assert close == {"type": "websocket.close", "code": 1013, "reason": "rate limited: try again in 1000s"}
    assert app.calls == 2
    assert layer.limits.refused == {"access": 1, "open": 1, "admin": 0}
