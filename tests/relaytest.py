"""Helpers shared by the test layers (importable because tests/ holds the root conftest)."""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import Awaitable, Callable

import httpx
from websockets.asyncio.client import ClientConnection, connect

from tokentool.claims import Claims, encode

# Scale every test deadline on slow machines: RELAY_TEST_TIMEOUT_UNIT=2 doubles them.
TIMEOUT_UNIT = float(os.environ.get("RELAY_TEST_TIMEOUT_UNIT", "1"))
SECRET = "test-secret-not-for-production"


# Headless Chromium on this machine: no GPU, and nothing that reaches for the (closed) network.
CHROMIUM_FLAGS = (
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-breakpad",
)


_GIVEN: set[int] = set()  # ports handed out by this process: some are bound only later


def free_port() -> int:
    """A loopback port nothing listens on, and not one this process handed out before (several
    are often taken before any is bound, as a cluster's client and route ports are)."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in _GIVEN:
            _GIVEN.add(port)
            return port


async def eventually(
    check: Callable[[], bool | Awaitable[bool]], *, timeout: float = 5.0, what: str = ""
) -> None:
    """Poll ``check`` until it is true; fail after ``timeout`` (scaled) seconds."""
    deadline = time.monotonic() + timeout * TIMEOUT_UNIT
    while True:
        result = check()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or check}")
        await asyncio.sleep(0.01)


def mint(
    secret: str,
    audience: str,
    topic: str,
    *,
    scopes: tuple[str, ...] = ("read", "write"),
    booking_id: str | None = "b1",
    lifetime: float = 300,
    prefix: str = "session",
    not_before: int | None = None,
) -> str:
    now = int(time.time())
    return encode(
        Claims(
            topic=topic,
            prefix=prefix,
            scopes=tuple(scopes),
            audience=(audience,),
            booking_id=booking_id,
            issued_at=now - 1,
            not_before=now - 1 if not_before is None else not_before,
            expires_at=int(now + lifetime) if lifetime >= 1 else int(now + lifetime),
        ),
        secret,
    )


async def open_ws(access_url: str, token: str, **kwargs: object) -> ClientConnection:
    """Access flow + dial, as a browser would: POST the token, connect to the returned URI."""
    async with httpx.AsyncClient() as http:
        response = await http.post(access_url, headers={"Authorization": token})
    assert response.status_code == 200, response.text
    uri = response.json()["uri"]
    return await connect(uri, max_size=None, compression=None, **kwargs)  # type: ignore[arg-type]


async def request_uri(access_url: str, token: str) -> str:
    async with httpx.AsyncClient() as http:
        response = await http.post(access_url, headers={"Authorization": token})
    assert response.status_code == 200, response.text
    return str(response.json()["uri"])


async def assert_quiet(ws: ClientConnection, window: float = 0.3) -> None:
    """Assert that nothing arrives on ``ws`` for ``window`` seconds (a bounded negative check)."""
    try:
        message = await asyncio.wait_for(ws.recv(), window)
    except TimeoutError:
        return
    raise AssertionError(f"unexpected message {message!r:.80}")


# Golden public keys (tests/unit/tokentool/keys/jwks.json; golden.json holds tokens they verify).
# No key file is kept in PEM form: a PEM file is written from the JWKS where a test needs one.
GOLDEN_KEYS = os.path.join(os.path.dirname(__file__), "unit", "tokentool", "keys")


def golden_public_pem(path: os.PathLike[str] | str) -> str:
    """Write the golden public keys as one PEM file at ``path``; return the path."""
    from cryptography.hazmat.primitives import serialization

    from tokentool.keys import keys_from_jwks

    with open(os.path.join(GOLDEN_KEYS, "jwks.json"), encoding="utf-8") as f:
        keys = keys_from_jwks(f.read())
    pem = b"".join(
        k.key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        for k in keys.keys
    )
    with open(path, "wb") as f:
        f.write(pem)
    return str(path)
