"""``tokentool keygen``, ``issue --private-key`` and ``verify --jwks/--public-key`` as installed."""

from __future__ import annotations

import stat
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from test_tokentool_cli import TOKENTOOL, clean_env, run

from tokentool.keys import keys_from_jwks

pytestmark = pytest.mark.e2e

AUD = "https://relay.example.io/access"
ISSUE = ["issue", "--audience", AUD, "--lifetime", "1h", "--topic", "lab1"]


def keygen(tmp: Path, name: str, *extra: str) -> tuple[Path, Path, str]:
    private, jwks = tmp / f"{name}.pem", tmp / "jwks.json"
    result = run(
        [str(TOKENTOOL), "keygen", "--private-key", str(private), "--jwks", str(jwks), *extra], clean_env()
    )
    assert result.returncode == 0, result.stderr
    return private, jwks, result.stdout.strip()


@pytest.mark.parametrize("alg", ["EdDSA", "ES256", "RS256"])
def test_keygen_issue_and_verify_with_the_jwks(tmp_path: Path, alg: str) -> None:
    private, jwks, kid = keygen(tmp_path, "signing", "--alg", alg)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert keys_from_jwks(jwks.read_text()).kids() == (kid,)
    assert "PRIVATE" not in jwks.read_text() and '"d"' not in jwks.read_text()
    issued = run([str(TOKENTOOL), *ISSUE, "--private-key", str(private)], clean_env())
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip()
    assert jwt.get_unverified_header(token) == {"alg": alg, "kid": kid, "typ": "JWT"}
    verified = run([str(TOKENTOOL), "verify", "--jwks", str(jwks), "--audience", AUD, token], clean_env())
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("valid: topic=lab1 prefix=session")


def test_verify_with_a_public_key_pem_and_refusals(tmp_path: Path) -> None:
    private, jwks, _ = keygen(tmp_path, "a")
    key = serialization.load_pem_private_key(private.read_bytes(), password=None)
    public = tmp_path / "public.pem"
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    token = run(
        [str(TOKENTOOL), *ISSUE, "--private-key", str(private), "--kid", "my-kid"], clean_env()
    ).stdout.strip()
    assert jwt.get_unverified_header(token)["kid"] == "my-kid"
    ok = run([str(TOKENTOOL), "verify", "--public-key", str(public), "--audience", AUD, token], clean_env())
    assert ok.returncode == 0, ok.stderr
    # Rotation: a second key in the same JWKS; a token of the first is still valid against it.
    keygen(tmp_path, "b")
    assert len(keys_from_jwks(jwks.read_text()).kids()) == 2
    other = run(
        [str(TOKENTOOL), *ISSUE, "--private-key", str(tmp_path / "b.pem")], clean_env()
    ).stdout.strip()
    refused = run(
        [str(TOKENTOOL), "verify", "--public-key", str(public), "--audience", AUD, other], clean_env()
    )
    assert refused.returncode == 1
    assert refused.stderr.startswith("invalid: ")
    hs = run([str(TOKENTOOL), *ISSUE, "--secret", "s"], clean_env()).stdout.strip()
    no_secret = run([str(TOKENTOOL), "verify", "--jwks", str(jwks), "--audience", AUD, hs], clean_env())
    assert no_secret.returncode == 1 and "no shared secret" in no_secret.stderr
    again = run([str(TOKENTOOL), "keygen", "--private-key", str(private), "--jwks", str(jwks)], clean_env())
    assert again.returncode == 1 and "not overwriting" in again.stderr


class _Jwks(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    private, jwks, _ = keygen(tmp_path, "served", "--alg", "ES256")
    handler = type("Handler", (_Jwks,), {"body": jwks.read_bytes()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json", private
    server.shutdown()
    server.server_close()


def test_verify_with_a_jwks_url(served: tuple[str, Path]) -> None:
    url, private = served
    token = run([str(TOKENTOOL), *ISSUE, "--private-key", str(private)], clean_env()).stdout.strip()
    verified = run([str(TOKENTOOL), "verify", "--jwks", url, "--audience", AUD, token], clean_env())
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("valid: topic=lab1")
