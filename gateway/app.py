"""``create_app(settings, open_services)``: the FastAPI application and its lifespan.

The same app serves the access API and the relay; when the two ports differ, a small ASGI
guard keeps each face on its own port, as practable's two servers did.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, WebSocket
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import State
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket as StarletteWebSocket

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


WebSocketEndpoint = Callable[[StarletteWebSocket, str], Awaitable[None]]


HttpEndpoint = Callable[[str, Request], Awaitable[Response]]


class WebSocketRoutes:
    """The relay's websocket routes and the access POST, dispatched before FastAPI's middleware
    and router.

    A websocket lives for hours inside whatever called it: through FastAPI's stack, every idle
    connection held ~10 suspended frames and an exit stack (~5 KiB), and every open paid the
    routing (docs/performance.md). Only ``/session/<topic>`` and ``/connect/<topic>`` websockets
    and ``POST /session/<topic>`` come here (the latter stays in FastAPI's router for the
    OpenAPI schema); every other scope (HTTP, lifespan, other paths) goes to ``app``.
    """

    def __init__(
        self,
        app: ASGIApp,
        owner: FastAPI,
        routes: dict[str, WebSocketEndpoint],
        posts: dict[str, HttpEndpoint] | None = None,
        *,
        cors: dict[str, Any] | None = None,
    ) -> None:
        self.app = app
        self.owner = owner  # what ``websocket.app`` must be: its state holds the services
        self.routes = tuple(routes.items())
        self.posts = tuple((posts or {}).items())
        # The posts' CORS (the preflight OPTIONS goes to ``app``, whose middleware answers it).
        self._post_app: ASGIApp = CORSMiddleware(self._post, **cors) if cors is not None else self._post

    @property
    def state(self) -> State:
        """The application's state (the services), as on the FastAPI app."""
        return self.owner.state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            path: str = scope["path"]
            for prefix, endpoint in self.routes:
                if path.startswith(prefix):
                    scope["app"] = self.owner
                    topic = path[len(prefix) :]
                    scope["path_params"] = {"topic": topic}
                    await endpoint(StarletteWebSocket(scope, receive, send), topic)
                    return
        elif scope["type"] == "http" and scope["method"] == "POST":
            path = scope["path"]
            for prefix, handler in self.posts:
                if path.startswith(prefix) and len(path) > len(prefix):
                    scope["app"] = self.owner
                    scope["path_params"] = {"topic": path[len(prefix) :]}
                    scope["relay.handler"] = handler
                    await self._post_app(scope, receive, send)
                    return
        await self.app(scope, receive, send)

    async def _post(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler: HttpEndpoint = scope["relay.handler"]
        response = await handler(scope["path_params"]["topic"], Request(scope, receive, send))
        await response(scope, receive, send)


def cors_options(settings: GatewaySettings) -> dict[str, Any]:
    """Browsers call the access API directly (no nginx in front): CORS as practable's proxy."""
    return {
        "allow_origins": list(settings.cors_origins),
        "allow_methods": ["GET", "POST", "OPTIONS"],
        "allow_headers": ["Authorization", "Content-Type", "Cache-Control", "X-Requested-With"],
        "max_age": 86400,
    }


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
    if settings.console:
        consolesite.mount(app)

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

    app.add_middleware(CORSMiddleware, **cors_options(settings))
    routed = WebSocketRoutes(
        app,
        app,
        {"/session/": ws.session_route, "/connect/": jump.connect_route},
        {"/session/": access.request_session},
        cors=cors_options(settings),
    )
    if ports is None:
        return routed
    return PortGuard(routed, ports)
