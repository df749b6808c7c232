"""Public-key tokens through a real gateway and nats-server, keys from files and from a JWKS URL
served by a local HTTP server: golden tokens, rotation without a failed session, an unknown-kid
flood that costs the URL nothing, and a jku header that is never followed."""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import GatewayFactory, GatewayHandle
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from relaytest import TIMEOUT_UNIT, eventually, golden_public_pem
from websockets.asyncio.client import connect

from gateway.jwks import MAX_JWKS_BYTES, JwksFetchError, http_fetch
from tokentool.claims import Claims
from tokentool.keys import KeysUnusable, PublicKey, encode_signed, jwks_document

pytestmark = pytest.mark.integration

KEYS = Path(__file__).parents[1] / "unit" / "tokentool" / "keys"
GOLDEN: dict[str, str] = json.loads((KEYS / "golden.json").read_text())
GOLDEN_AUD = "https://relay.example.org/access"


class JwksServer:
    """A real HTTP server on loopback: ``/jwks.json`` serves ``body``; every GET is counted by path."""

    def __init__(self) -> None:
        self.body = b'{"keys":[]}'
        self.calls: dict[str, int] = {}
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with owner.lock:
                    owner.calls[self.path] = owner.calls.get(self.path, 0) + 1
                    body = owner.body
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def publish(self, *keys: PublicKey) -> None:
        with self.lock:
            self.body = json.dumps(jwks_document(keys)).encode()

    def count(self, path: str = "/jwks.json") -> int:
        with self.lock:
            return self.calls.get(path, 0)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def jwks_server() -> Iterator[JwksServer]:
    server = JwksServer()
    yield server
    server.close()


class Issuer:
    """The booking system's side: private keys by kid, signing with the current one."""

    def __init__(self) -> None:
        self.private: dict[str, Any] = {}

    def add(self, kid: str, alg: str = "EdDSA") -> PublicKey:
        key = (
            ed25519.Ed25519PrivateKey.generate()
            if alg == "EdDSA"
            else ec.generate_private_key(ec.SECP256R1())
        )
        self.private[kid] = (key, alg)
        return PublicKey(kid, alg, key.public_key())

    def token(self, kid: str, audience: str, topic: str, scopes: tuple[str, ...] = ("read", "write")) -> str:
        key, alg = self.private[kid]
        now = int(time.time())
        claims = Claims(
            topic=topic,
            prefix="session",
            scopes=scopes,
            audience=(audience,),
            booking_id="b1",
            issued_at=now - 1,
            not_before=now - 1,
            expires_at=now + 300,
        )
        return encode_signed(claims, key, algorithm=alg, kid=kid)


async def access(
    gw: GatewayHandle, topic: str, token: str, http: httpx.AsyncClient | None = None
) -> httpx.Response:
    if http is not None:
        return await http.post(gw.session_url(topic), headers={"Authorization": token})
    async with httpx.AsyncClient() as client:
        return await client.post(gw.session_url(topic), headers={"Authorization": token})


async def connect_with(gw: GatewayHandle, topic: str, token: str) -> Any:
    response = await access(gw, topic, token)
    assert response.status_code == 200, response.text
    return await connect(response.json()["uri"], compression=None)


def source_kids(gw: GatewayHandle) -> tuple[str, ...]:
    assert gw.gateway is not None and gw.gateway.services is not None
    source = gw.gateway.services.tokens.source
    assert source is not None
    return source.keys.kids()


@pytest.mark.parametrize("alg", ["EdDSA", "ES256", "RS256"])
async def test_golden_tokens_open_sessions_with_keys_from_a_jwks_url(
    gateway_factory: GatewayFactory, jwks_server: JwksServer, alg: str
) -> None:
    jwks_server.body = (KEYS / "jwks.json").read_bytes()
    gw = await gateway_factory(secret="", jwks=f"{jwks_server.url}/jwks.json", audience=GOLDEN_AUD)
    ws = await connect_with(gw, "golden", GOLDEN[alg])
    await ws.close()
    refused = await access(gw, "golden", gw.mint("golden"))  # HS256: this gateway holds no secret
    assert refused.status_code == 401
    assert "no shared secret" in refused.json()["message"]


async def test_secret_and_public_key_files_are_accepted_side_by_side(
    gateway_factory: GatewayFactory, tmp_path: Path
) -> None:
    gw = await gateway_factory(
        public_keys=Path(golden_public_pem(tmp_path / "public.pem")),
        jwks=str(KEYS / "jwks.json"),
        audience=GOLDEN_AUD,
    )
    for token in (GOLDEN["EdDSA"], GOLDEN["RS256"], gw.mint("golden")):
        ws = await connect_with(gw, "golden", token)
        await ws.close()


async def test_rotation_add_then_retire_a_key_fails_no_session(
    gateway_factory: GatewayFactory, jwks_server: JwksServer
) -> None:
    issuer = Issuer()
    old = issuer.add("2026-old")
    jwks_server.publish(old)
    gw = await gateway_factory(secret="", jwks=f"{jwks_server.url}/jwks.json", jwks_refresh=1.0)
    current = ["2026-old"]
    failures: list[str] = []
    requests = 0
    stop = asyncio.Event()

    async def booking_traffic() -> None:  # users keep arriving with the issuer's current key
        nonlocal requests
        while not stop.is_set():
            response = await access(gw, "lab", issuer.token(current[0], gw.audience, "lab"))
            requests += 1
            if response.status_code != 200:
                failures.append(f"{current[0]}: {response.status_code} {response.text}")
            await asyncio.sleep(0.02)

    traffic = asyncio.create_task(booking_traffic())
    long_lived = await connect_with(gw, "lab", issuer.token("2026-old", gw.audience, "lab", ("read",)))
    # 1. Publish the new key beside the old one; sign with it once the gateway has it.
    new = issuer.add("2026-new", "ES256")
    jwks_server.publish(old, new)
    await eventually(lambda: source_kids(gw) == ("2026-old", "2026-new"), timeout=5, what="new key fetched")
    current[0] = "2026-new"
    # 2. Retire the old key.
    jwks_server.publish(new)
    await eventually(lambda: source_kids(gw) == ("2026-new",), timeout=5, what="old key retired")
    stop.set()
    await traffic
    assert failures == []
    assert requests >= 3
    # Tokens of the retired key are refused from now on; its open session goes on relaying.
    refused = await access(gw, "lab", issuer.token("2026-old", gw.audience, "lab"))
    assert refused.status_code == 401 and "unknown key id" in refused.json()["message"]
    writer = await connect_with(gw, "lab", issuer.token("2026-new", gw.audience, "lab", ("write",)))
    await writer.send("after rotation")
    assert await asyncio.wait_for(long_lived.recv(), 5 * TIMEOUT_UNIT) == "after rotation"
    await writer.close()
    await long_lived.close()


async def test_a_new_key_is_found_by_its_first_token_after_the_refetch_interval(
    gateway_factory: GatewayFactory, jwks_server: JwksServer
) -> None:
    issuer = Issuer()
    k1 = issuer.add("k1")
    jwks_server.publish(k1)
    gw = await gateway_factory(secret="", jwks=f"{jwks_server.url}/jwks.json", jwks_refresh=3600.0)
    assert gw.gateway is not None and gw.gateway.services is not None
    source = gw.gateway.services.tokens.source
    assert source is not None
    source.min_refetch = 0.0  # the production interval is 30 s; here any unknown kid may refetch
    jwks_server.publish(k1, issuer.add("k2"))
    response = await access(gw, "lab", issuer.token("k2", gw.audience, "lab"))
    assert response.status_code == 200, response.text
    assert jwks_server.count() == 2


async def test_an_unknown_kid_flood_refetches_the_jwks_url_at_most_once(
    gateway_factory: GatewayFactory, jwks_server: JwksServer
) -> None:
    issuer = Issuer()
    jwks_server.publish(issuer.add("real"))
    gw = await gateway_factory(secret="", jwks=f"{jwks_server.url}/jwks.json", rate_access=0.0)
    assert jwks_server.count() == 1  # the start-up fetch

    attacker = Issuer()
    attacker.add("invented")
    key, alg = attacker.private["invented"]
    claims = Claims(
        topic="lab", prefix="session", scopes=("read",), audience=(gw.audience,), expires_at=2**31
    )
    tokens = [encode_signed(claims, key, algorithm=alg, kid=f"invented-{n}") for n in range(300)]
    async with httpx.AsyncClient() as http:
        statuses = [
            r.status_code for r in await asyncio.gather(*(access(gw, "lab", t, http) for t in tokens))
        ]
    assert set(statuses) == {401}
    assert jwks_server.count() <= 2  # started less than 30 s ago: normally no refetch at all
    ok = await access(gw, "lab", issuer.token("real", gw.audience, "lab"))
    assert ok.status_code == 200


async def test_a_jku_header_is_never_followed(
    gateway_factory: GatewayFactory, jwks_server: JwksServer
) -> None:
    issuer = Issuer()
    jwks_server.publish(issuer.add("real"))
    gw = await gateway_factory(secret="", jwks=f"{jwks_server.url}/jwks.json")
    attacker = Issuer()
    attacker.add("evil")
    key, alg = attacker.private["evil"]
    now = int(time.time())
    claims = Claims(
        topic="lab",
        prefix="session",
        scopes=("read",),
        audience=(gw.audience,),
        booking_id="b",
        expires_at=now + 60,
    )
    for kid in ("evil", "real"):
        token = encode_signed(claims, key, algorithm=alg, kid=kid)
        header, rest = token.split(".", 1)
        fields = json.loads(base64.urlsafe_b64decode(header + "=="))
        fields.update(jku=f"{jwks_server.url}/evil.json", x5u=f"{jwks_server.url}/evil.pem")
        forged_header = base64.urlsafe_b64encode(json.dumps(fields).encode()).rstrip(b"=").decode()
        signing_input = f"{forged_header}.{rest.split('.')[0]}"
        signature = base64.urlsafe_b64encode(key.sign(signing_input.encode())).rstrip(b"=").decode()
        response = await access(gw, "lab", f"{signing_input}.{signature}")
        assert response.status_code == 401
    assert jwks_server.count("/evil.json") == 0 and jwks_server.count("/evil.pem") == 0


async def test_an_unusable_key_file_stops_start_up_naming_the_setting(
    gateway_factory: GatewayFactory, tmp_path: Path
) -> None:
    bad = tmp_path / "keys.pem"
    bad.write_text("-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n")
    with pytest.raises(
        KeysUnusable, match=r"^RELAY_PUBLIC_KEYS: .*keys\.pem: PEM block 1 is not a public key"
    ):
        await gateway_factory(public_keys=bad)


async def test_an_unreachable_jwks_url_still_serves_hs256(gateway_factory: GatewayFactory) -> None:
    gw = await gateway_factory(jwks="http://127.0.0.1:9/jwks.json")  # discard port: refused at once
    async with httpx.AsyncClient() as http:
        response = await http.post(gw.session_url("lab"), headers={"Authorization": gw.mint("lab")})
    assert response.status_code == 200


class _Answer(BaseHTTPRequestHandler):
    """Answers every GET with ``status`` and ``body`` (and a Location for redirects)."""

    status = 200
    body = b""

    def do_GET(self) -> None:
        self.send_response(self.status)
        if 300 <= self.status < 400:
            self.send_header("Location", "/elsewhere.json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (503, b"", "HTTP 503"),
        (302, b"", "HTTP 302"),  # redirects are not followed
        (200, b"x" * (MAX_JWKS_BYTES + 1), "larger than"),
    ],
)
async def test_http_fetch_refuses_errors_redirects_and_huge_bodies(
    status: int, body: bytes, reason: str
) -> None:
    handler = type("Handler", (_Answer,), {"status": status, "body": body})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        async with httpx.AsyncClient() as client:
            with pytest.raises(JwksFetchError, match=reason):
                await http_fetch(client, f"http://127.0.0.1:{server.server_address[1]}/jwks.json")
    finally:
        server.shutdown()
        server.server_close()


async def test_http_fetch_of_an_unreachable_url_is_a_fetch_error() -> None:
    async with httpx.AsyncClient() as client:
        with pytest.raises(JwksFetchError, match="ConnectError"):
            await http_fetch(client, "http://127.0.0.1:9/jwks.json")
