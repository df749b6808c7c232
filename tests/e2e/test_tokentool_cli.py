"""The installed ``tokentool`` console script, configured by environment only as in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tokentool.claims import decode

pytestmark = pytest.mark.e2e

TOKENTOOL = Path(sys.executable).parent / "tokentool"
SECRET = "e2e-secret"
AUD = "https://relay.example.io/access"


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RELAY_TOKEN_", "JUMP_TOKEN_"))}
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, input=stdin, capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture(scope="module")
def issued() -> str:
    assert TOKENTOOL.exists(), f"console script not installed at {TOKENTOOL}"
    env = clean_env(
        RELAY_TOKEN_AUDIENCE=AUD,
        RELAY_TOKEN_LIFETIME="3600",
        RELAY_TOKEN_SECRET=SECRET,
        RELAY_TOKEN_TOPIC="expt00",
        RELAY_TOKEN_SCOPE_OTHER="relay:stats",
    )
    result = run([str(TOKENTOOL), "issue"], env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.endswith("\n") and result.stdout.count("\n") == 1
    return result.stdout.strip()


def test_issued_token_decodes(issued: str) -> None:
    claims = decode(issued, secret=SECRET, audience=AUD)
    assert claims.topic == "expt00"
    assert claims.prefix == "session"
    assert claims.scopes == ("write", "read", "relay:stats")
    assert claims.booking_id == "relay-token-cli"
    assert claims.expires_at is not None and claims.issued_at is not None
    assert claims.expires_at - claims.issued_at == 3600


def test_verify_and_decode_from_stdin(issued: str) -> None:
    env = clean_env(RELAY_TOKEN_SECRET=SECRET, RELAY_TOKEN_AUDIENCE=AUD)
    result = run([str(TOKENTOOL), "verify", "-"], env, stdin=issued + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("valid: topic=expt00 prefix=session scopes=write,read,relay:stats")
    decoded = run([sys.executable, "-m", "tokentool", "decode", issued], clean_env())
    assert decoded.returncode == 0, decoded.stderr
    assert '"topic": "expt00"' in decoded.stdout


def test_verify_wrong_secret_exits_1(issued: str) -> None:
    env = clean_env(RELAY_TOKEN_SECRET="other", RELAY_TOKEN_AUDIENCE=AUD)
    result = run([str(TOKENTOOL), "verify", issued], env)
    assert result.returncode == 1
    assert result.stderr == "invalid: bad signature (wrong secret?)\n"


def test_missing_env_exits_1_with_one_line_each() -> None:
    result = run([str(TOKENTOOL), "issue"], clean_env(RELAY_TOKEN_SECRET=SECRET))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "RELAY_TOKEN_AUDIENCE not set (or --audience)",
        "RELAY_TOKEN_LIFETIME not set (or --lifetime)",
        "RELAY_TOKEN_TOPIC not set (or --topic)",
    ]
    assert SECRET not in result.stderr


def test_jump_host_token_from_env() -> None:
    env = clean_env(
        JUMP_TOKEN_ROLE="host",
        JUMP_TOKEN_AUDIENCE="https://relay-access.example.io",
        JUMP_TOKEN_LIFETIME="1000",
        JUMP_TOKEN_SECRET="somesecret",
        JUMP_TOKEN_TOPIC="f7558de0-cb0d-4cb5-9518-ac71d044800b",
        JUMP_TOKEN_CONNECTION_TYPE="connect",
    )
    result = run([sys.executable, "-m", "tokentool", "issue", "--issued-at", "1609329233"], env)
    assert result.returncode == 0, result.stderr
    # Byte-identical to practable/jump's golden vector (J:internal/access/access_test.go).
    assert result.stdout.strip().endswith(".AkwDAejQx2_5WJpOxbGLQqAV_6oGlBs1hFTaL4WKu8o")
