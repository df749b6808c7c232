"""Relay's exception tree.

Each refusal carries what both faces of the gateway need: an HTTP status and JSON body for
the access API, and a websocket close code and reason for the relay.
"""

from __future__ import annotations

from gateway.wire import CloseCode, truncate_reason


class RelayError(Exception):
    http_status: int = 500
    close_code: CloseCode = CloseCode.INTERNAL

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = truncate_reason(reason)


class BusUnavailable(RelayError):
    """NATS cannot be reached or refused an operation."""

    http_status = 503
    close_code = CloseCode.TRY_AGAIN_LATER


class CodeRejected(RelayError):
    """A one-time code is missing, unknown, expired or already redeemed."""

    http_status = 401
    close_code = CloseCode.BAD_CODE


class ConnectionRefused(RelayError):
    """The redeemed token does not allow this websocket (topic, prefix, scopes)."""

    http_status = 403
    close_code = CloseCode.TOKEN_MISMATCH


class SessionExpired(RelayError):
    http_status = 401
    close_code = CloseCode.SESSION_EXPIRED


class BookingDenied(RelayError):
    http_status = 400
    close_code = CloseCode.BOOKING_REVOKED
