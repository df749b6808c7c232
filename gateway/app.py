"""``create_app(settings, open_services)``: the FastAPI application and its lifespan.

The same app serves the access API and the relay; when the two ports differ, or an ops port is
set, a small ASGI guard (gateway.portguard) keeps each face on its own port. Swagger UI's
assets are served from the swagger-ui-bundle package (no CDN). The rate limits wrap all of
it (gateway.server).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, WebSocket
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import State
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket as StarletteWebSocket
from swagger_ui_bundle import swagger_ui_path

from gateway import access, admin, consolesite, jump, ws
from gateway.portguard import PortGuard
from gateway.services import Services
from gateway.settings import GatewaySettings

__all__ = ["PortGuard", "create_app"]

log = logging.getLogger(__name__)

OpenServices = Callable[[GatewaySettings], AbstractAsyncContextManager[Services]]


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
        # Each post as an ASGI app, behind CORS (the preflight OPTIONS goes to ``app``, whose
        # middleware answers it).
        self.posts = tuple(
            (prefix, CORSMiddleware(_post_app(handler), **cors) if cors is not None else _post_app(handler))
            for prefix, handler in (posts or {}).items()
        )

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
            for prefix, post in self.posts:
                if path.startswith(prefix) and len(path) > len(prefix):
                    scope["app"] = self.owner
                    scope["path_params"] = {"topic": path[len(prefix) :]}
                    await post(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def _post_app(handler: HttpEndpoint) -> ASGIApp:
    async def post(scope: Scope, receive: Receive, send: Send) -> None:
        response = await handler(scope["path_params"]["topic"], Request(scope, receive, send))
        await response(scope, receive, send)

    return post


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
        ports: bound ports, ``{"access": n, "relay": m}`` and optionally ``"ops"``; omitted means
            one port serves everything.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_services(settings) as services:
            app.state.services = services
            yield
            # uvicorn has closed every websocket (1012) by now; what follows is the bus drain.
            services.draining = True

    app = FastAPI(title="Relay gateway", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.include_router(access.router)
    app.include_router(admin.router)
    app.include_router(jump.router)
    app.mount("/docs/assets", StaticFiles(directory=swagger_ui_path), name="swagger-ui")
    if settings.console:
        consolesite.mount(app)

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Relay gateway",
            swagger_js_url="/docs/assets/swagger-ui-bundle.js",
            swagger_css_url="/docs/assets/swagger-ui.css",
            swagger_favicon_url="/docs/assets/favicon-32x32.png",
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
