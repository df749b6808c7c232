"""ssh across the relay, compatible with practable/jump (reference 11).

Access: ``POST /api/v1/connect/{host_id}`` with a host, client or stats token. Websockets:
``/connect/<host_id>`` (the host's management connection) and ``/connect/<host_id>/<uuid>``
(one per ssh session, for the client and for the host's side of it). Connect topics live in a
hub and NATS namespace of their own, are lossless (back-pressure, never drops) and keep jump's
control messages: ``connect`` tells the host where to dial; ``disconnect`` says a side ended.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import replace

from fastapi import APIRouter, Request, WebSocket
from fastapi.responses import Response

from gateway.access import bearer_claims, checked_booking_id, failure_response, json_response, services
from gateway.auth import AuthFailure, has_required_claims
from gateway.errors import BusUnavailable, ConnectionRefused, RelayError
from gateway.grants import Grant
from gateway.hub import Hub
from gateway.lifecycle import Route, new_session, serve
from gateway.services import Services
from gateway.session import Session
from gateway.stats import STATS_TOPIC
from gateway.wire import MAX_HOST_ID_BYTES, fits, session_uri
from gateway.ws import run_session

log = logging.getLogger(__name__)
router = APIRouter()

CONNECT_PREFIX = "connect"


def _jump_failure(message: str) -> AuthFailure:
    return AuthFailure(401, message)


@router.post("/api/v1/connect/{host_id}")
async def request_connect(host_id: str, request: Request) -> Response:
    """jump's access endpoint: a host, client or stats token in, a one-time connect URL out."""
    svc = services(request)
    settings = svc.settings
    try:
        claims = await bearer_claims(request, svc)
        if not has_required_claims(claims):
            raise _jump_failure("token missing required claims")
        if not host_id:
            raise _jump_failure("path missing host_id")
        if claims.topic != host_id:
            raise _jump_failure("host_id does not match topic in token")
        if not fits(host_id, MAX_HOST_ID_BYTES):  # a client's topic adds "/<uuid>" and a salt
            raise AuthFailure(400, f"host_id longer than {MAX_HOST_ID_BYTES} bytes")
        is_host, is_client, is_stats = (claims.has_scope(s) for s in ("host", "client", "stats"))
        if is_stats and host_id != STATS_TOPIC:
            raise _jump_failure("path not valid for stats scope")
        if host_id == STATS_TOPIC and not is_stats:
            raise _jump_failure("path not valid without stats scope")
        if not (is_host or is_client or is_stats):
            raise _jump_failure("missing client, host or stats scope")
        if is_host and is_client:
            raise _jump_failure("can only have client or host scope, not both")
        booking_id = checked_booking_id(claims)
        if booking_id and await svc.is_denied(booking_id):
            raise AuthFailure(
                400, "bookingID has been deny-listed, probably because the session was cancelled"
            )
        topic, salt, alert = host_id, "", False
        if is_client:
            topic, salt, alert = f"{host_id}/{uuid.uuid4()}", str(uuid.uuid4()), True
        scopes = tuple(dict.fromkeys((*claims.scopes, "read", "write")))
        grant = Grant(
            topic=topic,
            prefix=claims.prefix,
            scopes=scopes,
            booking_id=booking_id,
            expires_at=int(claims.expires_at or 0),
            not_before=int(claims.not_before or 0),
            issued_at=int(claims.issued_at or 0),
            minted_at=svc.clock(),
            topic_salt=salt,
            alert_host=alert,
        )
        code = await svc.codes.mint(grant)
    except AuthFailure as exc:
        svc.meters.access_requests.labels(outcome=f"refused_{exc.status}").inc()
        return failure_response(exc)
    except RelayError as exc:
        return json_response(exc.http_status, {"code": str(exc.http_status), "message": exc.reason})
    svc.meters.access_requests.labels(outcome="granted").inc()
    return json_response(200, {"uri": session_uri(settings.url, claims.prefix, topic, code)})


def control(action: str, uri: str, pair: str) -> str:
    """jump's control message, fields in Go struct order."""
    return json.dumps({"action": action, "uri": uri, "uuid": pair}, separators=(",", ":"))


async def _tell_host(hub: Hub, host_id: str, message: str) -> None:
    """Send a control message to the host's management connection, wherever it is."""
    sender = Session(topic=host_id, can_read=False, can_write=True)  # not a member: reaches every reader
    await hub.publish(sender, message)
    if sender.counters.unsent and not hub.has_readers(host_id):
        raise BusUnavailable("cannot reach the host's replica")


class ConnectRoute(Route):
    """``/connect``'s parts of the lifecycle: its hub, the pair, the host alert, the gate, the pair's end."""

    prefix = CONNECT_PREFIX

    def __init__(self, topic: str) -> None:
        self.topic = topic
        self.host_id = topic.split("/", 1)[0]
        self.gated = False  # a client connection: alerts the host, reads nothing before it speaks
        self.alerted = False  # the host was told to dial this pair

    def hub(self, svc: Services, grant: Grant) -> Hub:
        if svc.connect_hub is None:
            raise ConnectionRefused("connect topics are not served here")
        # jump's stats connection: served from the session stats topic (practable's report format).
        return svc.hub if self.topic == STATS_TOPIC else svc.connect_hub

    def session(self, svc: Services, grant: Grant, websocket: WebSocket, hub: Hub) -> Session:
        self.gated = grant.alert_host
        return new_session(
            svc,
            grant,
            websocket,
            topic=self.topic + grant.topic_salt,  # only holders of a code minted for this pair share it
            lossless=hub is not svc.hub,
            pair=grant.pair or (str(uuid.uuid4()) if grant.alert_host else ""),
        )

    async def joined(self, svc: Services, session: Session, grant: Grant, hub: Hub) -> None:
        if not grant.alert_host:
            return
        # Mint the host's way into this pair and tell its management connection to dial it.
        host_grant = replace(grant, alert_host=False, pair=session.pair, minted_at=svc.clock())
        host_code = await svc.codes.mint(host_grant)
        uri = session_uri(svc.settings.url, CONNECT_PREFIX, self.topic, host_code)
        self.alerted = True
        await _tell_host(hub, self.host_id, control("connect", uri, session.pair))

    async def run(self, websocket: WebSocket, session: Session, hub: Hub, svc: Services) -> None:
        gate = session.first_delivery if self.gated else None
        await run_session(websocket, session, hub, now=svc.clock(), gate=gate)

    async def ended(self, svc: Services, session: Session, hub: Hub) -> None:
        # Either side ending ends the pair: the host closes its side, the peer is closed here or
        # on whichever replica holds it. A client refused before the host heard of it ends nothing.
        if not session.pair or hub is not svc.connect_hub or (self.gated and not self.alerted):
            return
        try:
            await _tell_host(hub, self.host_id, control("disconnect", "", session.pair))
            # Why this side ended (the gateway's close, else the client's) is the peer's reason too.
            await svc.end_pair(session.pair, session.close_request or session.client_close)
        except BusUnavailable:
            log.warning("could not announce the end of pair %s", session.pair)


async def connect_route(websocket: WebSocket, topic: str) -> None:
    """``/connect/{topic}``, dispatched by ``gateway.app.WebSocketRoutes``."""
    await serve(websocket, topic, ConnectRoute(topic))
