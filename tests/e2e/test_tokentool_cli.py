"""The installed ``tokentool`` console script, configured by environment only as in production."""

from __future__ import annotations

import os
import re
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
    assert claims.booking_id is not None and re.fullmatch(r"tokentool-[0-9a-f]{16}", claims.booking_id)
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
        "--audience (or RELAY_TOKEN_AUDIENCE) is required",
        "--lifetime (or RELAY_TOKEN_LIFETIME) is required",
        "--topic (or RELAY_TOKEN_TOPIC) is required, unless --admin",
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


BASE = {"RELAY_TOKEN_AUDIENCE": AUD, "RELAY_TOKEN_SECRET": SECRET, "RELAY_TOKEN_TOPIC": "expt00"}


def issue_booking_id(*args: str, **env: str) -> str | None:
    result = run([str(TOKENTOOL), "issue", "--lifetime", "1h", *args], clean_env(**BASE, **env))
    assert result.returncode == 0, result.stderr
    return decode(result.stdout.strip(), secret=SECRET, audience=AUD).booking_id


def test_each_token_gets_its_own_booking_id() -> None:
    first, second = issue_booking_id(), issue_booking_id()
    assert first != second
    for bid in (first, second):
        assert bid is not None and re.fullmatch(r"tokentool-[0-9a-f]{16}", bid)
    assert issue_booking_id("--booking-id", "lab-42") == "lab-42"
    assert issue_booking_id(RELAY_TOKEN_BOOKING_ID="lab-43") == "lab-43"
    assert issue_booking_id("--booking-id", "lab-44", RELAY_TOKEN_BOOKING_ID="lab-43") == "lab-44"


def test_help_says_how_booking_ids_are_chosen_and_shows_defaults() -> None:
    result = run([str(TOKENTOOL), "issue", "--help"], clean_env(COLUMNS="200", TERM="dumb"))
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "relay-token-cli" not in text
    assert "Default: a new tokentool-<16 hex digits> for each token" in text
    assert "Default: session, or connect with --role host/client/stats." in text
    assert "Default: now - 1." in text
    assert "Default: RELAY_TOKEN_SCOPE_WRITE, else yes." in text
    assert re.search(r"\w \.", text) is None, "a word followed by a stray space before a full stop"


@pytest.mark.parametrize(
    ("args", "env", "line"),
    [
        (
            ["issue", "--lifetime", "1h"],
            {"RELAY_TOKEN_SECRET": ""},
            "--secret (or RELAY_TOKEN_SECRET, or --secret-file) is required",
        ),
        (
            ["issue", "--lifetime", "5x"],
            {},
            "--lifetime invalid: '5x' is neither whole seconds nor a duration like 1h30m",
        ),
        (
            ["issue"],
            {"RELAY_TOKEN_LIFETIME": "5x"},
            "RELAY_TOKEN_LIFETIME invalid: '5x' is neither whole seconds nor a duration like 1h30m",
        ),
        (
            ["issue", "--lifetime", "1h", "--role", "guest"],
            {},
            "--role invalid: 'guest' (use host, client, stats, read, write, readwrite)",
        ),
        (
            ["issue", "--lifetime", "1h"],
            {"RELAY_TOKEN_SCOPE_READ": "maybe"},
            "RELAY_TOKEN_SCOPE_READ invalid (or --read/--no-read): invalid boolean 'maybe' (use true/false, yes/no, on/off or 1/0)",
        ),
        (["issue", "--issued-at", "abc"], {}, "tokentool issue: Invalid value for '--issued-at'"),
        (["issue", "--bogus"], {}, "tokentool issue: No such option: --bogus (see tokentool issue --help)"),
        (["verify"], {}, "tokentool verify: Missing argument 'TOKEN'. (see tokentool verify --help)"),
    ],
)
def test_errors_are_one_line_naming_the_flag(args: list[str], env: dict[str, str], line: str) -> None:
    result = run([str(TOKENTOOL), *args], clean_env(**{**BASE, **env}))
    assert result.returncode in (1, 2)
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(line)
    assert "Traceback" not in result.stderr
    assert SECRET not in result.stderr


def test_yes_and_off_are_booleans_in_variables() -> None:
    env = clean_env(**BASE, RELAY_TOKEN_SCOPE_WRITE="off", RELAY_TOKEN_SCOPE_ADMIN="yes")
    result = run([str(TOKENTOOL), "issue", "--lifetime", "90s"], env)
    assert result.returncode == 0, result.stderr
    claims = decode(result.stdout.strip(), secret=SECRET, audience=AUD)
    assert claims.scopes == ("relay:admin", "read")
