"""The local HTTP/WebSocket API of reference 8.2 (plus ``/api/status``), as Starlette routes.

Thin: rule parsing and JSON shapes live in ``rules``, state changes in ``Control``, framing in
``ingest``, fan-out in ``router``. Bound to 127.0.0.1 by default and unauthenticated, as the
original (which listened on every interface).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from hostd.control import Control
from hostd.ingest import bursts
from hostd.router import Router, Subscription
from hostd.rules import (
    ALL,
    DELETE_ALL,
    EMPTY_DESTINATION,
    FEED_PATTERN,
    STREAM_PREFIX,
    Destination,
    RuleError,
    Stream,
    go_json,
    parse_body,
)
from hostd.tunnelrules import Tunnel

log = logging.getLogger(__name__)

Lifespan = Callable[[Starlette], AbstractAsyncContextManager[None]]

PUT_METHODS = ["PUT", "POST", "UPDATE"]  # UPDATE is not HTTP, but the original accepts it


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiOptions:
    ts_idle: float  # seconds of silence that end an MPEG-TS frame
    ts_max_frame: int  # bytes


def _json(value: object, status: int = 200) -> Response:
    return Response(go_json(value), status_code=status, media_type="application/json")


def _error(message: str, status: int) -> Response:
    # Go's http.Error: text/plain, message plus a newline.
    return PlainTextResponse(message + "\n", status_code=status)


class LocalApi:
    """Holds the collaborators the routes need; builds the Starlette app."""

    def __init__(self, control: Control, router: Router, options: ApiOptions) -> None:
        self.control = control
        self.router = router
        self.options = options
        self._ids = itertools.count(1)

    def routes(self) -> list[Route | WebSocketRoute]:
        return [
            Route("/healthcheck", self.healthcheck, methods=["GET"]),
            Route("/api", self.placeholder, methods=["GET", "POST", "PUT", "DELETE"]),
            Route("/api/status", self.status, methods=["GET"]),
            Route("/api/destinations", self.put_destination, methods=PUT_METHODS),
            Route("/api/destinations/all", self.destinations_all, methods=["GET", "DELETE"]),
            Route("/api/destinations/{rule_id}", self.destination_one, methods=["GET", "DELETE"]),
            Route("/api/tunnels", self.tunnels, methods=[*PUT_METHODS, "GET"]),
            Route("/api/tunnels/all", self.tunnels_all, methods=["GET", "DELETE"]),
            Route("/api/tunnels/{rule_id}", self.tunnel_one, methods=["GET", "DELETE"]),
            Route("/api/streams", self.put_stream, methods=PUT_METHODS),
            Route("/api/streams/all", self.streams_all, methods=["GET", "DELETE"]),
            Route("/api/streams/{name:path}", self.stream_one, methods=["GET", "DELETE"]),
            Route("/ts/{feed:path}", self.ingest, methods=["POST", "PUT", "GET"]),
            WebSocketRoute("/ws/{feed:path}", self.local_client),
        ]

    async def healthcheck(self, request: Request) -> Response:
        return PlainTextResponse('"ok"\n')  # the original's json.Encoder output, newline included

    async def placeholder(self, request: Request) -> Response:
        return Response(b"", status_code=200)

    async def status(self, request: Request) -> Response:
        return _json(self.control.status())

    async def put_destination(self, request: Request) -> Response:
        try:
            rule = Destination.from_json(parse_body(await request.body()))
        except RuleError as exc:
            return _error(str(exc), 500)
        await self.control.put_destination(rule)
        return _json(rule.to_json())

    async def destinations_all(self, request: Request) -> Response:
        if request.method == "DELETE":
            await self.control.delete_destination(DELETE_ALL)
            return _json(DELETE_ALL)
        return _json(self.control.rules.destinations_json())

    async def destination_one(self, request: Request) -> Response:
        rule_id = request.path_params["rule_id"]
        if request.method == "DELETE":
            await self.control.delete_destination(rule_id)
            return _json(DELETE_ALL if rule_id == DELETE_ALL else rule_id)
        return _json(self.control.rules.destinations.get(rule_id, EMPTY_DESTINATION).to_json())

    async def tunnels(self, request: Request) -> Response:
        """New in hostd (no original): add or replace a tunnel rule, or list them with GET."""
        if request.method == "GET":
            return _json(self.control.tunnels_json())
        try:
            rule = Tunnel.from_json(parse_body(await request.body()))
        except RuleError as exc:
            return _error(str(exc), 400)
        if not await self.control.put_tunnel(rule):
            return _error(f"tunnel id {rule.id!r} is reserved", 400)
        return _json(rule.redacted())

    async def tunnels_all(self, request: Request) -> Response:
        if request.method == "DELETE":
            await self.control.delete_tunnel(DELETE_ALL)
            return _json(DELETE_ALL)
        return _json(self.control.tunnels_json())

    async def tunnel_one(self, request: Request) -> Response:
        rule_id = request.path_params["rule_id"]
        if request.method == "DELETE":
            removed = await self.control.delete_tunnel(rule_id)
            return _json(rule_id) if removed else _error("Tunnel not found", 404)
        link = self.control.tunnel(rule_id)
        return _json(link.status()) if link is not None else _error("Tunnel not found", 404)

    async def put_stream(self, request: Request) -> Response:
        try:
            rule = Stream.from_json(parse_body(await request.body()))
        except RuleError as exc:
            return _error(str(exc), 500)
        self.control.put_stream(rule)
        return _json(rule.to_json())

    async def streams_all(self, request: Request) -> Response:
        if request.method == "DELETE":
            self.control.delete_stream(DELETE_ALL)
            return _json(DELETE_ALL)
        return _json(self.control.rules.streams_json())

    async def stream_one(self, request: Request) -> Response:
        name = self._stream_name(request.path_params["name"])
        if request.method == "DELETE":
            self.control.delete_stream(name)
            return _json(name)
        feeds = self.control.rules.streams.get(name)
        if feeds is None:
            return _error("Stream not found", 404)
        return _json(list(feeds))

    def _stream_name(self, name: str) -> str:
        # /api/streams/stream/front and /api/streams/front both name "stream/front".
        streams = self.control.rules.streams
        if name in streams or name in (ALL, DELETE_ALL) or name.startswith(STREAM_PREFIX):
            return name
        return STREAM_PREFIX + name if STREAM_PREFIX + name in streams else name

    async def ingest(self, request: Request) -> Response:
        feed = request.path_params["feed"]
        if not FEED_PATTERN.match(feed):
            return _error("bad feed name", 404)
        frames = 0
        log.info("ts ingest on %s started", feed, extra={"topic": feed})
        try:
            async for frame in bursts(
                request.stream(), idle=self.options.ts_idle, max_size=self.options.ts_max_frame
            ):
                self.router.publish(feed, frame)
                frames += 1
        except ClientDisconnect:
            pass  # ffmpeg went away; what it sent was published already
        log.info("ts ingest on %s ended after %d frames", feed, frames, extra={"topic": feed})
        return Response(b"", status_code=200)

    async def local_client(self, websocket: WebSocket) -> None:
        feed = websocket.path_params["feed"]
        if not FEED_PATTERN.match(feed):
            await websocket.close(code=1008)
            return
        offered = websocket.scope.get("subprotocols") or []
        await websocket.accept(subprotocol="null" if "null" in offered else None)
        sub = self.router.subscribe(feed, f"ws:{next(self._ids)}")
        log.info("local client joined %s", feed, extra={"topic": feed, "conn_id": sub.name})
        tasks = {
            asyncio.create_task(self._from_client(websocket, sub)),
            asyncio.create_task(self._to_client(websocket, sub)),
        }
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self.router.unsubscribe(sub)
        log.info(
            "local client left %s", feed, extra={"topic": feed, "conn_id": sub.name, "dropped": sub.dropped}
        )

    async def _from_client(self, websocket: WebSocket, sub: Subscription) -> None:
        while True:
            event = await websocket.receive()
            if event["type"] == "websocket.disconnect":
                return
            text, data = event.get("text"), event.get("bytes")
            message = text if text is not None else data
            if message is not None:
                self.router.publish(sub.topic, message, sender=sub)

    async def _to_client(self, websocket: WebSocket, sub: Subscription) -> None:
        try:
            while True:
                message = await sub.get()
                if isinstance(message, str):
                    await websocket.send_text(message)
                else:
                    await websocket.send_bytes(message)
        except (WebSocketDisconnect, RuntimeError, OSError):
            return  # the client is gone; the reader sees the disconnect


def create_app(api: LocalApi, lifespan: Lifespan | None = None) -> Starlette:
    return Starlette(routes=api.routes(), lifespan=lifespan)
