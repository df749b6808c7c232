"""Assemble and run hostd: router, control, local API under uvicorn, config and ``VW_API``.

Shutdown (SIGINT/SIGTERM, handled by uvicorn): stop listening, close local websockets, wait
``shutdown_grace`` for open /ts posts, then the lifespan closes every destination link.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.applications import Starlette

from hostd import commands
from hostd.config import HostConfig
from hostd.control import Control
from hostd.localapi import ApiOptions, LocalApi, create_app
from hostd.router import Router, SubscriptionClosed
from hostd.settings import HostdSettings
from hostd.uplink import BackoffFactory
from relayclient.backoff import Backoff
from relayclient.connect import MAX_MESSAGE

log = logging.getLogger(__name__)


class Daemon:
    """One hostd instance. ``serve()`` runs it; ``stop()`` asks it to shut down."""

    def __init__(
        self, settings: HostdSettings, *, config: HostConfig | None = None, backoff: BackoffFactory = Backoff
    ) -> None:
        self.settings = settings
        self.config = config or HostConfig()
        self.router = Router(max_messages=settings.queue_messages, max_bytes=settings.queue_bytes)
        self.control = Control(
            self.router, backoff=backoff, healthy_after=settings.healthy_after, feeds=self.config.feeds
        )
        api = LocalApi(
            self.control,
            self.router,
            ApiOptions(ts_idle=settings.ts_idle, ts_max_frame=settings.ts_max_frame),
        )
        self.app = create_app(api, lifespan=self._lifespan)
        self.server = uvicorn.Server(
            uvicorn.Config(
                self.app,
                host=settings.host,
                port=settings.port,
                http="h11",  # httptools rejects the original's non-standard UPDATE method
                ws="websockets-sansio",
                ws_max_size=MAX_MESSAGE,
                ws_per_message_deflate=False,
                ws_ping_interval=54.0,
                ws_ping_timeout=60.0,
                lifespan="on",
                log_config=None,
                timeout_graceful_shutdown=int(settings.shutdown_grace) or 1,
            )
        )

    @asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        admin: asyncio.Task[None] | None = None
        for stream in self.config.streams:
            self.control.put_stream(stream)
        for rule in self.config.destinations:
            await self.control.put_destination(rule)
        jump = self.settings.jump_tunnel()
        for tunnel in (*self.config.tunnels, *([jump] if jump is not None else [])):
            await self.control.put_tunnel(tunnel)
        if self.settings.api:
            await self.control.put_destination(commands.api_rule(self.settings.api))
            admin = asyncio.create_task(self._admin(), name="admin")
        log.info(
            "hostd ready on %s:%d with %d destinations and %d tunnels",
            self.settings.host,
            self.settings.port,
            len(self.control.rules.destinations),
            len(self.control.tunnels_json()),
        )
        try:
            yield
        finally:
            if admin is not None:
                admin.cancel()
            await self.control.close()
            log.info("hostd stopped")

    async def _admin(self) -> None:
        """The ``admin`` client on topic ``api``: one reply per command (reference 8.6)."""
        sub = self.router.subscribe(commands.API_TOPIC, "admin")
        try:
            while True:
                message = await sub.get()
                reply = await commands.handle(message, self.control)
                self.router.publish(commands.API_TOPIC, reply, sender=sub)
        except SubscriptionClosed:
            return
        finally:
            self.router.unsubscribe(sub)

    @property
    def port(self) -> int:
        """The port actually bound (useful when settings asked for 0)."""
        for server in getattr(self.server, "servers", []):  # set once uvicorn listens
            for sock in server.sockets:
                return int(sock.getsockname()[1])
        return self.settings.port

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        await self.server.serve(sockets=sockets)

    def stop(self) -> None:
        self.server.should_exit = True
