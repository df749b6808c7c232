"""Rate limits at the edge: an ASGI layer in front of every route, before any token or NATS work.

Access requests (``POST /session/*``, ``/api/v1/connect/*``) and websocket opens each have a
bucket per client address; admin routes (``/bids/*``, ``/status``) have their own, smaller one.
Over a limit: HTTP 429 with ``Retry-After`` and a JSON body, or websocket close 1013 with a
reason. The first refusal of a run is logged (INFO), the rest only counted.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.ratelimit import Network, RateLimiter, client_key, parse_trusted, retry_after_header
from gateway.settings import GatewaySettings
from gateway.wire import CloseCode

log = logging.getLogger(__name__)

ACCESS_PREFIXES = ("/session/", "/api/v1/connect/")
ADMIN_PREFIXES = ("/bids/", "/status")


@dataclass(slots=True)
class Limiters:
    access: RateLimiter | None  # None = off
    opens: RateLimiter | None
    admin: RateLimiter | None
    trusted: tuple[Network, ...] = ()
    refused: dict[str, int] = field(default_factory=lambda: {"access": 0, "open": 0, "admin": 0})


def limiters(settings: GatewaySettings, clock: Callable[[], float] = time.monotonic) -> Limiters:
    """The limiters the settings ask for (rate 0 turns one off)."""

    def make(rate: float, burst: int) -> RateLimiter | None:
        if rate <= 0:
            return None
        return RateLimiter(rate=rate, burst=burst, max_keys=settings.rate_addresses, clock=clock)

    return Limiters(
        access=make(settings.rate_access, settings.rate_access_burst),
        opens=make(settings.rate_access, settings.rate_access_burst),
        admin=make(settings.rate_admin, settings.rate_admin_burst),
        trusted=parse_trusted(settings.trusted_proxies),
    )


class RefusalCollector(Collector):
    """``relay_rate_limited_total{kind}``: requests refused by the limits, read at scrape time."""

    def __init__(self, limits: Limiters) -> None:
        self._limits = limits

    def collect(self) -> Iterator[CounterMetricFamily]:
        family = CounterMetricFamily(
            "relay_rate_limited", "Requests refused by the per-address rate limits", labels=["kind"]
        )
        for kind, n in sorted(self._limits.refused.items()):
            family.add_metric([kind], n)
        yield family


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class RateLimits:
    """The outermost ASGI layer (Gateway.serve wraps the whole app in it), so that no port guard,
    dispatcher, router or middleware runs for a refused request; everything not classified
    (probes, metrics, docs, 404s) passes untouched. A 429 carries CORS's allow-origin itself,
    so a browser can read it.
    """

    def __init__(self, app: ASGIApp, limits: Limiters, *, cors_origins: tuple[str, ...] = ()) -> None:
        self.app = app
        self.limits = limits
        self._any_origin = "*" in cors_origins
        self._origins = frozenset(cors_origins)

    def _which(self, scope: Scope) -> tuple[str, RateLimiter | None]:
        path: str = scope.get("path", "")
        if scope["type"] == "websocket":
            return "open", self.limits.opens
        if scope["type"] != "http":
            return "", None
        if scope.get("method") == "POST" and path.startswith(ACCESS_PREFIXES):
            return "access", self.limits.access
        if path.startswith(ADMIN_PREFIXES):
            return "admin", self.limits.admin
        return "", None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind, limiter = self._which(scope)
        if limiter is None:
            await self.app(scope, receive, send)
            return
        peer = scope.get("client")
        key = client_key(
            str(peer[0]) if peer else "", _header(scope, b"x-forwarded-for"), self.limits.trusted
        )
        decision = limiter.take(key)
        if decision.allowed:
            await self.app(scope, receive, send)
            return
        self.limits.refused[kind] += 1
        wait = retry_after_header(decision.retry_after)
        if decision.first_refusal:
            log.info(
                "rate limited",
                extra={"event": "rate_limited", "client": key, "kind": kind, "retry_after": int(wait)},
            )
        if scope["type"] == "websocket":
            await _close_websocket(receive, send, f"rate limited: try again in {wait}s")
        else:
            await _too_many(send, wait, self._cors(scope))

    def _cors(self, scope: Scope) -> list[tuple[bytes, bytes]]:
        origin = _header(scope, b"origin")
        if origin is None:
            return []
        if self._any_origin:
            return [(b"access-control-allow-origin", b"*")]
        if origin in self._origins:
            return [(b"access-control-allow-origin", origin.encode("latin-1")), (b"vary", b"Origin")]
        return []


async def _too_many(send: Send, wait: str, extra: list[tuple[bytes, bytes]]) -> None:
    body = json.dumps(
        {"code": "429", "message": f"too many requests from this address; try again in {wait}s"},
        separators=(",", ":"),
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/json"),
                (b"retry-after", wait.encode()),
                (b"content-length", str(len(body)).encode()),
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _close_websocket(receive: Receive, send: Send, reason: str) -> None:
    """Accept only to say why (a browser sees a close code, never a handshake status)."""
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.close", "code": int(CloseCode.TRY_AGAIN_LATER), "reason": reason})
