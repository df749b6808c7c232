"""Limits at the edge, through a real gateway and nats-server: every hostile input is refused
specifically, and the replica (its NATS connection included) keeps serving afterwards."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import logging
import time
from urllib.parse import quote, urlsplit

import httpx
import pytest
from conftest import GatewayFactory, GatewayHandle
from relaytest import TIMEOUT_UNIT, open_ws
from websockets.asyncio.client import connect
from websockets.client import ClientProtocol
from websockets.exceptions import ConnectionClosed
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.uri import parse_uri

from gateway import httpproto
from gateway.logs import RateLimitedLog
from gateway.wire import MAX_BOOKING_ID_BYTES, MAX_HEADER_BYTES, MAX_HOST_ID_BYTES, MAX_TOPIC_BYTES
from tokentool.claims import Claims, encode

pytestmark = pytest.mark.integration

MiB = 1024 * 1024


async def assert_serves(gw: GatewayHandle, topic: str = "after") -> None:
    """A session works end to end: code minted and redeemed in KV (NATS), a message relayed."""
    reader = await open_ws(gw.session_url(topic), gw.mint(topic, scopes=("read",)))
    writer = await open_ws(gw.session_url(topic), gw.mint(topic, scopes=("write",)))
    await writer.send("still serving")
    assert await asyncio.wait_for(reader.recv(), 5 * TIMEOUT_UNIT) == "still serving"
    await writer.close()
    await reader.close()


async def post(url: str, token: str) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.post(url, headers={"Authorization": token})


# --- request headers -------------------------------------------------------------------------


async def send_oversized_head(gw: GatewayHandle, head: bytes, pad: int) -> tuple[bytes, float]:
    """Write ``head`` then a header of ``pad`` bytes (in 1 MiB writes) while reading the answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", gw.port)
    started = time.monotonic()

    async def write() -> None:
        writer.write(head + b"X-Pad: ")
        chunk = b"a" * MiB
        try:
            for sent in range(0, pad, MiB):
                writer.write(chunk[: min(MiB, pad - sent)])
                await writer.drain()
        except (ConnectionError, RuntimeError):
            pass  # the gateway stopped reading after the limit: expected for the big ones

    writing = asyncio.create_task(write())
    answer = b""
    try:
        while chunk := await asyncio.wait_for(reader.read(65536), 5 * TIMEOUT_UNIT):
            answer += chunk
    except ConnectionError:
        pass
    elapsed = time.monotonic() - started
    writing.cancel()
    writer.close()
    return answer, elapsed


def split_response(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


@pytest.mark.parametrize("size", [MiB, 64 * MiB], ids=["1MiB", "64MiB"])
async def test_oversized_headers_get_431_json_quickly(gateway: GatewayHandle, size: int) -> None:
    raw, elapsed = await send_oversized_head(gateway, b"GET /healthz HTTP/1.1\r\nHost: x\r\n", size)
    status, headers, body = split_response(raw)
    assert status == 431
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {
        "code": "431",
        "message": f"request headers larger than {MAX_HEADER_BYTES} bytes (RELAY_MAX_HEADER_BYTES)",
    }
    assert elapsed < 3 * TIMEOUT_UNIT
    await assert_serves(gateway)


async def test_oversized_websocket_upgrade_gets_431(gateway: GatewayHandle) -> None:
    head = (
        b"GET /session/t?code=abc HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
    )
    raw, _ = await send_oversized_head(gateway, head, MiB)
    assert split_response(raw)[0] == 431
    await assert_serves(gateway)


async def test_headers_under_the_limit_and_a_large_body_in_one_write_are_served(
    gateway: GatewayHandle,
) -> None:
    token = gateway.mint("big-body").encode()
    body = b"x" * (4 * MAX_HEADER_BYTES)
    request = (
        b"POST /session/big-body HTTP/1.1\r\nHost: x\r\nAuthorization: " + token + b"\r\n"
        b"X-Pad: " + b"p" * (MAX_HEADER_BYTES // 2) + b"\r\n"
        b"Connection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )
    reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
    writer.write(request)
    raw = await asyncio.wait_for(reader.read(), 5 * TIMEOUT_UNIT)
    writer.close()
    status, _, answer = split_response(raw)
    assert status == 200, answer
    assert json.loads(answer)["uri"].startswith(f"{gateway.relay_url}/session/big-body?code=")


async def test_the_header_limit_is_per_request_on_a_kept_alive_connection(gateway: GatewayHandle) -> None:
    pad = "p" * (MAX_HEADER_BYTES * 3 // 4)
    async with httpx.AsyncClient() as http:
        for _ in range(3):  # three requests of 3/4 the limit on one connection
            reply = await http.get(f"{gateway.access_base}/healthz", headers={"X-Pad": pad})
            assert reply.status_code == 200


# --- request timeout -------------------------------------------------------------------------

REQUEST_TIMEOUT = 1.0  # seconds: short, so that these tests wait little


async def timed_gateway(gateway_factory: GatewayFactory) -> GatewayHandle:
    return await gateway_factory(request_timeout=REQUEST_TIMEOUT)


async def closed_after(reader: asyncio.StreamReader) -> tuple[bytes, float]:
    """Everything the gateway sends until it closes, and how long that took."""
    started = time.monotonic()
    raw = await asyncio.wait_for(reader.read(), 10 * TIMEOUT_UNIT)
    return raw, time.monotonic() - started


async def trickled_until_closed(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> tuple[bytes, float]:
    """Send a byte now and then, as a slowloris does (it is no way round the timeout), until the
    gateway closes; return what it sent and how long that took."""

    async def trickle() -> None:
        with contextlib.suppress(ConnectionError):
            while True:
                await asyncio.sleep(REQUEST_TIMEOUT / 4)
                writer.write(b"X")
                await writer.drain()

    dripping = asyncio.create_task(trickle())
    try:
        return await closed_after(reader)
    finally:
        dripping.cancel()
        writer.close()


async def test_a_connection_that_sends_nothing_is_closed_silently(gateway_factory: GatewayFactory) -> None:
    """uvicorn held it for good: idle sockets, no token needed, could use up the descriptors."""
    gw = await timed_gateway(gateway_factory)
    reader, writer = await asyncio.open_connection("127.0.0.1", gw.port)
    raw, elapsed = await closed_after(reader)
    writer.close()
    assert raw == b""  # a browser's spare socket is not answered with an error
    assert REQUEST_TIMEOUT * 0.9 <= elapsed < REQUEST_TIMEOUT + 5 * TIMEOUT_UNIT
    await assert_serves(gw)


@pytest.mark.parametrize(
    "partial",
    [
        b"POST /session/slow HTTP/1.1\r\nHost: x\r\n",
        b"GET /session/t?code=abc HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n",
    ],
    ids=["headers", "websocket upgrade"],
)
async def test_a_request_not_complete_in_time_gets_408_json(
    gateway_factory: GatewayFactory,
    partial: bytes,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        httpproto, "_limited", RateLimitedLog(httpproto.log)
    )  # its 10 s window: this test's own
    gw = await timed_gateway(gateway_factory)
    reader, writer = await asyncio.open_connection("127.0.0.1", gw.port)
    writer.write(partial)
    raw, elapsed = await trickled_until_closed(reader, writer)
    status, headers, body = split_response(raw)
    assert status == 408 and headers["content-type"] == "application/json"
    assert json.loads(body) == {
        "code": "408",
        "message": f"request not complete within {REQUEST_TIMEOUT:g}s (RELAY_REQUEST_TIMEOUT)",
    }
    assert elapsed < REQUEST_TIMEOUT + 5 * TIMEOUT_UNIT
    assert [r for r in caplog.records if "408" in r.getMessage() and r.exc_info is None]
    await assert_serves(gw)


async def test_the_request_timeout_restarts_after_each_response_and_spares_websockets(
    gateway_factory: GatewayFactory,
) -> None:
    """A kept-alive connection gets a new request timeout after each response: three requests
    over longer than one timeout pass on one connection, and a fourth sent a byte at a time
    gets its 408. An open websocket is not subject to it."""
    gw = await timed_gateway(gateway_factory)
    reader, writer = await asyncio.open_connection("127.0.0.1", gw.port)
    for _ in range(3):
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5 * TIMEOUT_UNIT)
        assert head.startswith(b"HTTP/1.1 200 ")
        length = int(split_response(head)[1]["content-length"])
        await reader.readexactly(length)
        await asyncio.sleep(REQUEST_TIMEOUT * 0.6)  # the duration under test
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # and then a byte at a time
    raw, _elapsed = await trickled_until_closed(reader, writer)
    assert split_response(raw)[0] == 408
    ws_reader = await open_ws(gw.session_url("long"), gw.mint("long", scopes=("read",)))
    ws_writer = await open_ws(gw.session_url("long"), gw.mint("long", scopes=("write",)))
    try:
        await asyncio.sleep(REQUEST_TIMEOUT * 2)  # the duration under test: longer than the timeout
        await ws_writer.send("still open")
        assert await asyncio.wait_for(ws_reader.recv(), 5 * TIMEOUT_UNIT) == "still open"
    finally:
        await ws_writer.close()
        await ws_reader.close()


# --- tokens ----------------------------------------------------------------------------------


def signed_payload(gw: GatewayHandle, payload: bytes) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(b'{"alg":"HS256","typ":"JWT"}')
    signing_input = f"{header}.{b64(payload)}"
    signature = hmac.new(gw.secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def token_with(gw: GatewayHandle, topic: str, **fields: object) -> str:
    now = int(time.time())
    claims: dict[str, object] = dict(
        topic=topic,
        prefix="session",
        scopes=("read", "write", "relay:stats"),
        audience=(gw.audience,),
        booking_id="b1",
        issued_at=now - 1,
        not_before=now - 1,
        expires_at=now + 300,
    )
    claims.update(fields)
    return encode(Claims(**claims), gw.secret)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("claim", "fields"),
    [
        ("exp", {"expires_at": 10**18}),
        ("nbf", {"not_before": -1}),
        ("iat", {"issued_at": 253402300800}),
    ],
)
async def test_numeric_dates_out_of_range_are_401_on_session_and_status(
    gateway: GatewayHandle, claim: str, fields: dict[str, object]
) -> None:
    token = token_with(gateway, "dates", **fields)
    expected = {
        "code": 401,
        "message": f"token invalid: malformed token: claim {claim} is out of range (0 to 253402300799, year 9999)",
    }
    for url in (gateway.session_url("dates"), f"{gateway.access_base}/status"):
        async with httpx.AsyncClient() as http:
            reply = await (
                http.post(url, headers={"Authorization": token})
                if "session" in url
                else http.get(url, headers={"Authorization": token})
            )
        assert (reply.status_code, reply.json()) == (401, expected)
    await assert_serves(gateway)


async def test_deeply_nested_payload_is_401(gateway: GatewayHandle) -> None:
    token = signed_payload(gateway, b"[" * 4000 + b"]" * 4000)  # fits the header limit
    reply = await post(gateway.session_url("nested"), token)
    assert (reply.status_code, reply.json()) == (
        401,
        {"code": 401, "message": "token invalid: malformed token: payload is nested too deeply"},
    )


# --- one-time codes --------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["é" * 43, "a" * 129], ids=["non-ascii", "overlong"])
async def test_bad_code_syntax_closes_with_4500(gateway: GatewayHandle, code: str) -> None:
    async with connect(f"{gateway.relay_url}/session/t?code={quote(code)}") as ws:
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5 * TIMEOUT_UNIT)
    assert ws.close_code == 4500
    assert ws.close_reason == "invalid code"
    await assert_serves(gateway)


# --- invalid UTF-8 ---------------------------------------------------------------------------


async def raw_session(
    gw: GatewayHandle, topic: str
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, ClientProtocol]:
    """A websocket opened by hand over a raw socket, so that arbitrary frames can be written."""
    uri = (await post(gw.session_url(topic), gw.mint(topic))).json()["uri"]
    protocol = ClientProtocol(parse_uri(uri))
    reader, writer = await asyncio.open_connection("127.0.0.1", urlsplit(uri).port)
    protocol.send_request(protocol.connect())
    writer.write(b"".join(protocol.data_to_send()))
    while not any(isinstance(e, Response) for e in protocol.events_received()):
        protocol.receive_data(await asyncio.wait_for(reader.read(65536), 5 * TIMEOUT_UNIT))
    return reader, writer, protocol


async def close_received(reader: asyncio.StreamReader, protocol: ClientProtocol) -> tuple[int, str]:
    while protocol.close_rcvd is None:
        data = await asyncio.wait_for(reader.read(65536), 5 * TIMEOUT_UNIT)
        assert data, "connection ended without a close frame"
        protocol.receive_data(data)
    return protocol.close_rcvd.code, protocol.close_rcvd.reason


@pytest.mark.parametrize("frames", [1, 2], ids=["one-frame", "two-frames-one-write"])
async def test_invalid_utf8_text_closes_with_1007_and_one_warning(
    gateway: GatewayHandle, caplog: pytest.LogCaptureFixture, frames: int
) -> None:
    caplog.set_level(logging.WARNING)
    reader, writer, protocol = await raw_session(gateway, "utf8")
    for _ in range(frames):
        protocol.send_frame(Frame(Opcode.TEXT, b"\xff\xfe not utf-8"))
    writer.write(b"".join(protocol.data_to_send()))  # every frame in one TCP write
    assert await close_received(reader, protocol) == (1007, "text message is not valid UTF-8")
    writer.close()
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in warnings] == [
        "invalid UTF-8 in a text message on /session/utf8: closed with 1007"
    ]
    assert not any(r.exc_info for r in caplog.records)
    await assert_serves(gateway)


# --- booking ids, host ids and topics --------------------------------------------------------


async def test_overlong_booking_id_in_a_token_is_400_and_the_replica_keeps_serving(
    gateway: GatewayHandle,
) -> None:
    reply = await post(gateway.session_url("bk"), gateway.mint("bk", booking_id="b" * 3100))
    assert (reply.status_code, reply.json()) == (
        400,
        {"code": "400", "message": f"bookingID longer than {MAX_BOOKING_ID_BYTES} bytes (or not UTF-8)"},
    )
    await assert_serves(gateway)


async def test_booking_id_at_the_limit_is_served(gateway: GatewayHandle) -> None:
    reply = await post(gateway.session_url("bk"), gateway.mint("bk", booking_id="b" * MAX_BOOKING_ID_BYTES))
    assert reply.status_code == 200


def admin_token(gw: GatewayHandle) -> str:
    return gw.mint("admin", scopes=("relay:admin",))


@pytest.mark.parametrize("path", ["deny", "allow"])
async def test_overlong_bid_on_deny_and_allow_is_400(gateway: GatewayHandle, path: str) -> None:
    exp = int(time.time()) + 60
    url = f"{gateway.access_base}/bids/{path}?bid={'b' * 3100}&exp={exp}"
    reply = await post(url, admin_token(gateway))
    assert (reply.status_code, reply.json()) == (
        400,
        {"code": "400", "message": f"bid (booking id) longer than {MAX_BOOKING_ID_BYTES} bytes"},
    )
    await assert_serves(gateway)


@pytest.mark.parametrize(
    ("exp", "status", "message"),
    [
        (
            "1000000000000000000",
            400,
            "booking expiry time (exp) of [1000000000000000000] is after 253402300799 (year 9999)",
        ),
        ("99999999999999999999", 422, "exp in query must be of type int64: '99999999999999999999'"),
        ("1_000_000", 422, "exp in query must be of type int64: '1_000_000'"),
    ],
)
async def test_deny_exp_is_an_int64_within_year_9999(
    gateway: GatewayHandle, exp: str, status: int, message: str
) -> None:
    reply = await post(f"{gateway.access_base}/bids/deny?bid=b1&exp={exp}", admin_token(gateway))
    assert (reply.status_code, reply.json()) == (status, {"code": str(status), "message": message})


def connect_token(gw: GatewayHandle, host_id: str, **kwargs: object) -> str:
    kwargs.setdefault("booking_id", None)
    return gw.mint(host_id, scopes=("client",), prefix="connect", **kwargs)


async def test_jump_host_id_of_4200_characters_is_refused(gateway: GatewayHandle) -> None:
    host_id = "h" * 4200
    reply = await post(f"{gateway.access_base}/api/v1/connect/{host_id}", connect_token(gateway, host_id))
    assert (reply.status_code, reply.json()) == (
        400,
        {"code": "400", "message": f"host_id longer than {MAX_HOST_ID_BYTES} bytes"},
    )
    await assert_serves(gateway)


async def test_jump_host_id_at_the_limit_is_served_and_one_more_is_refused(gateway: GatewayHandle) -> None:
    at_limit = "h" * MAX_HOST_ID_BYTES
    reply = await post(f"{gateway.access_base}/api/v1/connect/{at_limit}", connect_token(gateway, at_limit))
    assert reply.status_code == 200, reply.text
    over = at_limit + "h"
    reply = await post(f"{gateway.access_base}/api/v1/connect/{over}", connect_token(gateway, over))
    assert reply.status_code == 400


async def test_overlong_booking_id_on_jump_is_400(gateway: GatewayHandle) -> None:
    reply = await post(
        f"{gateway.access_base}/api/v1/connect/h1", connect_token(gateway, "h1", booking_id="b" * 3100)
    )
    assert (reply.status_code, reply.json()["message"]) == (
        400,
        f"bookingID longer than {MAX_BOOKING_ID_BYTES} bytes (or not UTF-8)",
    )


async def test_topic_at_the_limit_relays_and_one_byte_over_is_refused(gateway: GatewayHandle) -> None:
    at_limit = "é" * (MAX_TOPIC_BYTES // 2)  # 512 bytes, each escaped in the subject
    await assert_serves(gateway, at_limit)
    over = at_limit + "x"
    reply = await post(gateway.session_url(over), gateway.mint(over))
    assert (reply.status_code, reply.json()) == (
        400,
        {"code": "400", "message": f"topic longer than {MAX_TOPIC_BYTES} bytes"},
    )
