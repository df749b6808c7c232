"""Which port serves what: access API, relay websockets and, when configured, the ops port.

Without ``ops``: websockets only on the relay port, HTTP routes only on the access port (as
practable's two servers), probes on both. With ``ops`` (RELAY_PORT_OPS): ``/metrics``,
``/docs`` and ``/openapi.json`` are served there and nowhere else (404 JSON elsewhere), and
the ops port serves nothing but them and the probes, which stay on the access port too.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send

PROBES = ("/healthz", "/readyz")


def is_ops_path(path: str) -> bool:
    return path in ("/metrics", "/openapi.json", "/docs") or path.startswith("/docs/")


async def _not_found(scope: Scope, receive: Receive, send: Send, message: str) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.http.response.start", "status": 404, "headers": []})
        await send({"type": "websocket.http.response.body", "body": b"Not Found"})
        return
    body = json.dumps({"code": "404", "message": message}, separators=(",", ":")).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 404, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class PortGuard:
    """Route by the port a request arrived on.

    ``ports`` (``access``, ``relay`` and optionally ``ops``) is filled in once the sockets are
    bound (port 0 means "any free port").
    """

    def __init__(self, app: ASGIApp, ports: dict[str, int]) -> None:
        self.app = app
        self.ports = ports

    def _refusal(self, scope: Scope) -> str | None:
        port = scope["server"][1]
        kind, path = scope["type"], scope.get("path", "")
        ops = self.ports.get("ops")
        if ops is not None:
            if port == ops:
                if kind == "http" and (is_ops_path(path) or path in PROBES):
                    return None
                return "the ops port serves only /metrics, /docs, /openapi.json and probes"
            if kind == "http" and is_ops_path(path):
                return "not found: served on the ops port"
        access, relay = self.ports.get("access"), self.ports.get("relay")
        if access == relay:
            return None
        if kind == "websocket" and port == access:
            return "Not Found"
        if kind == "http" and port == relay and path not in PROBES:
            return "Not Found"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and scope.get("server"):
            message = self._refusal(scope)
            if message is not None:
                if message == "Not Found" and scope["type"] == "http":
                    # practable's answer on the wrong face of a two-port gateway: plain text
                    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"9")]
                    await send({"type": "http.response.start", "status": 404, "headers": headers})
                    await send({"type": "http.response.body", "body": b"Not Found"})
                    return
                await _not_found(scope, receive, send, message)
                return
        await self.app(scope, receive, send)
