"""The relay websocket route: checks before accept, then a reader and a writer task.

Every refusal after the handshake is a close frame with a code from ``wire.CloseCode``
(browsers see close codes, not HTTP statuses). Exceptions become close codes in one place.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from fastapi import APIRouter, WebSocket
from starlette.types import Message as ASGIMessage
from starlette.types import Receive
from starlette.websockets import WebSocketDisconnect

from gateway.errors import (
    BookingDenied,
    BusUnavailable,
    CodeRejected,
    ConnectionRefused,
    RelayError,
    SessionExpired,
)
from gateway.grants import Grant
from gateway.hub import Hub
from gateway.services import Services
from gateway.session import Session
from gateway.wire import SESSION_PREFIX, CloseCode, truncate_reason

log = logging.getLogger(__name__)
router = APIRouter()

REDEMPTION_OUTCOMES = {
    CloseCode.BAD_CODE: "bad_code",
    CloseCode.TOKEN_MISMATCH: "mismatch",
    CloseCode.SESSION_EXPIRED: "expired",
    CloseCode.BOOKING_REVOKED: "denied",
    CloseCode.TRY_AGAIN_LATER: "unavailable",
}
CLOSE_TIMEOUT = 2.0  # seconds to get a close frame out to a peer that may have stopped reading


def check_grant(grant: Grant, *, prefix: str, topic: str, now: float) -> None:
    """The relay's checks of a redeemed grant (reference 5.1), in practable's order.

    Raises:
        ConnectionRefused: wrong connection type, topic or scopes.
        SessionExpired: not yet valid or already expired.
    """
    if grant.prefix != prefix:
        raise ConnectionRefused(f"code is for /{grant.prefix}, not /{prefix}")
    if grant.not_before and grant.not_before > now:
        raise SessionExpired("token not yet valid")
    if grant.topic != topic:
        raise ConnectionRefused("code is for another topic")
    if grant.expires_at and grant.expires_at < now:
        raise SessionExpired("token expired")
    if not (grant.can_read or grant.can_write):
        raise ConnectionRefused("token has neither read nor write scope")


async def refuse(websocket: WebSocket, exc: RelayError) -> None:
    """Accept only to say why: a close frame carries a code and reason a browser can read."""
    await websocket.accept(subprotocol=_subprotocol(websocket))
    await websocket.close(code=int(exc.close_code), reason=exc.reason)


def _subprotocol(websocket: WebSocket) -> str | None:
    # practable offers "null", which some browser clients ask for.
    return "null" if "null" in websocket.scope.get("subprotocols", ()) else None


@router.websocket("/session/{topic:path}")
async def session_route(websocket: WebSocket, topic: str) -> None:
    svc: Services = websocket.app.state.services
    settings = svc.settings
    code = websocket.query_params.get("code", "")
    try:
        if not code:
            raise CodeRejected("missing code")
        if svc.draining:
            raise BusUnavailable("gateway shutting down")
        grant = await svc.codes.redeem(code)
        check_grant(grant, prefix=SESSION_PREFIX, topic=topic, now=svc.clock())
        # A code minted before a deny must not connect after it (reference 5.1, check 6).
        if grant.booking_id and await svc.bookings.is_denied(grant.booking_id):
            raise BookingDenied("booking cancelled")
    except RelayError as exc:
        svc.meters.redemptions.labels(outcome=REDEMPTION_OUTCOMES.get(exc.close_code, "error")).inc()
        log_connection("refused", topic=topic, close_code=int(exc.close_code), reason=exc.reason)
        await refuse(websocket, exc)
        return
    headers = websocket.headers
    session = Session(
        topic=topic,
        can_read=grant.can_read,
        can_write=grant.can_write,
        booking_id=grant.booking_id,
        expires_at=grant.expires_at,
        connected_at=svc.clock(),
        scopes=grant.scopes,
        user_agent=headers.get("user-agent", ""),
        remote_addr=headers.get("x-forwarded-for", ""),
        max_messages=settings.buffer_size,
        max_bytes=settings.buffer_bytes,
    )
    try:
        # Join (and subscribe) before accepting: once the client sees the connection open,
        # every message published on its topic from then on reaches it.
        await svc.hub.join(session)
    except BusUnavailable as exc:
        await refuse(websocket, exc)
        return
    svc.meters.redemptions.labels(outcome="connected").inc()
    try:
        await websocket.accept(subprotocol=_subprotocol(websocket))
    except (WebSocketDisconnect, OSError, RuntimeError):
        await svc.hub.leave(session)
        return
    log_connection("open", topic=topic, session=session)
    try:
        await run_session(websocket, session, svc.hub, now=svc.clock())
    finally:
        await svc.hub.leave(session)
        svc.meters.session_closed(session)
        log_connection("closed", topic=topic, session=session)


def log_connection(outcome: str, *, topic: str, session: Session | None = None, **fields: object) -> None:
    """One INFO line per connection event (refused, open, closed) with stable keys.

    Never a token or a code: only what identifies the connection and why it ended.
    """
    extra: dict[str, object] = {"event": "connection", "outcome": outcome, "topic": topic}
    if session is not None:
        extra.update(conn_id=session.conn_id, booking_id=session.booking_id)
        if session.pair:
            extra["pair"] = session.pair
        if outcome == "closed":
            c = session.counters
            closed_by = session.close_request or session.client_close
            extra.update(
                close_code=closed_by[0] if closed_by else None,
                reason=closed_by[1] if closed_by else "",
                closed_by="gateway" if session.close_request else "client",
                dropped=c.dropped,
                messages_in=c.messages_in,
                messages_out=c.messages_out,
            )
    extra.update(fields)
    log.info("connection %s", outcome, extra=extra)


async def run_session(
    websocket: WebSocket, session: Session, hub: Hub, *, now: float, gate: asyncio.Event | None = None
) -> None:
    """Pump messages until the client leaves or something asks the session to close.

    With ``gate``, nothing the client sends is read before the gate opens.
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
    closer = asyncio.create_task(session.closing())
    try:
        await asyncio.wait((reader, writer, closer), return_when=asyncio.FIRST_COMPLETED)
    finally:
        if expiry is not None:
            expiry.cancel()
        for task in (reader, writer, closer):
            task.cancel()
        await asyncio.gather(reader, writer, closer, return_exceptions=True)
    if session.close_request is not None:
        code, reason = session.close_request
        # A peer that stopped reading never takes the close frame; don't wait on it forever.
        with contextlib.suppress(Exception, TimeoutError):
            async with asyncio.timeout(CLOSE_TIMEOUT):
                await websocket.close(code=code, reason=truncate_reason(reason))


HOLD_BEFORE_GATE = 64  # messages read and held while a gated client waits for its host


async def _hold_until(gate: asyncio.Event, receive: Receive) -> list[ASGIMessage] | None:
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


async def _read(websocket: WebSocket, session: Session, hub: Hub, gate: asyncio.Event | None) -> None:
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
        session.record_in(data, clock())
        if not can_write:
            continue  # practable reads and discards what a read-only connection sends
        try:
            if await hub.publish(session, data):
                if session.lossless:
                    await hub.wait_space(session)  # back-pressure: never drop on a pipe
                else:
                    # uvicorn hands us buffered frames without suspending; let local writers drain.
                    await asyncio.sleep(0)
        except BusUnavailable as exc:
            session.request_close(exc.close_code, exc.reason)
            return


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
    except (WebSocketDisconnect, OSError, RuntimeError):
        return  # the peer went away while we were writing
