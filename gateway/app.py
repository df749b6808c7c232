"""``create_app(settings, open_services)``: the FastAPI application and its lifespan.

The same app serves the access API and the relay; when the two ports differ, a small ASGI
guard keeps each face on its own port, as practable's two servers did.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI, WebSocket
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway import access, admin, consolesite, jump, ws
from gateway.services import Services
from gateway.settings import GatewaySettings

log = logging.getLogger(__name__)

OpenServices = Callable[[GatewaySettings], AbstractAsyncContextManager[Services]]


class PortGuard:
    """Serve websockets only on the relay port and HTTP routes only on the access port.

    ``ports`` is filled in once the sockets are bound (port 0 means "any free port").
    Health probes are answered on both.
    """

    def __init__(self, app: ASGIApp, ports: dict[str, int]) -> None:
        self.app = app
        self.ports = ports

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        access_port, relay_port = self.ports.get("access"), self.ports.get("relay")
        if scope["type"] in ("http", "websocket") and access_port != relay_port and scope.get("server"):
            port = scope["server"][1]
            wrong = (scope["type"] == "websocket" and port == access_port) or (
                scope["type"] == "http"
                and port == relay_port
                and scope["path"] not in ("/healthz", "/readyz")
            )
            if wrong:
                response = Response("Not Found", status_code=404, media_type="text/plain")
                if scope["type"] == "websocket":
                    await send({"type": "websocket.http.response.start", "status": 404, "headers": []})
                    await send({"type": "websocket.http.response.body", "body": b"Not Found"})
                    return
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(
    settings: GatewaySettings, open_services: OpenServices, *, ports: dict[str, int] | None = None
) -> ASGIApp:
    """Build the gateway application.

    Args:
        settings: the frozen settings.
        open_services: builds the shared services (NATS, code store, hub) for the app's lifetime.
        ports: bound ports, ``{"access": n, "relay": m}``; omitted means one port serves both.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_services(settings) as services:
            app.state.services = services
            yield
            # uvicorn has closed every websocket (1012) by now; what follows is the bus drain.
            services.draining = True

    app = FastAPI(title="Relay gateway", version="0.1.0", lifespan=lifespan, docs_url="/docs", redoc_url=None)
    app.state.settings = settings
    app.include_router(access.router)
    app.include_router(admin.router)
    app.include_router(jump.router)
    app.include_router(ws.router)
    if settings.console:
        consolesite.mount(app)
    # Browsers call the access API directly (no nginx in front): answer CORS like practable's proxy.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "Cache-Control", "X-Requested-With"],
        max_age=86400,
    )

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok", "replica": settings.replica_id})

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        services: Services = app.state.services
        ok = not services.draining and await services.ready()
        return JSONResponse({"ready": ok}, status_code=200 if ok else 503)

    @app.websocket("/{path:path}")
    async def unknown_websocket(websocket: WebSocket, path: str) -> None:
        # practable answers connection types other than "session" with a plain 404 before upgrading.
        await websocket.send_denial_response(Response("Not Found", status_code=404, media_type="text/plain"))

    if ports is None:
        return app
    return PortGuard(app, ports)
