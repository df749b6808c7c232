"""What Relay puts on the wire: close codes, URL grammar and size limits.

Pure: no I/O. The close-code table here is the only one; docs/close-codes.md mirrors it.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final
from urllib.parse import quote

SESSION_PREFIX: Final = "session"  # the only connection type the relay serves (reference 5.1)
MAX_MESSAGE: Final = 10 * 1024 * 1024  # bytes, practable's limit; larger closes with 1009
MAX_REASON_BYTES: Final = 123  # RFC 6455 limit on a close reason

# Limits at the edge (docs/gateway.md). Topics and booking ids end up in NATS subjects and KV
# keys, and NATS closes a connection whose control line exceeds 4 KiB (nats-py does not come
# back from that), so every way in is bounded well below it.
MAX_TOPIC_BYTES: Final = 512  # UTF-8 bytes of a topic (a subject token of at most 1,536 characters)
MAX_BOOKING_ID_BYTES: Final = 256  # UTF-8 bytes of a booking id (a KV key of at most 342 characters)
# A jump client's topic is "<host_id>/<uuid>" followed by a 36-character salt.
CONNECT_SUFFIX_BYTES: Final = len("/") + 36 + 36
MAX_HOST_ID_BYTES: Final = MAX_TOPIC_BYTES - CONNECT_SUFFIX_BYTES  # 439
MAX_HEADER_BYTES: Final = 16 * 1024  # default RELAY_MAX_HEADER_BYTES: request line plus headers


class CloseCode(IntEnum):
    """Close codes Relay sends. 4000-4499 may reconnect; 4500-4999 are terminal for that code/token."""

    NORMAL = 1000
    INVALID_DATA = 1007  # a text message that is not UTF-8 (sent by the websocket layer, wsproto.py)
    POLICY = 1008  # generic refusal when nothing more specific applies
    TOO_BIG = 1009  # message over MAX_MESSAGE (sent by the websocket layer)
    INTERNAL = 1011
    SERVICE_RESTART = 1012  # gateway shutting down: reconnect, possibly to another replica
    TRY_AGAIN_LATER = 1013  # NATS unreachable: reconnect later
    # Reconnect allowed (the same token may get a new code and succeed).
    SLOW_CONSUMER = 4000
    # Terminal for this code or token.
    BAD_CODE = 4500  # missing, unknown, expired or already used one-time code
    TOKEN_MISMATCH = 4501  # topic, prefix, audience or scopes do not allow this connection
    SESSION_EXPIRED = 4502  # the token's exp has passed
    BOOKING_REVOKED = 4503  # booking cancelled (deny list)

    @property
    def may_reconnect(self) -> bool:
        return self < 4500


def fits(value: str, limit: int) -> bool:
    """Return whether ``value`` is encodable UTF-8 (no lone surrogates) of at most ``limit`` bytes."""
    if len(value) > limit:  # every character takes at least one byte
        return False
    try:
        return len(value.encode("utf-8")) <= limit
    except UnicodeEncodeError:  # a lone surrogate, e.g. from a "\\ud800" escape in a token
        return False


def truncate_reason(reason: str) -> str:
    """Cut a close reason to the 123 bytes RFC 6455 allows, on a character boundary."""
    encoded = reason.encode("utf-8")
    if len(encoded) <= MAX_REASON_BYTES:
        return reason
    return encoded[:MAX_REASON_BYTES].decode("utf-8", errors="ignore")


def quote_topic(topic: str) -> str:
    """Percent-encode a topic for a URL path, keeping '/' and the characters practable topics use.

    '%' itself is encoded: paths are compared after decoding, so a literal '%' must survive it;
    so is '.', lest a client resolve '.' or '..' segments into another path.
    """
    return quote(topic, safe="/-_~!$&'()*+,;=:@").replace(".", "%2E")


def session_uri(relay_url: str, prefix: str, topic: str, code: str) -> str:
    """The websocket URL handed out by the access API (reference 2.2)."""
    return f"{relay_url.rstrip('/')}/{prefix}/{quote_topic(topic)}?code={code}"


# The ASGI extension (scope["extensions"] key) through which gateway.wsproto offers a direct,
# non-waiting write of one frame: ``send_now(message) -> bool``.
SEND_NOW: Final = "relay.send_now"
