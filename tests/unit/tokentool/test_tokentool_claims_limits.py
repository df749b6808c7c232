"""Numeric dates, nesting and non-object payloads: every hostile payload is a TokenError."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from tokentool.claims import MAX_NUMERIC_DATE, Claims, TokenMalformed, decode, decode_unverified, encode

SECRET = "s"
NOW = 1_700_000_000.0


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed(payload: bytes, header: bytes = b'{"alg":"HS256","typ":"JWT"}') -> str:
    signing_input = f"{b64(header)}.{b64(payload)}"
    signature = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


@pytest.mark.parametrize("claim", ["exp", "nbf", "iat"])
@pytest.mark.parametrize("value", ["1e18", "1000000000000000000", "-1", "-0.5", "253402300800", "1e400"])
def test_numeric_dates_out_of_range_are_malformed(claim: str, value: str) -> None:
    token = signed(f'{{"{claim}":{value}}}'.encode())
    with pytest.raises(TokenMalformed, match=rf"claim {claim} is out of range \(0 to 253402300799"):
        decode(token, secret=SECRET, audience=None, now=NOW)


def test_numeric_dates_at_the_bounds_are_accepted() -> None:
    claims = decode(signed(b'{"exp":253402300799,"nbf":0,"iat":0}'), secret=SECRET, audience=None, now=NOW)
    assert (claims.expires_at, claims.not_before, claims.issued_at) == (MAX_NUMERIC_DATE, 0, 0)


def test_exp_1e18_from_encode_is_refused_at_decode() -> None:
    token = encode(Claims(topic="t", expires_at=10**18), SECRET)
    with pytest.raises(TokenMalformed, match="exp is out of range"):
        decode(token, secret=SECRET, audience=None, now=NOW)


def test_out_of_range_dates_are_refused_by_unverified_decode_too() -> None:
    with pytest.raises(TokenMalformed, match="exp is out of range"):
        decode_unverified(signed(b'{"exp":1e18}'))


@pytest.mark.parametrize(
    "payload", [b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000]
)
def test_deeply_nested_payload_is_malformed_not_recursion_error(payload: bytes) -> None:
    with pytest.raises(TokenMalformed, match="nested too deeply"):
        decode(signed(payload), secret=SECRET, audience=None, now=NOW)


def test_deeply_nested_header_is_malformed_before_the_signature_is_checked() -> None:
    token = signed(b"{}", header=b"[" * 100_000)
    with pytest.raises(TokenMalformed):
        decode(token, secret="another secret", audience=None, now=NOW)


@pytest.mark.parametrize("payload", [b'"a string"', b"[1,2]", b"42", b"null", b"true"])
def test_json_that_is_not_an_object_is_malformed(payload: bytes) -> None:
    with pytest.raises(TokenMalformed, match="not a JSON object"):
        decode(signed(payload), secret=SECRET, audience=None, now=NOW)
