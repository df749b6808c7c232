"""``create_app(settings, open_services)``: the FastAPI application and its lifespan.

The same app serves the access API and the relay; when the two ports differ, or an ops port is
set, a small ASGI guard (gateway.portguard) keeps each face on its own port. Swagger UI's
assets are served from the swagger-ui-bundle package (no CDN). The rate limits wrap all of
it (gateway.server).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI, WebSocket
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp
from swagger_ui_bundle import swagger_ui_path

from gateway import access, admin, jump, ws
from gateway.portguard import PortGuard
from gateway.services import Services
from gateway.settings import GatewaySettings

__all__ = ["PortGuard", "create_app"]

log = logging.getLogger(__name__)

OpenServices = Callable[[GatewaySettings], AbstractAsyncContextManager[Services]]


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
    app.include_router(ws.router)
    app.mount("/docs/assets", StaticFiles(directory=swagger_ui_path), name="swagger-ui")
    # Browsers call the access API directly (no nginx in front): answer CORS like practable's proxy.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "Cache-Control", "X-Requested-With"],
        max_age=86400,
    )

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

    if ports is None:
        return app
    return PortGuard(app, ports)
