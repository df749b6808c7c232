"""Relay and jump JWT claims: the value type, encoding byte-identical to practable, and verification.

Pure (stdlib and pyjwt only): no I/O, no logging, no clock except an injectable ``now``.
Every ``jwt.*`` exception is translated into a ``TokenError`` subclass here, at the boundary.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

import jwt
from jwt.algorithms import HMACAlgorithm

from tokentool.durations import format_duration


class Scope(StrEnum):
    """Scopes known to relay (``read``/``write``/``relay:*``) and jump (``host``/``client``/``stats``)."""

    READ = "read"
    WRITE = "write"
    ADMIN = "relay:admin"
    STATS = "relay:stats"
    HOST = "host"
    CLIENT = "client"
    JUMP_STATS = "stats"


ALLOWED_ALGORITHMS: Final[tuple[str, ...]] = ("HS256", "HS384", "HS512")
# The header practable emits, exactly (jwt-go field order, compact).
_HEADER_JSON: Final = b'{"alg":"HS256","typ":"JWT"}'
_REASON_MAX: Final = 99
# Numeric dates (exp, nbf, iat) must lie in 0..MAX_NUMERIC_DATE: 9999-12-31T23:59:59Z, the last
# second every consumer (time.gmtime, datetime, Go's time.Time) can format.
MAX_NUMERIC_DATE: Final = 253402300799


@dataclass(frozen=True, slots=True, kw_only=True)
class Claims:
    """The claims of a relay (or jump) token. Field comments give the JSON name and when it is omitted."""

    topic: str = ""  # "topic": the session id / room; always emitted
    prefix: str = ""  # "prefix": practable's ConnectionType ("session", "connect"); always emitted
    scopes: tuple[str, ...] = ()  # "scopes": always emitted as a list
    audience: tuple[str, ...] = ()  # "aud": a list; omitted when empty (Go omitempty)
    booking_id: str | None = ""  # "booking_id": relay always emits it, even ""; None omits it (jump)
    expires_at: int | None = None  # "exp": unix seconds; None omits it
    not_before: int | None = None  # "nbf": unix seconds; None omits it
    issued_at: int | None = None  # "iat": unix seconds; None omits it
    topic_salt: str = ""  # jump "topicSalt": omitted when empty
    alert_host: bool = False  # jump "alertHost": omitted when false

    def has_scope(self, scope: str) -> bool:
        """Return whether ``scope`` is one of the token's scopes (exact string match)."""
        return scope in self.scopes

    def to_payload(self) -> dict[str, object]:
        """Return the JSON payload in practable's serialisation order (Go struct order).

        Order: booking_id, topic, prefix, scopes, topicSalt, alertHost, aud, exp, nbf, iat. Jump's
        struct puts topicSalt/alertHost before the embedded registered claims, so they come before aud.
        """
        payload: dict[str, object] = {}
        if self.booking_id is not None:
            payload["booking_id"] = self.booking_id
        payload["topic"] = self.topic
        payload["prefix"] = self.prefix
        payload["scopes"] = list(self.scopes)
        if self.topic_salt:
            payload["topicSalt"] = self.topic_salt
        if self.alert_host:
            payload["alertHost"] = True
        if self.audience:
            payload["aud"] = list(self.audience)
        for key, value in (("exp", self.expires_at), ("nbf", self.not_before), ("iat", self.issued_at)):
            if value is not None:
                payload[key] = value
        return payload


class TokenError(Exception):
    """A token was rejected. ``reason`` is short, human, and never contains the token or secret."""

    def __init__(self, reason: str) -> None:
        if len(reason) > _REASON_MAX:
            reason = reason[: _REASON_MAX - 1] + "…"
        super().__init__(reason)
        self.reason = reason


class TokenMalformed(TokenError):
    """Not a compact JWS, bad base64/JSON, or a claim of the wrong type."""


class TokenBadSignature(TokenError):
    """The HMAC does not match (usually the wrong secret)."""


class TokenBadAlgorithm(TokenError):
    """The header names an algorithm other than HS256/HS384/HS512 (including ``none``)."""


class TokenExpired(TokenError):
    """``exp`` is not after now."""

    def __init__(self, expired_for: float) -> None:
        super().__init__(f"expired {format_duration(expired_for)} ago")
        self.expired_for = expired_for


class TokenNotYetValid(TokenError):
    """``nbf`` is after now."""

    def __init__(self, valid_in: float) -> None:
        super().__init__(f"not valid for another {format_duration(valid_in)}")
        self.valid_in = valid_in


class TokenIssuedInFuture(TokenError):
    """``iat`` is after now."""


class TokenWrongAudience(TokenError):
    """``aud`` does not contain the expected audience exactly."""

    def __init__(self, expected: str, actual: tuple[str, ...]) -> None:
        super().__init__(f"aud [{' '.join(actual)}] does not match this host {expected}")
        self.expected = expected
        self.actual = actual


class _HMAC(HMACAlgorithm):
    """HMAC that takes any secret as practable does: no PEM refusal, no short-key warning."""

    def prepare_key(self, key: str | bytes) -> bytes:
        return key.encode("utf-8") if isinstance(key, str) else key

    def check_key_length(self, key: Any) -> str | None:
        return None


def _make_jws() -> jwt.PyJWS:
    jws = jwt.PyJWS(algorithms=[])
    jws.register_algorithm("HS256", _HMAC(HMACAlgorithm.SHA256))
    jws.register_algorithm("HS384", _HMAC(HMACAlgorithm.SHA384))
    jws.register_algorithm("HS512", _HMAC(HMACAlgorithm.SHA512))
    return jws


_JWS: Final = _make_jws()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _go_string(text: str) -> str:
    """Quote a string as Go's encoding/json does (HTML-escaped, lowercase \\u00xx, no short \\b/\\f)."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            # Go writes invalid UTF-8 as an escaped U+FFFD; lone surrogates are Python's equivalent.
            out.append("\\ufffd")
        elif ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or ch in "<>&":
            out.append(f"\\u{code:04x}")
        elif code in (0x2028, 0x2029):
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _go_json(value: object) -> str:
    """Serialise the payload subset (str, int, bool, list, dict) compactly, as Go's json.Marshal does."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _go_string(value)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_go_json(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_go_string(str(k))}:{_go_json(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot encode {type(value).__name__} in a token payload")


def encode(claims: Claims, secret: str) -> str:
    """Sign ``claims`` as an HS256 JWT, byte-identical to practable's Go implementation.

    Args:
        claims: the claims; serialised in ``Claims.to_payload`` order.
        secret: the shared HMAC secret (UTF-8).

    Returns:
        The compact token ``header.payload.signature``.
    """
    payload = go_json_bytes(claims)
    signing_input = f"{_b64url(_HEADER_JSON)}.{_b64url(payload)}".encode("ascii")
    signature = hmac.new(secret.encode("utf-8"), signing_input, hashlib.sha256).digest()
    return f"{signing_input.decode('ascii')}.{_b64url(signature)}"


def go_json_bytes(claims: Claims) -> bytes:
    """The payload bytes practable's Go implementation signs (``Claims.to_payload`` order)."""
    return _go_json(claims.to_payload()).encode("utf-8")


def _strip_bearer(token: str) -> str:
    token = token.strip()
    if token[:7].lower() == "bearer ":
        token = token[7:].strip()
    return token


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def _json_object(raw: bytes, what: str) -> dict[str, object]:
    try:
        value = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise TokenMalformed(f"malformed token: {what} is not valid JSON") from exc
    except RecursionError as exc:  # e.g. 100,000 nested arrays
        raise TokenMalformed(f"malformed token: {what} is nested too deeply") from exc
    if not isinstance(value, dict):
        raise TokenMalformed(f"malformed token: {what} is not a JSON object")
    return value


def _b64decode(segment: str, what: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as exc:
        raise TokenMalformed(f"malformed token: {what} is not base64url") from exc


def unverified_parts(token: str) -> tuple[dict[str, object], dict[str, object]]:
    """Return the header and payload of a token without checking anything.

    Args:
        token: a compact JWT, optionally prefixed by ``Bearer ``.

    Returns:
        ``(header, payload)`` as decoded JSON objects.

    Raises:
        TokenMalformed: not three segments, or a segment is not base64url JSON.
    """
    parts = _strip_bearer(token).split(".")
    if len(parts) != 3:
        raise TokenMalformed("malformed token: expected 3 dot-separated segments")
    header = _json_object(_b64decode(parts[0], "header"), "header")
    payload = _json_object(_b64decode(parts[1], "payload"), "payload")
    return header, payload


def _opt_str(payload: Mapping[str, object], key: str, default: str | None) -> str | None:
    value = payload.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise TokenMalformed(f"malformed token: claim {key} is not a string")
    return value


def _str_list(payload: Mapping[str, object], key: str, *, allow_str: bool) -> tuple[str, ...]:
    value = payload.get(key)
    if value is None:
        return ()
    if allow_str and isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TokenMalformed(f"malformed token: claim {key} is not a list of strings")
    return tuple(value)


def _numeric_date(payload: Mapping[str, object], key: str) -> int | None:
    value = payload.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TokenMalformed(f"malformed token: claim {key} is not a number")
    try:
        seconds = math.floor(value)  # Go truncates NumericDate to whole seconds
    except (OverflowError, ValueError):
        seconds = -1  # inf; NaN never parses (see _reject_constant)
    if not 0 <= seconds <= MAX_NUMERIC_DATE:
        raise TokenMalformed(
            f"malformed token: claim {key} is out of range (0 to {MAX_NUMERIC_DATE}, year 9999)"
        )
    return seconds


def _claims_from_payload(payload: Mapping[str, object]) -> Claims:
    alert_host = payload.get("alertHost", False)
    if not isinstance(alert_host, bool):
        raise TokenMalformed("malformed token: claim alertHost is not a boolean")
    return Claims(
        topic=_opt_str(payload, "topic", "") or "",
        prefix=_opt_str(payload, "prefix", "") or "",
        scopes=_str_list(payload, "scopes", allow_str=False),
        audience=_str_list(payload, "aud", allow_str=True),
        booking_id=_opt_str(payload, "booking_id", None),
        expires_at=_numeric_date(payload, "exp"),
        not_before=_numeric_date(payload, "nbf"),
        issued_at=_numeric_date(payload, "iat"),
        topic_salt=_opt_str(payload, "topicSalt", "") or "",
        alert_host=alert_host,
    )


def decode_unverified(token: str) -> Claims:
    """Read the claims without verifying the signature, times or audience (for inspection only).

    Args:
        token: a compact JWT, optionally prefixed by ``Bearer ``.

    Returns:
        The claims.

    Raises:
        TokenMalformed: the token or one of its claims cannot be read.
    """
    _, payload = unverified_parts(token)
    return _claims_from_payload(payload)


def _short_alg(header: object) -> str:
    alg = header.get("alg") if isinstance(header, dict) else None
    return repr(alg)[:20] if alg is not None else "(missing)"


def verified_hmac_payload(token: str, secret: str) -> bytes:
    """Check the HMAC with pyjwt and translate its exceptions; return the payload bytes.

    Raises:
        TokenBadSignature, TokenBadAlgorithm, TokenMalformed: as ``decode``.
    """
    try:
        complete = _JWS.decode_complete(token, key=secret, algorithms=list(ALLOWED_ALGORITHMS))
    except jwt.InvalidSignatureError as exc:
        raise TokenBadSignature("bad signature (wrong secret?)") from exc
    except jwt.InvalidAlgorithmError as exc:
        try:
            alg = _short_alg(unverified_parts(token)[0])
        except TokenMalformed:
            alg = "(unreadable)"
        raise TokenBadAlgorithm(f"algorithm {alg} not allowed (only HS256, HS384, HS512)") from exc
    except jwt.DecodeError as exc:
        raise TokenMalformed(f"malformed token: {str(exc)[:60]}") from exc
    except jwt.InvalidTokenError as exc:
        raise TokenMalformed(f"malformed token: {str(exc)[:60]}") from exc
    payload: bytes = complete["payload"]
    return payload


def _check_times(claims: Claims, now: float) -> None:
    # golang-jwt v4 semantics with no leeway: valid while now < exp; nbf <= now; iat <= now.
    if claims.expires_at is not None and now >= claims.expires_at:
        raise TokenExpired(now - claims.expires_at)
    if claims.not_before is not None and now < claims.not_before:
        raise TokenNotYetValid(claims.not_before - now)
    if claims.issued_at is not None and now < claims.issued_at:
        ahead = format_duration(claims.issued_at - now)
        raise TokenIssuedInFuture(f"issued in the future (iat is {ahead} from now)")


def decode(token: str, *, secret: str, audience: str | None, now: float | None = None) -> Claims:
    """Verify a token as practable's access API does and return its claims.

    Args:
        token: a compact JWT, optionally prefixed by ``Bearer ``.
        secret: the shared HMAC secret.
        audience: the audience that ``aud`` must contain exactly; None skips the check.
        now: unix seconds to check times against; defaults to ``time.time()``.

    Returns:
        The verified claims (``booking_id`` is None when the claim is absent).

    Raises:
        TokenMalformed: unreadable token or claim of the wrong type.
        TokenBadAlgorithm: not HS256/HS384/HS512.
        TokenBadSignature: HMAC mismatch.
        TokenExpired: ``exp`` reached.
        TokenNotYetValid: ``nbf`` in the future.
        TokenIssuedInFuture: ``iat`` in the future.
        TokenWrongAudience: ``audience`` not in ``aud``.
    """
    return check_claims(verified_hmac_payload(_strip_bearer(token), secret), audience=audience, now=now)


def check_claims(raw: bytes, *, audience: str | None, now: float | None = None) -> Claims:
    """The claims of a verified payload, with times and audience checked as ``decode`` does.

    Raises:
        TokenError: see ``decode``.
    """
    claims = _claims_from_payload(_json_object(raw, "payload"))
    _check_times(claims, time.time() if now is None else now)
    if audience is not None and audience not in claims.audience:
        raise TokenWrongAudience(audience, claims.audience)
    return claims
