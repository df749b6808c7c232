"""The client side of relayed ssh (jump's ``client``): one relay session per ssh connection.

``ssh_proxy`` carries one connection over stdin/stdout (ssh's ``ProxyCommand``); ``Forwarder``
listens on a local TCP port and opens a fresh session for each accepted connection. Neither
retries a failed session: ssh reports the failure, and the forwarder keeps listening.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import selectors
import stat
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

import httpx
from websockets.asyncio.client import ClientConnection

from fileclient.settings import ConnectSettings
from relayclient.access import access_client
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


class _Answered:
    """A websocket that sets ``answered`` when its first message arrives (the lab spoke)."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.answered = asyncio.Event()

    @property
    def close_code(self) -> int | None:
        return self.ws.close_code

    @property
    def close_reason(self) -> str | None:
        return self.ws.close_reason

    @property
    def transport(self) -> asyncio.Transport:
        return self.ws.transport

    async def send(self, message: bytes) -> None:
        await self.ws.send(message)

    async def recv(self) -> str | bytes:
        message = await self.ws.recv()
        self.answered.set()
        return message

    async def close(self, code: int = 1000, reason: str = "") -> None:
        await self.ws.close(code, reason)


async def _pipe_once_answered(
    ws: ClientConnection, reader: ByteReader, writer: ByteWriter, timeout: float
) -> PipeStats | None:
    """Pipe until either side ends; None (both sides closed) if the lab sent nothing within ``timeout``.

    The gateway reads nothing from a client before the lab's host agent speaks, so silence means
    the agent is not connected (or its service does not answer).
    """
    watched = _Answered(ws)
    stats = PipeStats()
    piping = asyncio.create_task(pipe(watched, reader, writer, stats))
    answered = asyncio.create_task(watched.answered.wait())
    try:
        await asyncio.wait({piping, answered}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        answered.cancel()
        if not piping.done() and not watched.answered.is_set():
            piping.cancel()  # pipe closes both sides, also when cancelled
            with contextlib.suppress(asyncio.CancelledError):
                await piping
    if piping.cancelled():
        return None
    return await piping


async def ssh_proxy(
    connect: ConnectSettings,
    reader: ByteReader,
    writer: ByteWriter,
    *,
    stderr: TextIO,
    connect_timeout: float = 20.0,
) -> int:
    """Carry one ssh connection between ``reader``/``writer`` (stdin/stdout) and the relay.

    ``connect_timeout`` bounds the wait for the lab's first bytes (its sshd banner).

    Returns:
        0 when either side ended normally, 1 when no session opened, the lab did not answer in
        time or the relay ended the session.
    """
    async with access_client(connect.access_url) as http:
        try:
            async with asyncio.timeout(connect_timeout):
                ws = await open_tunnel(http, connect)
        except (TunnelFailed, TimeoutError) as exc:
            reason = str(exc) or f"no answer within {connect_timeout:g}s"
            print(
                f"fileclient ssh-proxy: cannot open a session at {connect.access_url}: {reason}", file=stderr
            )
            await close_stream(writer)
            return 1
    stats = await _pipe_once_answered(ws, reader, writer, connect_timeout)
    if stats is None:
        print(
            f"fileclient ssh-proxy: the lab did not answer within {connect_timeout:g}s"
            " (is its host agent running and connected to the relay?)",
            file=stderr,
        )
        return 1
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


# Kernel buffer asked for ssh's pipes: Linux's default pipe-max-size, what an unprivileged process may set.
PIPE_BYTES = 1 << 20


def _widen_pipe(fd: int) -> None:
    """Ask for a ``PIPE_BYTES`` kernel buffer on a pipe: fewer, larger reads and writes."""
    if stat.S_ISFIFO(os.fstat(fd).st_mode):
        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _pollable(fd: int, events: int) -> bool:
    """Whether the event loop can wait on ``fd``: not for regular files or /dev/null (epoll refuses them)."""
    if stat.S_ISREG(os.fstat(fd).st_mode):
        return False
    with selectors.DefaultSelector() as probe:
        try:
            probe.register(fd, events)
        except (OSError, ValueError):
            return False
    return True


class _FileReader:
    """Reads a descriptor the loop cannot poll (a file, /dev/null): such reads never block for long."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    async def read(self, n: int = -1) -> bytes:
        return await asyncio.to_thread(os.read, self.fd, n if n > 0 else 65536)


class _FileWriter:
    """Writes to a descriptor the loop cannot poll (a file, /dev/null)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._pending = bytearray()

    def write(self, data: bytes) -> None:
        self._pending += data

    async def drain(self) -> None:
        data, self._pending = bytes(self._pending), bytearray()
        view = memoryview(data)
        while view:
            written = await asyncio.to_thread(os.write, self.fd, view)
            view = view[written:]

    def close(self) -> None:
        pass  # the descriptor belongs to the process

    async def wait_closed(self) -> None:
        return


async def stdio_streams(stdin_fd: int = 0, stdout_fd: int = 1) -> tuple[ByteReader, ByteWriter]:
    """Asyncio streams on the process's stdin and stdout.

    Pipes, sockets and ttys are non-blocking loop streams; regular files and /dev/null, which
    the loop cannot poll, are read and written in a worker thread.
    """
    loop = asyncio.get_running_loop()
    for fd in (stdin_fd, stdout_fd):
        _widen_pipe(fd)
    reader: ByteReader
    if _pollable(stdin_fd, selectors.EVENT_READ):
        stream = asyncio.StreamReader(limit=4 * 65536)
        await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(stream),
            os.fdopen(stdin_fd, "rb", buffering=0, closefd=False),
        )
        reader = stream
    else:
        reader = _FileReader(stdin_fd)
    if not _pollable(stdout_fd, selectors.EVENT_WRITE):
        return reader, _FileWriter(stdout_fd)
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
        async with access_client(self.connect.access_url) as http:
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
