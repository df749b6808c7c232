"""The client side of relayed ssh (jump's ``client``): one relay session per ssh connection.

``ssh_proxy`` carries one connection over stdin/stdout (ssh's ``ProxyCommand``); ``Forwarder``
listens on a local TCP port and opens a fresh session for each accepted connection. Neither
retries a failed session: ssh reports the failure, and the forwarder keeps listening.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

import httpx
from websockets.asyncio.client import ClientConnection

from fileclient.settings import ConnectSettings
from relayclient.connect import CONNECT_ERRORS, MAX_MESSAGE, open_session
from relayclient.pipe import ByteReader, ByteWriter, PipeStats, close_stream, pipe

log = logging.getLogger(__name__)

NORMAL_CLOSES = (1000, 1001)
CLOSE_MEANINGS = {4502: "session expired", 4503: "booking revoked", 1012: "gateway restarting"}


class TunnelFailed(Exception):
    """No session could be opened: the access request or the websocket dial failed."""


async def open_tunnel(http: httpx.AsyncClient, connect: ConnectSettings) -> ClientConnection:
    """Request a fresh client URI with the current token and dial it.

    Raises:
        TunnelFailed: with a one-line reason (the token itself never appears in it).
    """
    try:
        return await open_session(http, connect.access_url, connect.tokens.read(), max_size=MAX_MESSAGE)
    except CONNECT_ERRORS as exc:
        raise TunnelFailed(f"{type(exc).__name__}: {exc}") from exc


def describe_end(ws: ClientConnection, stats: PipeStats) -> str | None:
    """Why the relay ended a session, or None when it ended normally."""
    code = ws.close_code
    if stats.ended_by == "stream":
        return None
    meaning = CLOSE_MEANINGS.get(code or 0, ws.close_reason or "no close frame")
    if stats.from_ws == 0:
        # The lab never spoke (no sshd banner): its service is down or the host agent is not running.
        return f"the session ended before the lab answered ({code} {meaning})"
    if code in NORMAL_CLOSES:
        return None
    return f"relay closed the session ({code} {meaning})"


async def ssh_proxy(
    connect: ConnectSettings, reader: ByteReader, writer: ByteWriter, *, stderr: TextIO
) -> int:
    """Carry one ssh connection between ``reader``/``writer`` (stdin/stdout) and the relay.

    Returns:
        0 when either side ended normally, 1 when no session opened or the relay ended it.
    """
    async with httpx.AsyncClient() as http:
        try:
            ws = await open_tunnel(http, connect)
        except TunnelFailed as exc:
            print(f"fileclient ssh-proxy: cannot open a session at {connect.access_url}: {exc}", file=stderr)
            await close_stream(writer)
            return 1
    stats = await pipe(ws, reader, writer)
    log.info("session ended by %s: %d bytes sent, %d received", stats.ended_by, stats.to_ws, stats.from_ws)
    problem = describe_end(ws, stats)
    if problem is not None:
        print(f"fileclient ssh-proxy: {problem}", file=stderr)
        return 1
    return 0


class _WriteProtocol(asyncio.streams.FlowControlMixin):
    """Flow control for a write pipe, plus the close waiter ``StreamWriter.wait_closed`` needs."""

    def __init__(self) -> None:
        super().__init__()
        self._closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        if not self._closed.done():
            self._closed.set_result(None)

    def _get_close_waiter(self, stream: asyncio.StreamWriter) -> asyncio.Future[None]:
        return self._closed


async def stdio_streams(stdin_fd: int = 0, stdout_fd: int = 1) -> tuple[ByteReader, ByteWriter]:
    """Non-blocking asyncio streams on the process's stdin and stdout (pipes, sockets or ttys).

    Raises:
        ValueError: a descriptor is a regular file (asyncio pipes refuse those).
    """
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=4 * 65536)
    await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(stdin_fd, "rb", buffering=0, closefd=False)
    )
    transport, protocol = await loop.connect_write_pipe(
        _WriteProtocol, os.fdopen(stdout_fd, "wb", buffering=0, closefd=False)
    )
    return reader, asyncio.StreamWriter(transport, protocol, None, loop)


@dataclass(slots=True)
class ForwardStats:
    """Counters of one forwarder; written by its connection handlers."""

    accepted: int = 0
    failed: int = 0  # no session could be opened for the connection
    live: int = 0


class Forwarder:
    """Listens on ``bind:port``; each accepted TCP connection gets its own relay session."""

    def __init__(self, connect: ConnectSettings, *, bind: str = "127.0.0.1", port: int = 8082) -> None:
        self.connect = connect
        self.bind = bind
        self.port = port  # replaced by the bound port once listening (useful with 0)
        self.stats = ForwardStats()
        self._http: httpx.AsyncClient | None = None  # set while serving

    async def serve(self, on_ready: Callable[[int], None] | None = None) -> None:
        """Listen until cancelled; ``on_ready`` gets the bound port.

        Raises:
            OSError: the address cannot be bound.
        """
        async with httpx.AsyncClient() as http:
            self._http = http
            server = await asyncio.start_server(self._handle, self.bind, self.port)
            self.port = int(server.sockets[0].getsockname()[1])
            log.info("forwarding %s:%d to %s", self.bind, self.port, self.connect.access_url)
            if on_ready is not None:
                on_ready(self.port)
            try:
                async with server:
                    await server.serve_forever()
            finally:
                self._http = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # The one top-level handler of a forwarded connection: nothing escapes to asyncio's logger.
        peer = writer.get_extra_info("peername")
        self.stats.accepted += 1
        self.stats.live += 1
        try:
            assert self._http is not None  # connections are only accepted while serving
            try:
                ws = await open_tunnel(self._http, self.connect)
            except TunnelFailed as exc:
                self.stats.failed += 1
                log.warning("connection from %s: cannot open a session: %s", peer, exc)
                await close_stream(writer)
                return
            stats = await pipe(ws, reader, writer)
            problem = describe_end(ws, stats)
            if problem is not None:
                log.warning("connection from %s: %s", peer, problem)
        except Exception:
            log.exception("connection from %s failed", peer)
            await close_stream(writer)
        finally:
            self.stats.live -= 1
