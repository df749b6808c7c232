"""The access API: a token in, a websocket URL with a one-time code out (reference 2.2).

Bodies keep practable's shapes so existing clients parse our refusals: go-openapi's
``{"code":401,...}`` for authentication, ``{"code":"400",...}`` + newline for handler errors,
and bare JSON strings for the session handler's 401s.
"""

from __future__ import annotations

import json
import logging

from fastapi import APIRouter, Request
from fastapi.responses import Response

from gateway.auth import AuthFailure, authenticate, has_required_claims
from gateway.errors import RelayError
from gateway.grants import Grant
from gateway.services import Services
from gateway.wire import MAX_BOOKING_ID_BYTES, MAX_TOPIC_BYTES, fits, session_uri
from tokentool.claims import Claims

log = logging.getLogger(__name__)
router = APIRouter()


def go_json(value: object) -> str:
    """Serialise like Go's json.Encoder: compact, HTML characters escaped, trailing newline."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def json_response(status: int, value: object) -> Response:
    return Response(go_json(value), status_code=status, media_type="application/json")


def failure_response(exc: AuthFailure) -> Response:
    if exc.bare:
        return json_response(exc.status, exc.message)
    if exc.numeric_code:
        body = json.dumps({"code": exc.status, "message": exc.message}, separators=(",", ":"))
        return Response(body, status_code=exc.status, media_type="application/json")
    return json_response(exc.status, {"code": str(exc.status), "message": exc.message})


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


async def bearer_claims(request: Request, svc: Services) -> Claims:
    """The request's token, validated against this gateway's keys and audience.

    Raises:
        AuthFailure: missing, invalid, expired or for another audience.
    """
    settings = svc.settings
    return await authenticate(
        request.headers.get("authorization"),
        verifier=svc.tokens,
        audience=settings.audience,
        now=svc.clock(),
    )


def checked_booking_id(claims: Claims) -> str:
    """The token's booking id ("" when absent), bounded before it becomes a KV key.

    Raises:
        AuthFailure: 400 naming the limit (a longer key would break the NATS connection).
    """
    booking_id = claims.booking_id or ""
    if not fits(booking_id, MAX_BOOKING_ID_BYTES):
        raise AuthFailure(400, f"bookingID longer than {MAX_BOOKING_ID_BYTES} bytes (or not UTF-8)")
    return booking_id


@router.post("/session/{topic:path}")
async def request_session(topic: str, request: Request) -> Response:
    """Exchange a session token for ``{"uri": "<RELAY_URL>/<prefix>/<topic>?code=<code>"}``."""
    svc = services(request)
    settings = svc.settings
    try:
        claims = await bearer_claims(request, svc)
        if not has_required_claims(claims):
            raise AuthFailure(401, "Token Missing Required Claims", bare=True)
        if not topic:
            raise AuthFailure(401, "Path Missing SessionID", bare=True)
        if claims.topic != topic:
            raise AuthFailure(401, "Token Wrong Topic", bare=True)
        if not fits(topic, MAX_TOPIC_BYTES):
            raise AuthFailure(400, f"topic longer than {MAX_TOPIC_BYTES} bytes")
        booking_id = checked_booking_id(claims)
        if not booking_id and not settings.allow_no_booking_id:
            raise AuthFailure(400, "empty bookingID field is not permitted")
        if booking_id and await svc.is_denied(booking_id):
            raise AuthFailure(
                400, "bookingID has been deny-listed, probably because the session was cancelled"
            )
        if booking_id:
            await svc.bookings.note_used(booking_id, int(claims.expires_at or 0))
        grant = Grant(
            topic=claims.topic,
            prefix=claims.prefix,
            scopes=tuple(claims.scopes),
            booking_id=booking_id,
            expires_at=int(claims.expires_at or 0),
            not_before=int(claims.not_before or 0),
            issued_at=int(claims.issued_at or 0),
            minted_at=svc.clock(),
        )
        code = await svc.codes.mint(grant)
    except AuthFailure as exc:
        svc.meters.access_requests.labels(outcome=f"refused_{exc.status}").inc()
        log.info("access refused", extra={"topic": topic, "status": exc.status, "reason": exc.message})
        return failure_response(exc)
    except RelayError as exc:
        svc.meters.access_requests.labels(outcome="unavailable").inc()
        return json_response(exc.http_status, {"code": str(exc.http_status), "message": exc.reason})
    svc.meters.access_requests.labels(outcome="granted").inc()
    log.info("access granted", extra={"topic": topic, "booking_id": booking_id})
    return json_response(200, {"uri": session_uri(settings.url, claims.prefix, claims.topic, code)})
