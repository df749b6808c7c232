"""``gateway try``: type lines to send them; print what arrives. For the README's first steps.

Received messages are printed to stdout after ``< `` (what you type is echoed by the terminal
as it is); status lines (connected, closed, errors) go to stderr, one line each, no traceback.
The client ends by itself when the relay closes the connection, printing the close code and
reason. Exit status: 0 when you quit (Ctrl-D, Ctrl-C) or the relay closed with 1000, 1 otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
from typing import TextIO

import httpx
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from gateway.wire import CloseCode
from relayclient.access import AccessError
from relayclient.connect import open_session

RECEIVED = "< "  # marks a received message, so that it is not mistaken for a typed line


def _stdin_lines(loop: asyncio.AbstractEventLoop, lines: asyncio.Queue[str | None]) -> None:
    """Read stdin in a daemon thread with ``os.read`` (no buffered reader's lock held at exit, so
    the process can end while a read is pending); ``None`` marks the end of input."""
    pending = b""
    try:
        while chunk := os.read(sys.stdin.fileno(), 65536):
            pending += chunk
            *complete, pending = pending.split(b"\n")
            for line in complete:
                loop.call_soon_threadsafe(lines.put_nowait, line.decode(errors="replace").rstrip("\r"))
        if pending:
            loop.call_soon_threadsafe(lines.put_nowait, pending.decode(errors="replace"))
    except (OSError, ValueError):
        pass
    with contextlib.suppress(RuntimeError):  # the loop may be closed already
        loop.call_soon_threadsafe(lines.put_nowait, None)


def describe_close(code: int | None, reason: str) -> str:
    """``1012 service restart: server shutting down``: the code, its name, the relay's reason."""
    if code is None or code == 1006:
        return "1006 connection lost (no close frame)"
    try:
        name = CloseCode(code).name.lower().replace("_", " ")
    except ValueError:
        name = ""
    return " ".join(part for part in (str(code), f"{name}:" if name and reason else name, reason) if part)


async def _connect(access_url: str, token: str) -> ClientConnection | str:
    """The connection, or one line saying why there is none."""
    try:
        async with httpx.AsyncClient() as http:
            return await open_session(http, access_url, token)
    except AccessError as exc:
        return f"error: {exc}".replace("\n", " ")
    except ConnectionClosed as exc:
        code, reason = (exc.rcvd.code, exc.rcvd.reason) if exc.rcvd else (None, "")
        return f"error: the relay closed the connection: {describe_close(code, reason)}"
    except (OSError, TimeoutError, InvalidHandshake, InvalidURI) as exc:
        return f"error: cannot open the websocket: {type(exc).__name__}: {exc}".replace("\n", " ")


async def chat(access_url: str, token: str, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    ws = await _connect(access_url, token)
    if isinstance(ws, str):
        print(ws, file=err, flush=True)
        return 1
    loop = asyncio.get_running_loop()
    quit_ = asyncio.Event()
    with contextlib.suppress(NotImplementedError, RuntimeError):  # not the main thread / Windows
        loop.add_signal_handler(signal.SIGINT, quit_.set)
    print(
        f"connected; lines you type are sent, received ones start with {RECEIVED!r} (Ctrl-D or Ctrl-C quits)",
        file=err,
        flush=True,
    )
    lines: asyncio.Queue[str | None] = asyncio.Queue()
    threading.Thread(target=_stdin_lines, args=(loop, lines), daemon=True).start()

    async def pump_in() -> None:
        while (line := await lines.get()) is not None:
            await ws.send(line)

    async def pump_out() -> None:
        async for message in ws:
            shown = message if isinstance(message, str) else f"[binary, {len(message)} bytes]"
            print(f"{RECEIVED}{shown}", file=out, flush=True)

    tasks = {
        "in": asyncio.create_task(pump_in()),
        "out": asyncio.create_task(pump_out()),
        "quit": asyncio.create_task(quit_.wait()),
    }
    done, pending = await asyncio.wait(tasks.values(), return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    for task in done:  # a send or receive that failed because the connection went away
        if not task.cancelled() and isinstance(task.exception(), Exception):
            if not isinstance(task.exception(), ConnectionClosed):
                print(f"error: {type(task.exception()).__name__}: {task.exception()}", file=err, flush=True)
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.remove_signal_handler(signal.SIGINT)
    relay_closed = tasks["out"] in done or (tasks["in"] in done and ws.close_code is not None)
    if not relay_closed:  # you quit: Ctrl-D or Ctrl-C
        await ws.close()
        print("closed: 1000 (you quit)", file=err, flush=True)
        return 0
    await ws.wait_closed()
    code, reason = ws.close_code, ws.close_reason or ""
    if code in (None, 1006):  # no close frame: the gateway or the network went away
        print("connection lost: 1006 (no close frame)", file=err, flush=True)
        return 1
    print(f"closed by the relay: {describe_close(code, reason)}", file=err, flush=True)
    return 0 if code == 1000 else 1
