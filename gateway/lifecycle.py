"""One lifecycle for every relay websocket, ``/session`` and ``/connect`` alike.

redeem -> check the grant -> join the hub -> check the deny list -> accept -> run -> leave
-> log, all in ``serve``; a ``Route`` supplies the route-specific parts. Whatever fails, a joined
session leaves its hub, and every exception becomes a close code and one log line here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Final

from fastapi import WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketDisconnected

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
from gateway.wire import SEND_NOW, SESSION_PREFIX, CloseCode, truncate_reason

log = logging.getLogger(__name__)

REDEMPTION_OUTCOMES = {
    CloseCode.BAD_CODE: "bad_code",
    CloseCode.TOKEN_MISMATCH: "mismatch",
    CloseCode.SESSION_EXPIRED: "expired",
    CloseCode.BOOKING_REVOKED: "denied",
    CloseCode.TRY_AGAIN_LATER: "unavailable",
}
CLOSE_TIMEOUT = 2.0  # seconds to get a close frame out to a peer that may have stopped reading
INTERNAL_ERROR: Final = "internal error"

# A client that went away is not an error. uvicorn's ClientDisconnected (raised by send() once
# the peer is gone) is an OSError; starlette raises WebSocketDisconnect, and WebSocketDisconnected
# for a socket it already saw closed.
DISCONNECTS: Final = (WebSocketDisconnect, WebSocketDisconnected, OSError)


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


def subprotocol(websocket: WebSocket) -> str | None:
    # practable offers "null", which some browser clients ask for.
    return "null" if "null" in websocket.scope.get("subprotocols", ()) else None


async def refuse(websocket: WebSocket, exc: RelayError) -> None:
    """Accept only to say why: a close frame carries a code and reason a browser can read."""
    with contextlib.suppress(*DISCONNECTS):  # a client already gone needs no reason
        await websocket.accept(subprotocol=subprotocol(websocket))
        await websocket.close(code=int(exc.close_code), reason=exc.reason)


class Refusal(RelayError):
    """A close already requested for a session that is not yet accepted (a revoke, a pair end)."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.close_code = code  # type: ignore[assignment]  # any close code, not only the table's


def log_connection(outcome: str, *, topic: str, session: Session | None = None, **fields: object) -> None:
    """One INFO line per connection event (refused, open, closed, gone) with stable keys.

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


def log_failure(exc: BaseException, *, topic: str, session: Session | None = None) -> None:
    """The one ERROR line, with traceback, of an unexpected exception on a connection."""
    conn_id = session.conn_id if session is not None else "-"
    extra: dict[str, object] = {"event": "connection", "outcome": "error", "topic": topic, "conn_id": conn_id}
    if session is not None:
        extra["booking_id"] = session.booking_id
    log.error("connection %s on topic %r failed: %r", conn_id, topic, exc, exc_info=exc, extra=extra)


def new_session(
    svc: Services,
    grant: Grant,
    websocket: WebSocket,
    *,
    topic: str = "",
    lossless: bool = False,
    pair: str = "",
) -> Session:
    """The session of an admitted connection; ``topic`` (default the grant's), ``lossless`` and
    ``pair`` are what a route may change."""
    headers = websocket.headers
    return Session(
        topic=topic or grant.topic,
        can_read=grant.can_read,
        can_write=grant.can_write,
        booking_id=grant.booking_id,
        expires_at=grant.expires_at,
        connected_at=svc.clock(),
        scopes=grant.scopes,
        user_agent=headers.get("user-agent", ""),
        remote_addr=headers.get("x-forwarded-for", ""),
        max_messages=svc.settings.buffer_size,
        max_bytes=svc.settings.buffer_bytes,
        lossless=lossless,
        pair=pair,
    )


class Route:
    """The route-specific parts of a connection's lifecycle; one instance per connection.

    The defaults are ``/session``'s; ``run`` (the message pump) must be given.
    """

    prefix: str = SESSION_PREFIX

    def hub(self, svc: Services, grant: Grant) -> Hub:
        """The hub the connection joins.

        Raises:
            RelayError: to refuse the connection.
        """
        return svc.hub

    def session(self, svc: Services, grant: Grant, websocket: WebSocket, hub: Hub) -> Session:
        return new_session(svc, grant, websocket)

    async def joined(self, svc: Services, session: Session, grant: Grant, hub: Hub) -> None:
        """Registered and not denied, not yet accepted. A RelayError refuses the connection."""

    async def run(self, websocket: WebSocket, session: Session, hub: Hub, svc: Services) -> None:
        """Pump messages until the connection ends; raise what went wrong unexpectedly."""
        raise NotImplementedError

    async def ended(self, svc: Services, session: Session, hub: Hub) -> None:
        """The session has left its hub, whether it was accepted or not."""


async def serve(websocket: WebSocket, topic: str, route: Route) -> None:
    """Run one websocket connection from its code to its last log line.

    Never raises (except cancellation): every failure reaches the client as a close code.
    """
    svc: Services = websocket.app.state.services
    try:
        grant = await _redeem(svc, websocket, topic, route)
        hub = route.hub(svc, grant)
    except RelayError as exc:
        _refused(svc, topic, exc)
        await refuse(websocket, exc)
        return
    except Exception as exc:  # a bug or an untranslated dependency error: still a close code
        log_failure(exc, topic=topic)
        await _refuse_internal(svc, websocket, topic)
        return
    session = route.session(svc, grant, websocket, hub)
    accepted = False
    try:
        try:
            await _join(svc, session, grant, hub, route)
        except RelayError as exc:
            _refused(svc, topic, exc, session)
            await refuse(websocket, exc)
            return
        svc.meters.redemptions.labels(outcome="connected").inc()
        try:
            await websocket.accept(subprotocol=subprotocol(websocket))
        except DISCONNECTS:
            log_connection("gone", topic=topic, session=session, reason="client left before accept")
            return
        accepted = True
        session.direct = websocket.scope.get("extensions", {}).get(SEND_NOW)  # where the server has it
        log_connection("open", topic=topic, session=session)
        await route.run(websocket, session, hub, svc)
    except Exception as exc:
        log_failure(exc, topic=topic, session=session)
        if not accepted:
            await _refuse_internal(svc, websocket, topic, session)
            return
        session.request_close(CloseCode.INTERNAL, INTERNAL_ERROR)
    finally:
        await _end(websocket, svc, session, hub, route, topic=topic, accepted=accepted)


async def _redeem(svc: Services, websocket: WebSocket, topic: str, route: Route) -> Grant:
    code = websocket.query_params.get("code", "")
    if not code:
        raise CodeRejected("missing code")
    if svc.draining:
        raise BusUnavailable("gateway shutting down")
    grant = await svc.codes.redeem(code)
    check_grant(grant, prefix=route.prefix, topic=topic, now=svc.clock())
    # A code minted before a deny must not connect after it (reference 5.1, check 6): that is
    # _join's deny read, after registering. A read here as well would be a KV round trip per
    # connection that changes no outcome.
    return grant


async def _join(svc: Services, session: Session, grant: Grant, hub: Hub, route: Route) -> None:
    """Register ``session``, then look at the deny list.

    A revoke that lands after the first check either finds the session registered (and asks it
    to close) or is seen by this second read; with no gap between, nothing slips through.
    Join (and subscribe) before accepting: once the client sees the connection open, every
    message published on its topic from then on reaches it.
    """
    await hub.join(session)
    if session.booking_id and await svc.is_denied(session.booking_id):
        raise BookingDenied("booking cancelled")
    if session.close_request is None:
        await route.joined(svc, session, grant, hub)
    if session.close_request is not None:  # revoked (or its pair ended) while we were joining
        raise Refusal(*session.close_request)


def _refused(svc: Services, topic: str, exc: RelayError, session: Session | None = None) -> None:
    svc.meters.redemptions.labels(outcome=REDEMPTION_OUTCOMES.get(exc.close_code, "error")).inc()
    log_connection("refused", topic=topic, session=session, close_code=int(exc.close_code), reason=exc.reason)


async def _refuse_internal(
    svc: Services, websocket: WebSocket, topic: str, session: Session | None = None
) -> None:
    exc = RelayError(INTERNAL_ERROR)
    _refused(svc, topic, exc, session)
    with contextlib.suppress(Exception):  # the failure is logged; this is only a courtesy frame
        await refuse(websocket, exc)


async def _end(
    websocket: WebSocket,
    svc: Services,
    session: Session,
    hub: Hub,
    route: Route,
    *,
    topic: str,
    accepted: bool,
) -> None:
    """Leave the hub, send the requested close frame, let the route clean up, log the close."""
    await hub.leave(session)  # first, and unconditionally: no registration outlives its connection
    try:
        if accepted and session.close_request is not None:
            code, reason = session.close_request
            # A peer that stopped reading never takes the close frame; don't wait on it forever.
            with contextlib.suppress(*DISCONNECTS, TimeoutError):
                async with asyncio.timeout(CLOSE_TIMEOUT):
                    await websocket.close(code=code, reason=truncate_reason(reason))
        await route.ended(svc, session, hub)
    except Exception as exc:
        log_failure(exc, topic=topic, session=session)
    if accepted:
        svc.meters.session_closed(session)
        log_connection("closed", topic=topic, session=session)
