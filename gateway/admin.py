"""Admin and observability routes: deny/allow lists (reference 2.3-2.5), /status (2.6), /metrics."""

from __future__ import annotations

import logging
import re

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from gateway.access import bearer_claims, failure_response, json_response, services
from gateway.auth import AuthFailure, has_required_claims
from gateway.errors import RelayError
from gateway.services import Services
from gateway.stats import status_entry
from gateway.wire import MAX_BOOKING_ID_BYTES, fits
from tokentool.claims import MAX_NUMERIC_DATE, Claims

log = logging.getLogger(__name__)
router = APIRouter()

ADMIN = "relay:admin"
STATS = "relay:stats"
_INT64 = re.compile(r"[+-]?[0-9]{1,19}")


def _require(claims: Claims, scope: str, message: str) -> None:
    if not has_required_claims(claims, need_topic=False) or not claims.has_scope(scope):
        raise AuthFailure(401, message)


def _int64(raw: str) -> int:
    """Parse as Go's strconv.ParseInt(raw, 10, 64): no blanks, no underscores, no 10**4300.

    Raises:
        AuthFailure: 422, go-openapi's refusal of a query value that is not an int64.
    """
    if _INT64.fullmatch(raw) is None or not -(2**63) <= int(raw) < 2**63:
        raise AuthFailure(422, f"exp in query must be of type int64: {raw[:40]!r}")
    return int(raw)


def _booking_args(request: Request, svc: Services, *, past_message: str) -> tuple[str, int]:
    bid = request.query_params.get("bid", "")
    raw_exp = request.query_params.get("exp")
    if raw_exp is None:
        raise AuthFailure(422, "exp in query is required")
    exp = _int64(raw_exp)
    if not bid:
        raise AuthFailure(400, "bid (booking id) missing")
    if not fits(bid, MAX_BOOKING_ID_BYTES):
        raise AuthFailure(400, f"bid (booking id) longer than {MAX_BOOKING_ID_BYTES} bytes")
    if exp < svc.clock():
        raise AuthFailure(400, past_message.format(exp=exp))
    if exp > MAX_NUMERIC_DATE:
        raise AuthFailure(
            400, f"booking expiry time (exp) of [{exp}] is after {MAX_NUMERIC_DATE} (year 9999)"
        )
    return bid, exp


@router.post("/bids/deny", status_code=204)
async def deny(request: Request) -> Response:
    """Deny a booking: close its connections on every replica, refuse its codes and new sessions."""
    svc = services(request)
    try:
        claims = await bearer_claims(request, svc)
        if not has_required_claims(claims, need_topic=False):
            raise AuthFailure(401, "is token missing relay:admin scope? token Missing Required Claims")
        if not claims.has_scope(ADMIN):
            raise AuthFailure(401, "is token missing relay:admin scope? missing relay:admin Scope")
        bid, exp = _booking_args(
            request, svc, past_message="booking expiry time (exp) of [{exp}] missing or in the past"
        )
        await svc.bookings.deny(bid, exp)
        svc.meters.denies.inc()
        closed = svc.revoke_local(bid)
        await svc.announce_revoke(bid)
    except AuthFailure as exc:
        return failure_response(exc)
    except RelayError as exc:
        return json_response(exc.http_status, {"code": str(exc.http_status), "message": exc.reason})
    log.info("booking denied", extra={"booking_id": bid, "closed_here": closed})
    return Response(status_code=204)


@router.post("/bids/allow", status_code=204)
async def allow(request: Request) -> Response:
    svc = services(request)
    try:
        _require(await bearer_claims(request, svc), ADMIN, "token missing relay:admin scope")
        bid, exp = _booking_args(
            request, svc, past_message="exp (booking expiry time) missing or in the past"
        )
        await svc.bookings.allow(bid, exp)
    except AuthFailure as exc:
        return failure_response(exc)
    except RelayError as exc:
        return json_response(exc.http_status, {"code": str(exc.http_status), "message": exc.reason})
    log.info("booking allowed", extra={"booking_id": bid})
    return Response(status_code=204)


async def _list(request: Request, which: str) -> Response:
    svc = services(request)
    try:
        _require(await bearer_claims(request, svc), ADMIN, "token missing relay:admin scope")
        ids = await (svc.bookings.denied() if which == "deny" else svc.bookings.allowed())
    except AuthFailure as exc:
        return failure_response(exc)
    except RelayError as exc:
        return json_response(exc.http_status, {"code": str(exc.http_status), "message": exc.reason})
    return json_response(200, {"booking_ids": sorted(ids)})


@router.get("/bids/deny")
async def list_denied(request: Request) -> Response:
    return await _list(request, "deny")


@router.get("/bids/allow")
async def list_allowed(request: Request) -> Response:
    return await _list(request, "allow")


@router.get("/status")
async def status(request: Request) -> Response:
    """Every connection of every replica (practable's fields plus replica, booking and counters)."""
    svc = services(request)
    try:
        _require(await bearer_claims(request, svc), STATS, "token missing relay:stats scope")
        records = await svc.all_records()
    except AuthFailure as exc:
        return failure_response(exc)
    except RelayError as exc:
        return json_response(exc.http_status, {"code": str(exc.http_status), "message": exc.reason})
    return json_response(200, [status_entry(r) for r in records])


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    return Response(generate_latest(services(request).meters.registry), media_type=CONTENT_TYPE_LATEST)
