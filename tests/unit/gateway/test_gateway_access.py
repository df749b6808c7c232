"""The access API through the real FastAPI app in memory, and the pure checks behind the relay.

Covers every refusal of ``POST /session/{topic}`` with practable's exact bodies (reference 2.1,
2.2), code redemption in ``MemoryCodeStore``, ``ws.check_grant``, close codes and reasons.
"""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import AsyncIterator
from urllib.parse import unquote

import httpx
import pytest

from gateway.app import WebSocketRoutes, create_app
from gateway.bus import InMemoryNetwork
from gateway.codes import MemoryCodeStore
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
from gateway.settings import GatewaySettings
from gateway.wire import MAX_REASON_BYTES, CloseCode, quote_topic, truncate_reason
from gateway.ws import check_grant
from tokentool.claims import Claims, encode

NOW = 1_700_000_000
SECRET = "unit-secret"
AUDIENCE = "https://access.example.io"
RELAY_URL = "wss://relay.example.io"
UNAUTHENTICATED = b'{"code":401,"message":"unauthenticated for invalid credentials"}'


def settings(**changes: object) -> GatewaySettings:
    fields: dict[str, object] = {"audience": AUDIENCE, "secret": SECRET, "url": RELAY_URL, **changes}
    return GatewaySettings(**fields)  # type: ignore[arg-type]


def token(
    topic: str = "expt00",
    *,
    secret: str = SECRET,
    audience: tuple[str, ...] = (AUDIENCE,),
    scopes: tuple[str, ...] = ("read", "write"),
    prefix: str = "session",
    booking_id: str | None = "bk1",
    exp: int | None = NOW + 600,
    nbf: int | None = NOW - 10,
    iat: int | None = NOW - 10,
) -> str:
    claims = Claims(
        topic=topic,
        prefix=prefix,
        scopes=scopes,
        audience=audience,
        booking_id=booking_id,
        expires_at=exp,
        not_before=nbf,
        issued_at=iat,
    )
    return encode(claims, secret)


class Gateway:
    """The app in memory with its services, and an httpx client on it."""

    def __init__(self, client: httpx.AsyncClient, codes: MemoryCodeStore) -> None:
        self.client = client
        self.codes = codes

    async def post(self, topic: str, authorization: str | None) -> httpx.Response:
        headers = {} if authorization is None else {"Authorization": authorization}
        return await self.client.post(f"/session/{quote_topic(topic)}", headers=headers, content=b"{}")


@contextlib.asynccontextmanager
async def gateway(**changes: object) -> AsyncIterator[Gateway]:
    config = settings(**changes)
    codes = MemoryCodeStore(clock=lambda: NOW)
    bus = InMemoryNetwork().bus()
    services = Services(settings=config, bus=bus, hub=Hub(bus), codes=codes, clock=lambda: NOW)
    app = create_app(config, lambda s: contextlib.nullcontext(services))
    assert isinstance(app, WebSocketRoutes)
    app.state.services = services  # ASGITransport does not run the lifespan
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield Gateway(client, codes)


@pytest.fixture
async def gw() -> AsyncIterator[Gateway]:
    async with gateway() as g:
        yield g


def go_error(code: int, message: str) -> bytes:
    return json.dumps({"code": str(code), "message": message}, separators=(",", ":")).encode() + b"\n"


def numeric_error(response: httpx.Response) -> str:
    """Assert a go-openapi style 401 body (numeric code, no newline) and return its message."""
    assert response.status_code == 401
    assert not response.content.endswith(b"\n")
    body = response.json()
    assert set(body) == {"code", "message"} and body["code"] == 401
    message: str = body["message"]
    return message


# --- authentication (reference 2.1) ---


async def test_missing_header_is_401_unauthenticated(gw: Gateway) -> None:
    response = await gw.post("expt00", None)
    assert (response.status_code, response.content) == (401, UNAUTHENTICATED)


@pytest.mark.parametrize("header", ["", "   "])
async def test_blank_header_is_401_unauthenticated(gw: Gateway, header: str) -> None:
    response = await gw.post("expt00", header)
    assert (response.status_code, response.content) == (401, UNAUTHENTICATED)


@pytest.mark.parametrize("garbage", ["not-a-jwt", "a.b.c", "Bearer ", "x" * 300])
async def test_garbage_token_is_401_token_invalid(gw: Gateway, garbage: str) -> None:
    assert numeric_error(await gw.post("expt00", garbage)).startswith("token invalid")


async def test_expired_token_is_401_token_invalid(gw: Gateway) -> None:
    message = numeric_error(await gw.post("expt00", token(exp=NOW)))
    assert message.startswith("token invalid: expired")


async def test_not_yet_valid_token_is_401_token_invalid(gw: Gateway) -> None:
    message = numeric_error(await gw.post("expt00", token(nbf=NOW + 60)))
    assert message.startswith("token invalid: not valid for another")


async def test_token_issued_in_the_future_is_401_token_invalid(gw: Gateway) -> None:
    message = numeric_error(await gw.post("expt00", token(iat=NOW + 60)))
    assert message.startswith("token invalid: issued in the future")


async def test_bad_signature_is_401_token_invalid(gw: Gateway) -> None:
    message = numeric_error(await gw.post("expt00", token(secret="other-secret")))
    assert message.startswith("token invalid: bad signature")


async def test_alg_none_is_401_token_invalid(gw: Gateway) -> None:
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    payload = token().split(".")[1]
    message = numeric_error(await gw.post("expt00", f"{header}.{payload}."))
    assert message.startswith("token invalid")


async def test_wrong_audience_is_401_naming_both(gw: Gateway) -> None:
    message = numeric_error(await gw.post("expt00", token(audience=("https://x", "https://y"))))
    assert message == f"aud [https://x https://y] does not match this host {AUDIENCE}"


async def test_missing_audience_is_401_wrong_audience(gw: Gateway) -> None:
    message = numeric_error(await gw.post("expt00", token(audience=())))
    assert message == f"aud [] does not match this host {AUDIENCE}"


async def test_audience_with_trailing_slash_does_not_match(gw: Gateway) -> None:
    message = numeric_error(await gw.post("expt00", token(audience=(AUDIENCE + "/",))))
    assert message == f"aud [{AUDIENCE}/] does not match this host {AUDIENCE}"


# --- session handler (reference 2.2) ---


@pytest.mark.parametrize(
    "missing",
    [{"scopes": ()}, {"prefix": ""}, {"exp": None}, {"topic": ""}],
    ids=["scopes", "prefix", "exp", "topic"],
)
async def test_missing_required_claims_is_401_bare_string(gw: Gateway, missing: dict[str, object]) -> None:
    response = await gw.post("expt00", token(**missing))  # type: ignore[arg-type]
    assert (response.status_code, response.content) == (401, b'"Token Missing Required Claims"\n')


async def test_empty_path_topic_is_401_path_missing_session_id(gw: Gateway) -> None:
    response = await gw.client.post("/session/", headers={"Authorization": token()})
    assert (response.status_code, response.content) == (401, b'"Path Missing SessionID"\n')


async def test_wrong_topic_is_401_bare_string(gw: Gateway) -> None:
    response = await gw.post("expt01", token("expt00"))
    assert (response.status_code, response.content) == (401, b'"Token Wrong Topic"\n')


async def test_topic_over_512_bytes_is_400(gw: Gateway) -> None:
    topic = "é" * 257  # 514 UTF-8 bytes
    response = await gw.post(topic, token(topic))
    assert (response.status_code, response.content) == (400, go_error(400, "topic longer than 512 bytes"))


@pytest.mark.parametrize("booking_id", ["", None], ids=["empty", "absent"])
async def test_empty_booking_id_is_400(gw: Gateway, booking_id: str | None) -> None:
    response = await gw.post("expt00", token(booking_id=booking_id))
    assert (response.status_code, response.content) == (
        400,
        b'{"code":"400","message":"empty bookingID field is not permitted"}\n',
    )


async def test_empty_booking_id_is_accepted_when_allowed() -> None:
    async with gateway(allow_no_booking_id=True) as g:
        response = await g.post("expt00", token(booking_id=""))
        assert response.status_code == 200
        code = response.json()["uri"].split("?code=")[1]
        assert (await g.codes.redeem(code)).booking_id == ""


async def test_code_store_unavailable_is_503() -> None:
    class DownCodeStore:
        async def mint(self, grant: Grant) -> str:
            raise BusUnavailable("cannot store code: ConnectionClosedError")

        async def redeem(self, code: str) -> Grant:
            raise AssertionError("not used")

    config = settings()
    bus = InMemoryNetwork().bus()
    services = Services(settings=config, bus=bus, hub=Hub(bus), codes=DownCodeStore(), clock=lambda: NOW)
    app = create_app(config, lambda s: contextlib.nullcontext(services))
    assert isinstance(app, WebSocketRoutes)
    app.state.services = services
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        response = await client.post("/session/expt00", headers={"Authorization": token()})
    assert (response.status_code, response.content) == (
        503,
        go_error(503, "cannot store code: ConnectionClosedError"),
    )


async def test_success_returns_uri_with_a_code_that_redeems_once_to_the_tokens_grant(gw: Gateway) -> None:
    response = await gw.post("expt00", token(scopes=("read",), booking_id="bk9"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content.endswith(b"}\n")
    uri = response.json()["uri"]
    prefix = f"{RELAY_URL}/session/expt00?code="
    assert uri.startswith(prefix)
    code = uri[len(prefix) :]
    assert response.content == json.dumps({"uri": uri}, separators=(",", ":")).encode() + b"\n"
    grant = await gw.codes.redeem(code)
    assert grant == Grant(
        topic="expt00",
        prefix="session",
        scopes=("read",),
        booking_id="bk9",
        expires_at=NOW + 600,
        not_before=NOW - 10,
        issued_at=NOW - 10,
        minted_at=NOW,
    )
    with pytest.raises(CodeRejected, match="invalid code"):
        await gw.codes.redeem(code)


async def test_bearer_prefix_is_accepted(gw: Gateway) -> None:
    response = await gw.post("expt00", f"Bearer {token()}")
    assert response.status_code == 200
    assert response.json()["uri"].startswith(f"{RELAY_URL}/session/expt00?code=")


async def test_scopes_are_not_checked_at_access(gw: Gateway) -> None:
    response = await gw.post("expt00", token(scopes=("stats",)))
    assert response.status_code == 200


async def test_each_request_gets_a_distinct_code(gw: Gateway) -> None:
    uris = {(await gw.post("expt00", token())).json()["uri"] for _ in range(3)}
    assert len(uris) == 3


@pytest.mark.parametrize(
    ("topic", "in_uri"),
    [
        ("a/b", "a/b"),
        ("lab 1/cam", "lab%201/cam"),
        ("50%", "50%25"),
        ("a%2Fb", "a%252Fb"),
        ("ü", "%C3%BC"),
    ],
)
async def test_topics_with_slashes_spaces_and_percent_are_served(
    gw: Gateway, topic: str, in_uri: str
) -> None:
    response = await gw.post(topic, token(topic))
    assert response.status_code == 200, response.text
    uri = response.json()["uri"]
    assert uri.startswith(f"{RELAY_URL}/session/{in_uri}?code=")
    grant = await gw.codes.redeem(uri.split("?code=")[1])
    assert grant.topic == topic


@pytest.mark.parametrize("topic", ["a/../b", "a/./b", ".."])
async def test_uri_of_a_dot_segment_topic_still_names_that_topic(gw: Gateway, topic: str) -> None:
    encoded = "/".join("%2E" * len(part) if part in (".", "..") else part for part in topic.split("/"))
    response = await gw.client.post(f"/session/{encoded}", headers={"Authorization": token(topic)})
    assert response.status_code == 200, response.text
    resolved = httpx.URL(response.json()["uri"].replace("wss://", "https://", 1))  # RFC 3986 resolution
    assert unquote(resolved.raw_path.decode().split("?")[0]) == f"/session/{topic}"


async def test_relay_url_trailing_slash_is_not_doubled() -> None:
    async with gateway(url=RELAY_URL + "/") as g:
        response = await g.post("expt00", token())
        assert response.json()["uri"].startswith(f"{RELAY_URL}/session/expt00?code=")


# --- MemoryCodeStore ---


def grant(**changes: object) -> Grant:
    fields: dict[str, object] = {
        "topic": "t",
        "prefix": "session",
        "scopes": ("read", "write"),
        "booking_id": "bk",
        "expires_at": NOW + 60,
        "not_before": NOW - 1,
        "minted_at": NOW,
    }
    fields.update(changes)
    return Grant(**fields)  # type: ignore[arg-type]


async def test_memory_code_is_single_use() -> None:
    store = MemoryCodeStore(clock=lambda: NOW)
    code = await store.mint(grant())
    assert await store.redeem(code) == grant()
    with pytest.raises(CodeRejected, match="invalid code"):
        await store.redeem(code)


async def test_memory_unknown_code_is_invalid() -> None:
    with pytest.raises(CodeRejected, match="invalid code"):
        await MemoryCodeStore(clock=lambda: NOW).redeem("nope")


async def test_memory_code_expires_after_ttl_by_the_injected_clock() -> None:
    now = [float(NOW)]
    store = MemoryCodeStore(ttl=30, clock=lambda: now[0])
    fresh, stale = await store.mint(grant()), await store.mint(grant())
    now[0] = NOW + 30
    assert (await store.redeem(fresh)).topic == "t"  # exactly ttl old is still good
    now[0] = NOW + 30.5
    with pytest.raises(CodeRejected, match="code expired") as info:
        await store.redeem(stale)
    assert info.value.close_code == CloseCode.BAD_CODE


async def test_memory_codes_are_long_url_safe_and_distinct() -> None:
    store = MemoryCodeStore(clock=lambda: NOW)
    codes = {await store.mint(grant()) for _ in range(20)}
    assert len(codes) == 20
    assert all(len(c) >= 36 and quote_topic(c) == c for c in codes)


def test_grant_json_round_trip() -> None:
    g = grant(scopes=("read",), issued_at=NOW - 5)
    assert Grant.from_json(g.to_json()) == g


# --- ws.check_grant ---


def test_check_grant_accepts_a_matching_grant() -> None:
    check_grant(grant(), prefix="session", topic="t", now=NOW)
    check_grant(grant(expires_at=NOW, not_before=NOW), prefix="session", topic="t", now=NOW)
    check_grant(grant(expires_at=0, not_before=0, scopes=("write",)), prefix="session", topic="t", now=NOW)


@pytest.mark.parametrize(
    ("changes", "prefix", "topic", "reason"),
    [
        ({"prefix": "shell"}, "session", "t", "code is for /shell, not /session"),
        ({}, "session", "other", "code is for another topic"),
        ({"scopes": ("stats",)}, "session", "t", "token has neither read nor write scope"),
        ({"scopes": ()}, "session", "t", "token has neither read nor write scope"),
    ],
)
def test_check_grant_refuses_prefix_topic_and_scopes_with_4501(
    changes: dict[str, object], prefix: str, topic: str, reason: str
) -> None:
    with pytest.raises(ConnectionRefused) as info:
        check_grant(grant(**changes), prefix=prefix, topic=topic, now=NOW)
    assert info.value.close_code == CloseCode.TOKEN_MISMATCH and int(info.value.close_code) == 4501
    assert info.value.reason == reason


@pytest.mark.parametrize(
    ("changes", "reason"),
    [({"not_before": NOW + 1}, "token not yet valid"), ({"expires_at": NOW - 1}, "token expired")],
)
def test_check_grant_refuses_future_nbf_and_past_exp_with_4502(
    changes: dict[str, object], reason: str
) -> None:
    with pytest.raises(SessionExpired) as info:
        check_grant(grant(**changes), prefix="session", topic="t", now=NOW)
    assert info.value.close_code == CloseCode.SESSION_EXPIRED and int(info.value.close_code) == 4502
    assert info.value.reason == reason


# --- wire ---


@pytest.mark.parametrize(
    "reason", ["", "short", "x" * 123, "x" * 124, "é" * 70, "x" + "é" * 70, "€" * 50, "😀" * 40, "ab😀" * 40]
)
def test_truncate_reason_fits_123_bytes_on_a_character_boundary(reason: str) -> None:
    cut = truncate_reason(reason)
    encoded = cut.encode("utf-8")
    assert len(encoded) <= MAX_REASON_BYTES
    assert reason.startswith(cut)
    if len(reason.encode("utf-8")) <= MAX_REASON_BYTES:
        assert cut == reason
    else:
        assert len(encoded) > MAX_REASON_BYTES - 4  # only the split character is lost


def test_relay_error_reason_is_truncated() -> None:
    assert len(RelayError("é" * 100).reason.encode()) <= MAX_REASON_BYTES


@pytest.mark.parametrize(
    ("code", "may"),
    [
        (CloseCode.NORMAL, True),
        (CloseCode.POLICY, True),
        (CloseCode.TOO_BIG, True),
        (CloseCode.INTERNAL, True),
        (CloseCode.SERVICE_RESTART, True),
        (CloseCode.TRY_AGAIN_LATER, True),
        (CloseCode.SLOW_CONSUMER, True),
        (CloseCode.BAD_CODE, False),
        (CloseCode.TOKEN_MISMATCH, False),
        (CloseCode.SESSION_EXPIRED, False),
        (CloseCode.BOOKING_REVOKED, False),
    ],
)
def test_close_code_may_reconnect_below_4500_only(code: CloseCode, may: bool) -> None:
    assert code.may_reconnect is may


# --- errors ---


@pytest.mark.parametrize(
    ("cls", "status", "close"),
    [
        (RelayError, 500, 1011),
        (BusUnavailable, 503, 1013),
        (CodeRejected, 401, 4500),
        (ConnectionRefused, 403, 4501),
        (SessionExpired, 401, 4502),
        (BookingDenied, 400, 4503),
    ],
)
def test_each_relay_error_has_its_http_status_and_close_code(
    cls: type[RelayError], status: int, close: int
) -> None:
    exc = cls("why")
    assert isinstance(exc, RelayError)
    assert (exc.http_status, int(exc.close_code), exc.reason, str(exc)) == (status, close, "why", "why")
