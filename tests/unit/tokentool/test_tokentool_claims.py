"""Claims, encode/decode and the TokenError tree, against practable's golden vectors and crafted tokens."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
from collections.abc import Callable

import jwt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tokentool.claims import (
    Claims,
    Scope,
    TokenBadAlgorithm,
    TokenBadSignature,
    TokenError,
    TokenExpired,
    TokenIssuedInFuture,
    TokenMalformed,
    TokenNotYetValid,
    TokenWrongAudience,
    decode,
    decode_unverified,
    encode,
    unverified_parts,
)

HEADER_B64 = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"  # {"alg":"HS256","typ":"JWT"}
NOW = 1_700_000_000.0


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def craft(
    payload: object,
    *,
    secret: str = "s3cret",
    header: object = None,
    digest: Callable[..., object] = hashlib.sha256,
) -> str:
    """A token built by hand, so that headers and payloads pyjwt would refuse to produce can be tested."""
    head = {"alg": "HS256", "typ": "JWT"} if header is None else header
    signing_input = f"{b64(json.dumps(head).encode())}.{b64(json.dumps(payload).encode())}"
    sig = hmac.new(secret.encode(), signing_input.encode(), digest).digest()  # type: ignore[arg-type]
    return f"{signing_input}.{b64(sig)}"


# (secret, exact payload JSON, signature) from R:pkg/token, R:internal/monitor and J:internal/access tests.
GOLDEN = [
    pytest.param(
        "some_secret",
        '{"booking_id":"xxx000","topic":"expt00","prefix":"session","scopes":["read","write"],'
        '"aud":["https://example.com"],"exp":1658308108,"nbf":1658307108,"iat":1658306108}',
        "H93xnfopLhc8UGLqFsX5foP2MPmZohb8WtuojbP3ORQ",
        Claims(
            booking_id="xxx000",
            topic="expt00",
            prefix="session",
            scopes=("read", "write"),
            audience=("https://example.com",),
            expires_at=1658308108,
            not_before=1658307108,
            issued_at=1658306108,
        ),
        id="relay",
    ),
    pytest.param(
        "xxx000",
        '{"booking_id":"relay-monitor","topic":"canary-st-data","prefix":"session","scopes":["read","write"],'
        '"aud":["https://app.practable.io/ed0/access"],"exp":1658306108,"nbf":1658306107,"iat":1658306108}',
        "ScP6fv_ddXs0iQ2WY6oMGafgTKv7bZsp_0sVbHe7CNY",
        Claims(
            booking_id="relay-monitor",
            topic="canary-st-data",
            prefix="session",
            scopes=(Scope.READ, Scope.WRITE),
            audience=("https://app.practable.io/ed0/access",),
            expires_at=1658306108,
            not_before=1658306107,
            issued_at=1658306108,
        ),
        id="monitor",
    ),
    pytest.param(
        "somesecret",
        '{"topic":"f7558de0-cb0d-4cb5-9518-ac71d044800b","prefix":"connect","scopes":["host"],'
        '"aud":["https://relay-access.example.io"],"exp":1609330233,"nbf":1609329233,"iat":1609329233}',
        "AkwDAejQx2_5WJpOxbGLQqAV_6oGlBs1hFTaL4WKu8o",
        Claims(
            booking_id=None,
            topic="f7558de0-cb0d-4cb5-9518-ac71d044800b",
            prefix="connect",
            scopes=(Scope.HOST,),
            audience=("https://relay-access.example.io",),
            expires_at=1609330233,
            not_before=1609329233,
            issued_at=1609329233,
        ),
        id="jump-no-booking-id",
    ),
]


@pytest.mark.parametrize(("secret", "payload", "signature", "claims"), GOLDEN)
def test_golden_vectors_byte_for_byte(secret: str, payload: str, signature: str, claims: Claims) -> None:
    expected = f"{HEADER_B64}.{b64(payload.encode())}.{signature}"
    assert encode(claims, secret) == expected


@pytest.mark.parametrize(("secret", "payload", "signature", "claims"), GOLDEN)
def test_golden_vectors_decode(secret: str, payload: str, signature: str, claims: Claims) -> None:
    token = f"{HEADER_B64}.{b64(payload.encode())}.{signature}"
    assert decode_unverified(token) == claims
    assert claims.not_before is not None and claims.issued_at is not None and claims.expires_at is not None
    at = max(claims.not_before, claims.issued_at)
    if at >= claims.expires_at:  # the monitor vector has iat == exp: it is never valid
        with pytest.raises(TokenExpired):
            decode(token, secret=secret, audience=claims.audience[0], now=at)
    else:
        assert decode(token, secret=secret, audience=claims.audience[0], now=at) == claims


def test_payload_order_and_omissions() -> None:
    claims = Claims(
        topic="t",
        prefix="connect",
        scopes=("client",),
        booking_id=None,
        topic_salt="salt",
        alert_host=True,
        audience=("a",),
        issued_at=5,
    )
    assert list(claims.to_payload()) == ["topic", "prefix", "scopes", "topicSalt", "alertHost", "aud", "iat"]
    relay = Claims(topic="t", prefix="session").to_payload()
    assert relay == {"booking_id": "", "topic": "t", "prefix": "session", "scopes": []}


def test_header_is_exactly_practables() -> None:
    header, _ = unverified_parts(encode(Claims(topic="x"), "k"))
    assert encode(Claims(topic="x"), "k").split(".")[0] == HEADER_B64
    assert header == {"alg": "HS256", "typ": "JWT"}


def test_strings_are_escaped_as_go_does() -> None:
    claims = Claims(topic='a<b>&c\u2028é\x08"\\\n', booking_id="\ud800")
    raw = base64.urlsafe_b64decode(encode(claims, "k").split(".")[1] + "==").decode()
    assert raw.startswith(
        '{"booking_id":"\\ufffd","topic":"a\\u003cb\\u003e\\u0026c\\u2028é\\u0008\\"\\\\\\n"'
    )


def test_round_trip_with_jump_fields() -> None:
    claims = Claims(
        topic="h/1",
        prefix="connect",
        scopes=(Scope.CLIENT, Scope.READ, Scope.WRITE),
        audience=("wss://relay", "other"),
        booking_id=None,
        expires_at=int(NOW) + 60,
        not_before=int(NOW),
        issued_at=int(NOW),
        topic_salt="salty",
        alert_host=True,
    )
    assert decode(encode(claims, "k"), secret="k", audience="other", now=NOW) == claims
    assert claims.has_scope("client") and not claims.has_scope(Scope.ADMIN)


def test_audience_none_skips_check_and_bearer_prefix_is_accepted() -> None:
    token = encode(Claims(topic="t", audience=("a",)), "k")
    assert decode(f"Bearer {token}", secret="k", audience=None, now=NOW).topic == "t"
    assert decode(f"  bearer {token}\n", secret="k", audience="a", now=NOW).topic == "t"


def test_missing_booking_id_is_none_and_null_scopes_are_empty() -> None:
    claims = decode(craft({"topic": "t", "scopes": None, "aud": "a"}), secret="s3cret", audience="a", now=NOW)
    assert claims.booking_id is None
    assert claims.scopes == ()
    assert claims.audience == ("a",)


def test_hs384_and_hs512_accepted() -> None:
    for alg, digest in (("HS384", hashlib.sha384), ("HS512", hashlib.sha512)):
        token = craft({"topic": "t"}, header={"alg": alg, "typ": "JWT"}, digest=digest)
        assert decode(token, secret="s3cret", audience=None, now=NOW).topic == "t"


def test_expired_exactly_at_exp_and_after() -> None:
    token = encode(Claims(topic="t", expires_at=int(NOW)), "k")
    with pytest.raises(TokenExpired) as info:
        decode(token, secret="k", audience=None, now=NOW + 192.5)
    assert info.value.expired_for == pytest.approx(192.5)
    assert info.value.reason == "expired 3m12s ago"
    with pytest.raises(TokenExpired):
        decode(token, secret="k", audience=None, now=NOW)
    assert decode(token, secret="k", audience=None, now=NOW - 0.001).topic == "t"


def test_not_yet_valid() -> None:
    token = encode(Claims(topic="t", not_before=int(NOW) + 10), "k")
    with pytest.raises(TokenNotYetValid) as info:
        decode(token, secret="k", audience=None, now=NOW)
    assert info.value.valid_in == pytest.approx(10)
    assert info.value.reason == "not valid for another 10s"
    assert decode(token, secret="k", audience=None, now=NOW + 10).topic == "t"


def test_issued_in_future() -> None:
    token = encode(Claims(topic="t", issued_at=int(NOW) + 1), "k")
    with pytest.raises(TokenIssuedInFuture, match="issued in the future"):
        decode(token, secret="k", audience=None, now=NOW)
    assert decode(token, secret="k", audience=None, now=NOW + 1).topic == "t"


def test_wrong_audience_list() -> None:
    token = encode(Claims(topic="t", audience=("a", "b")), "k")
    with pytest.raises(TokenWrongAudience) as info:
        decode(token, secret="k", audience="https://c", now=NOW)
    assert info.value.expected == "https://c"
    assert info.value.actual == ("a", "b")
    assert info.value.reason == "aud [a b] does not match this host https://c"


@pytest.mark.parametrize("aud", ["https://x/", "https://x/access", "", None])
def test_wrong_audience_string_or_missing(aud: str | None) -> None:
    payload: dict[str, object] = {"topic": "t"} if aud is None else {"topic": "t", "aud": aud}
    with pytest.raises(TokenWrongAudience) as info:
        decode(craft(payload), secret="s3cret", audience="https://x", now=NOW)
    assert info.value.actual == (() if aud is None else (aud,))


def test_long_audience_reason_is_bounded() -> None:
    token = encode(Claims(topic="t", audience=("x" * 500,)), "k")
    with pytest.raises(TokenWrongAudience) as info:
        decode(token, secret="k", audience="y", now=NOW)
    assert len(info.value.reason) < 100


def test_bad_signature_reason_has_no_secret_or_token() -> None:
    token = encode(Claims(topic="t"), "right-secret")
    with pytest.raises(TokenBadSignature) as info:
        decode(token, secret="wrong-secret", audience=None, now=NOW)
    assert info.value.reason == "bad signature (wrong secret?)"
    for secret_or_token in ("right-secret", "wrong-secret", token, token.split(".")[2]):
        assert secret_or_token not in str(info.value)


@pytest.mark.parametrize("alg", ["none", "None", "RS256", "ES256", "PS512", "HS1", ""])
def test_non_hmac_algorithms_rejected(alg: str) -> None:
    token = craft({"topic": "t"}, header={"alg": alg, "typ": "JWT"})
    with pytest.raises(TokenBadAlgorithm):
        decode(token, secret="s3cret", audience=None, now=NOW)


def test_unsigned_none_token_rejected() -> None:
    none_header = b64(b'{"alg":"none"}')
    signing_input = f"{none_header}.{b64(b'{}')}"
    with pytest.raises(TokenBadAlgorithm, match="'none'"):
        decode(f"{signing_input}.", secret="s3cret", audience=None, now=NOW)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        "a.b",
        "a.b.c.d",
        "!!!.e30.x",
        f"{HEADER_B64}.!!!.x",
        f"{b64(b'[1]')}.e30.x",
        f"{HEADER_B64}.{b64(b'not json')}.x",
    ],
)
def test_malformed_unverified(token: str) -> None:
    with pytest.raises(TokenMalformed):
        decode_unverified(token)


@pytest.mark.parametrize(
    "payload",
    [
        [1, 2],
        {"topic": 1},
        {"scopes": "read"},
        {"scopes": [1]},
        {"aud": 5},
        {"aud": ["a", 1]},
        {"exp": "soon"},
        {"exp": True},
        {"nbf": 1e400},
        {"alertHost": "yes"},
        {"booking_id": 7},
    ],
)
def test_malformed_claims_after_valid_signature(payload: object) -> None:
    with pytest.raises(TokenMalformed):
        decode(craft(payload), secret="s3cret", audience=None, now=NOW)


def test_float_times_truncate_to_seconds() -> None:
    claims = decode(craft({"exp": NOW + 5.9, "iat": NOW - 0.5}), secret="s3cret", audience=None, now=NOW)
    assert claims.expires_at == int(NOW) + 5
    assert claims.issued_at == int(NOW) - 1


# Every jwt.* exception caught in claims._verified_payload, raised through decode() by a crafted token.
JWT_MAPPING = [
    pytest.param("x.y", jwt.DecodeError, TokenMalformed, id="DecodeError"),
    pytest.param(
        encode(Claims(topic="t"), "other"),
        jwt.InvalidSignatureError,
        TokenBadSignature,
        id="InvalidSignatureError",
    ),
    pytest.param(
        craft({}, header={"alg": "RS256"}),
        jwt.InvalidAlgorithmError,
        TokenBadAlgorithm,
        id="InvalidAlgorithmError",
    ),
    pytest.param(
        craft({}, header={"alg": "HS256", "crit": ["unknown-ext"]}),
        jwt.InvalidTokenError,
        TokenMalformed,
        id="InvalidTokenError",
    ),
]


@pytest.mark.parametrize(("token", "jwt_error", "ours"), JWT_MAPPING)
def test_each_jwt_exception_is_translated(
    token: str, jwt_error: type[Exception], ours: type[TokenError]
) -> None:
    with pytest.raises(ours) as info:
        decode(token, secret="s3cret", audience=None, now=NOW)
    assert type(info.value.__cause__) is jwt_error
    assert not isinstance(info.value, jwt.PyJWTError)
    assert len(info.value.reason) < 100


def test_short_secrets_do_not_warn() -> None:
    # filterwarnings=error turns pyjwt's InsecureKeyLengthWarning into a failure if it leaks through.
    assert decode(encode(Claims(topic="t"), "k"), secret="k", audience=None, now=NOW).topic == "t"


def test_pem_looking_secret_is_just_bytes() -> None:
    secret = "-----BEGIN PUBLIC KEY-----"
    assert decode(encode(Claims(topic="t"), secret), secret=secret, audience=None, now=NOW).topic == "t"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
claim_names = st.sampled_from(
    ["topic", "prefix", "scopes", "aud", "booking_id", "exp", "nbf", "iat", "alertHost", "topicSalt"]
)


@given(st.text(max_size=60))
def test_arbitrary_text_only_raises_token_errors(text: str) -> None:
    with pytest.raises(TokenError):
        decode(text, secret="s3cret", audience="a", now=NOW)


@given(st.dictionaries(claim_names, json_values, max_size=5), json_values)
def test_arbitrary_signed_payloads_only_raise_token_errors(payload: dict[str, object], alg: object) -> None:
    # Anything else (TypeError, OverflowError, a raw jwt.* error) escaping decode() fails the test.
    for token in (craft(payload), craft(payload, header={"alg": alg})):
        with contextlib.suppress(TokenError):
            decode(token, secret="s3cret", audience=None, now=NOW)
