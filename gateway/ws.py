"""The ``/session`` websocket route and the message pump every relay connection runs.

Admission, teardown, and turning exceptions into close codes are ``gateway.lifecycle``'s; this
module moves messages: a reader task, a writer task and the session's close request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from fastapi import WebSocket
from starlette.types import Message as ASGIMessage
from starlette.types import Receive

from gateway.flag import Flag
from gateway.hub import Hub
from gateway.lifecycle import DISCONNECTS, Route, serve
from gateway.lifecycle import check_grant as check_grant  # re-exported: tests and older callers
from gateway.services import Services
from gateway.session import Session
from gateway.wire import CloseCode

log = logging.getLogger(__name__)


DRAIN_TIMEOUT = 2.0  # seconds to relay what a departed peer sent before it went


class SessionRoute(Route):
    """``/session``: the lifecycle's defaults, pumping with ``run_session``."""

    async def run(self, websocket: WebSocket, session: Session, hub: Hub, svc: Services) -> None:
        await run_session(websocket, session, hub, now=svc.clock())


async def session_route(websocket: WebSocket, topic: str) -> None:
    """``/session/{topic}``, dispatched by ``gateway.app.WebSocketRoutes``."""
    await serve(websocket, topic, SessionRoute())


async def run_session(
    websocket: WebSocket, session: Session, hub: Hub, *, now: float, gate: Flag | None = None
) -> None:
    """Pump messages until the client leaves or something asks the session to close.

    With ``gate``, nothing the client sends is read before the gate opens. The close frame is
    the lifecycle's to send (``session.close_request``).

    Raises:
        Exception: what the reader or writer raised unexpectedly (a client going away is not).
    """
    loop = asyncio.get_running_loop()
    expiry = None
    if session.expires_at:
        expiry = loop.call_later(
            max(0.0, session.expires_at - now),
            session.request_close,
            CloseCode.SESSION_EXPIRED,
            "session expired",
        )
    reader = asyncio.create_task(_read(websocket, session, hub, gate))
    writer = asyncio.create_task(_write(websocket, session))
    closer = session.close_requested()  # a future, not a task: idle connections stay small
    try:
        done, _ = await asyncio.wait((reader, writer, closer), return_when=asyncio.FIRST_COMPLETED)
        if writer in done and not reader.done() and _peer_gone(writer):
            # The peer went away while we wrote to it; what it sent before going is still in
            # uvicorn's queue, ahead of the disconnect: relay that before stopping the reader.
            await asyncio.wait((reader, closer), timeout=DRAIN_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if expiry is not None:
            expiry.cancel()
        for task in (reader, writer, closer):
            task.cancel()
        session.forget_close(closer)
        await asyncio.gather(reader, writer, closer, return_exceptions=True)
    for task in (reader, writer):
        failure = None if task.cancelled() else task.exception()
        if failure is not None and not isinstance(failure, DISCONNECTS):
            raise failure  # the lifecycle logs it and closes with 1011


def _peer_gone(task: asyncio.Task[None]) -> bool:
    failure = task.exception()
    return failure is None or isinstance(failure, DISCONNECTS)


HOLD_BEFORE_GATE = 64  # messages read and held while a gated client waits for its host


async def _hold_until(gate: Flag, receive: Receive) -> list[ASGIMessage] | None:
    """jump's server-speaks-first rule: hold what an ssh client sends until the host has spoken.

    Keeps reading meanwhile (up to HOLD_BEFORE_GATE messages) so that a client leaving is seen.
    Returns the held messages, or None if the client disconnected first.
    """
    held: list[ASGIMessage] = []
    opened = asyncio.ensure_future(gate.wait())
    try:
        while not gate.is_set() and len(held) < HOLD_BEFORE_GATE:
            incoming = asyncio.ensure_future(receive())
            await asyncio.wait((incoming, opened), return_when=asyncio.FIRST_COMPLETED)
            if not incoming.done():
                incoming.cancel()  # the gate opened: nothing was taken from the queue
                with contextlib.suppress(asyncio.CancelledError):
                    await incoming
                break
            message = incoming.result()
            if message["type"] != "websocket.receive":
                return None
            held.append(message)
        await opened
    finally:
        opened.cancel()
    return held


async def _read(websocket: WebSocket, session: Session, hub: Hub, gate: Flag | None) -> None:
    receive = websocket.receive
    clock = time.time
    can_write = session.can_write
    held: list[ASGIMessage] = []
    if gate is not None:
        found = await _hold_until(gate, receive)
        if found is None:
            return
        held = found
    while True:
        message = held.pop(0) if held else await receive()
        if message["type"] != "websocket.receive":
            # websocket.disconnect: the client closed or the gateway is shutting down
            session.client_close = (int(message.get("code") or 1005), str(message.get("reason") or ""))
            return
        data = message.get("text")
        if data is None:
            data = message.get("bytes") or b""
        size = session.record_in(data, clock())
        if not can_write:
            continue  # practable reads and discards what a read-only connection sends
        # A message that cannot reach the other replicas is reported to this session by the bus
        # (Session.bus_failed); publish itself waits while the bus is full (back-pressure).
        if await hub.publish(session, data, size):
            if session.lossless:
                await hub.wait_space(session)  # back-pressure: never drop on a pipe
            else:
                # uvicorn hands us buffered frames without suspending; let local writers drain.
                await asyncio.sleep(0)


async def _write(websocket: WebSocket, session: Session) -> None:
    send = websocket.send
    clock = time.time
    try:
        while True:
            await session.wait()
            while (message := session.take()) is not None:
                if isinstance(message, str):
                    await send({"type": "websocket.send", "text": message})
                else:
                    await send({"type": "websocket.send", "bytes": message})
                session.record_out(message, clock())
    except DISCONNECTS:
        return  # the peer went away while we were writing
