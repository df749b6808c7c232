"""The tokentool CLI through typer's CliRunner: issue (env and flags), verify, decode."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tokentool.claims import Claims, decode, decode_unverified, encode
from tokentool.cli import app

SECRET = "cli-secret-value"
AUD = "https://relay.example.io/access"
NOW = 1_700_000_000
BOOKING_ID = re.compile(r"tokentool-[0-9a-f]{16}")
ENV_NAMES = [
    f"{prefix}_{name}"
    for prefix in ("RELAY_TOKEN", "JUMP_TOKEN")
    for name in (
        "AUDIENCE",
        "BOOKING_ID",
        "LIFETIME",
        "SECRET",
        "TOPIC",
        "CONNECTION_TYPE",
        "SCOPE_ADMIN",
        "SCOPE_WRITE",
        "SCOPE_READ",
        "SCOPE_OTHER",
        "ROLE",
    )
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


def run(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env=env, input=stdin)


def issue_claims(*args: str, env: dict[str, str] | None = None) -> Claims:
    result = run("issue", *args, env=env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\n") == 1 and result.stdout.endswith("\n")
    return decode_unverified(result.stdout)


BASE_ENV = {
    "RELAY_TOKEN_AUDIENCE": AUD,
    "RELAY_TOKEN_LIFETIME": "3600",
    "RELAY_TOKEN_SECRET": SECRET,
    "RELAY_TOKEN_TOPIC": "expt00",
}


def test_issue_from_env_like_relay_token() -> None:
    before = int(time.time())
    result = run("issue", env=BASE_ENV)
    assert result.exit_code == 0
    claims = decode(result.stdout, secret=SECRET, audience=AUD)
    assert claims.topic == "expt00"
    assert claims.prefix == "session"
    assert claims.scopes == ("write", "read")
    assert claims.booking_id is not None and BOOKING_ID.fullmatch(claims.booking_id)
    assert claims.audience == (AUD,)
    assert claims.issued_at is not None and before - 1 <= claims.issued_at <= int(time.time()) - 1
    assert claims.not_before == claims.issued_at
    assert claims.expires_at == claims.issued_at + 3600
    assert SECRET not in result.output


def test_issue_from_flags_is_reproducible_and_matches_encode() -> None:
    args = [
        "--audience",
        AUD,
        "--lifetime",
        "1h30m",
        "--secret",
        SECRET,
        "--topic",
        "t",
        "--issued-at",
        str(NOW),
    ]
    result = run("issue", *args, "--booking-id", "b1", "--prefix", "session")
    expected = Claims(
        booking_id="b1",
        topic="t",
        prefix="session",
        scopes=("write", "read"),
        audience=(AUD,),
        expires_at=NOW + 5400,
        not_before=NOW,
        issued_at=NOW,
    )
    assert result.stdout == encode(expected, SECRET) + "\n"


def test_issue_flags_override_env() -> None:
    claims = issue_claims(
        "--topic", "flag-topic", "--connection-type", "shell", "--not-before", "5", env=BASE_ENV
    )
    assert claims.topic == "flag-topic"
    assert claims.prefix == "shell"
    assert claims.not_before == 5


def test_issue_scope_order_admin_write_read_other_then_extra() -> None:
    env = {**BASE_ENV, "RELAY_TOKEN_SCOPE_ADMIN": "TRUE", "RELAY_TOKEN_SCOPE_OTHER": "relay:stats"}
    claims = issue_claims("--scope", "x", "--scope", "y", env=env)
    assert claims.scopes == ("relay:admin", "write", "read", "relay:stats", "x", "y")


@pytest.mark.parametrize(
    ("env", "flags", "scopes"),
    [
        ({"RELAY_TOKEN_SCOPE_WRITE": "f"}, [], ("read",)),
        ({"RELAY_TOKEN_SCOPE_READ": "0"}, [], ("write",)),
        ({"RELAY_TOKEN_SCOPE_READ": "False"}, ["--read"], ("write", "read")),
        ({}, ["--no-write"], ("read",)),
        (
            {"RELAY_TOKEN_SCOPE_ADMIN": "t", "RELAY_TOKEN_SCOPE_READ": "F", "RELAY_TOKEN_SCOPE_WRITE": "F"},
            [],
            (),
        ),
    ],
)
def test_issue_go_style_booleans(env: dict[str, str], flags: list[str], scopes: tuple[str, ...]) -> None:
    claims = issue_claims(*flags, env={**BASE_ENV, **env})
    expected = ("relay:admin", *scopes) if env.get("RELAY_TOKEN_SCOPE_ADMIN") else scopes
    assert claims.scopes == expected


def test_issue_admin_needs_no_topic() -> None:
    env = {k: v for k, v in BASE_ENV.items() if k != "RELAY_TOKEN_TOPIC"}
    claims = issue_claims("--admin", "--no-read", "--no-write", env=env)
    assert claims.scopes == ("relay:admin",)
    assert claims.topic == ""


def test_issue_reports_every_missing_item_then_exits_1() -> None:
    result = run("issue")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "--audience (or RELAY_TOKEN_AUDIENCE) is required",
        "--lifetime (or RELAY_TOKEN_LIFETIME) is required",
        "--secret (or RELAY_TOKEN_SECRET, or --secret-file) is required",
        "--topic (or RELAY_TOKEN_TOPIC) is required, unless --admin",
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"RELAY_TOKEN_SCOPE_READ": "false", "RELAY_TOKEN_SCOPE_WRITE": "0"}, "no scopes"),
        ({"RELAY_TOKEN_SCOPE_READ": "maybe"}, "RELAY_TOKEN_SCOPE_READ invalid"),
        ({"RELAY_TOKEN_LIFETIME": "0"}, "RELAY_TOKEN_LIFETIME must not be zero"),
        ({"RELAY_TOKEN_LIFETIME": "soon"}, "RELAY_TOKEN_LIFETIME invalid"),
        ({"JUMP_TOKEN_ROLE": "guest"}, "JUMP_TOKEN_ROLE invalid"),
    ],
)
def test_issue_invalid_values(env: dict[str, str], message: str) -> None:
    result = run("issue", env={**BASE_ENV, **env})
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(message)


@pytest.mark.parametrize(
    ("args", "env", "line"),
    [
        (["--lifetime", "soon"], {}, "--lifetime invalid: 'soon' is neither whole seconds nor a duration"),
        ([], {"RELAY_TOKEN_LIFETIME": "soon"}, "RELAY_TOKEN_LIFETIME invalid: 'soon'"),
        ([], {"JUMP_TOKEN_LIFETIME": "soon", "RELAY_TOKEN_LIFETIME": ""}, "JUMP_TOKEN_LIFETIME invalid"),
        (["--lifetime", "0s"], {}, "--lifetime must not be zero"),
        (["--role", "guest"], {}, "--role invalid: 'guest' (use host, client"),
        ([], {"JUMP_TOKEN_ROLE": "guest"}, "JUMP_TOKEN_ROLE invalid: 'guest'"),
        ([], {"RELAY_TOKEN_SCOPE_WRITE": "maybe"}, "RELAY_TOKEN_SCOPE_WRITE invalid (or --write/--no-write)"),
    ],
)
def test_issue_problems_name_what_the_user_typed(args: list[str], env: dict[str, str], line: str) -> None:
    result = run("issue", *args, env={**BASE_ENV, **env})
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(line)


@pytest.mark.parametrize("word", ["yes", "On", "NO", "off"])
def test_issue_booleans_accept_yes_no_on_off(word: str) -> None:
    claims = issue_claims(env={**BASE_ENV, "RELAY_TOKEN_SCOPE_READ": word})
    assert ("read" in claims.scopes) is (word.lower() in ("yes", "on"))


def test_issue_generates_a_booking_id_per_token() -> None:
    ids = {issue_claims(env=BASE_ENV).booking_id for _ in range(5)}
    assert len(ids) == 5
    assert all(bid is not None and BOOKING_ID.fullmatch(bid) for bid in ids)
    assert issue_claims(env={**BASE_ENV, "RELAY_TOKEN_BOOKING_ID": "bk9"}).booking_id == "bk9"
    assert issue_claims("--booking-id", "", env=BASE_ENV).booking_id == ""


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["issue", "--issued-at", "abc"], "tokentool issue: Invalid value for '--issued-at'"),
        (["issue", "--bogus"], "tokentool issue: No such option: --bogus"),
        (["verify"], "tokentool verify: Missing argument 'TOKEN'"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args: list[str], line: str) -> None:
    result = CliRunner().invoke(app, args, env=BASE_ENV, prog_name="tokentool")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(line)
    assert "--help" in result.stderr


def test_issue_empty_prefix_flag_is_an_error_but_empty_env_means_default() -> None:
    result = run("issue", "--prefix", "", env=BASE_ENV)
    assert result.exit_code == 1
    assert result.stderr == "--connection-type (or RELAY_TOKEN_CONNECTION_TYPE) must not be empty\n"
    # viper (without AllowEmptyEnv) treats an empty variable as unset, and so does click.
    assert issue_claims(env={**BASE_ENV, "RELAY_TOKEN_CONNECTION_TYPE": ""}).prefix == "session"


def test_issue_secret_file(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    path.write_text(SECRET + "\n")
    env = {k: v for k, v in BASE_ENV.items() if k != "RELAY_TOKEN_SECRET"}
    result = run("issue", "--secret-file", str(path), env=env)
    assert decode(result.stdout, secret=SECRET, audience=AUD).topic == "expt00"
    missing = run("issue", "--secret-file", str(tmp_path / "nope"), env=env)
    assert missing.exit_code == 1
    assert missing.stderr.startswith("cannot read --secret-file")


@pytest.mark.parametrize(
    ("role", "scopes", "prefix", "booking_id"),
    [
        ("host", ("host",), "connect", None),
        ("client", ("client",), "connect", None),
        ("stats", ("stats",), "connect", None),
        ("read", ("read",), "session", "generated"),
        ("write", ("write",), "session", "generated"),
        ("readwrite", ("read", "write"), "session", "generated"),
    ],
)
def test_issue_jump_roles(role: str, scopes: tuple[str, ...], prefix: str, booking_id: str | None) -> None:
    claims = issue_claims("--role", role, env=BASE_ENV)
    assert claims.scopes == scopes
    assert claims.prefix == prefix
    if booking_id == "generated":
        assert claims.booking_id is not None and BOOKING_ID.fullmatch(claims.booking_id)
    else:
        assert claims.booking_id == booking_id


def test_issue_jump_token_matches_golden_vector_from_env() -> None:
    env = {
        "JUMP_TOKEN_ROLE": "host",
        "JUMP_TOKEN_AUDIENCE": "https://relay-access.example.io",
        "JUMP_TOKEN_LIFETIME": "1000",
        "JUMP_TOKEN_SECRET": "somesecret",
        "JUMP_TOKEN_TOPIC": "f7558de0-cb0d-4cb5-9518-ac71d044800b",
        "JUMP_TOKEN_CONNECTION_TYPE": "connect",
    }
    result = run("issue", "--issued-at", "1609329233", env=env)
    assert result.stdout.strip().endswith(".AkwDAejQx2_5WJpOxbGLQqAV_6oGlBs1hFTaL4WKu8o")


def test_issue_stats_role_defaults_topic_and_booking_id_rules() -> None:
    env = {k: v for k, v in BASE_ENV.items() if k != "RELAY_TOKEN_TOPIC"}
    assert issue_claims("--role", "stats", env=env).topic == "stats"
    assert issue_claims("--role", "host", "--booking-id", "b", env=BASE_ENV).booking_id == "b"
    assert issue_claims("--no-booking-id", env=BASE_ENV).booking_id is None
    assert issue_claims("--role", "host", "--prefix", "shell", env=BASE_ENV).prefix == "shell"


def test_help_never_shows_the_secret() -> None:
    result = run("issue", "--help", env={"RELAY_TOKEN_SECRET": SECRET})
    assert result.exit_code == 0
    assert SECRET not in result.output


def token(**overrides: object) -> str:
    fields: dict[str, object] = {
        "booking_id": "bk1",
        "topic": "expt00",
        "prefix": "session",
        "scopes": ("read", "write"),
        "audience": (AUD,),
        "issued_at": NOW - 1,
        "not_before": NOW - 1,
        "expires_at": NOW + 3599,
    }
    fields.update(overrides)
    return encode(Claims(**fields), SECRET)  # type: ignore[arg-type]


def verify(tok: str, *extra: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Result:
    return run("verify", tok, "--now", str(NOW), *extra, env=env, stdin=stdin)


def test_verify_valid() -> None:
    result = verify(token(), "--secret", SECRET, "--audience", AUD)
    assert result.exit_code == 0
    assert (
        result.stdout
        == "valid: topic=expt00 prefix=session scopes=read,write booking_id=bk1 expires in 59m59s\n"
    )


def test_verify_from_stdin_with_env() -> None:
    env = {"RELAY_TOKEN_SECRET": SECRET, "RELAY_TOKEN_AUDIENCE": AUD}
    result = verify("-", env=env, stdin=token(booking_id=None, expires_at=None) + "\n")
    assert result.exit_code == 0
    assert result.stdout.endswith("booking_id=(none) no expiry\n")


@pytest.mark.parametrize(
    ("tok", "secret", "audience", "line"),
    [
        (token(expires_at=NOW - 192), SECRET, AUD, "invalid: expired 3m12s ago (exp 2023-11-14T22:10:08Z)"),
        (
            token(not_before=NOW + 10),
            SECRET,
            AUD,
            "invalid: not valid for another 10s (nbf 2023-11-14T22:13:30Z)",
        ),
        (token(issued_at=NOW + 5), SECRET, AUD, "invalid: issued in the future (iat is 5s from now) (iat "),
        (
            token(),
            SECRET,
            "https://other",
            f"invalid: audience mismatch: token has [{AUD}], expected https://other",
        ),
        (token(), "not-the-secret", AUD, "invalid: bad signature (wrong secret?)"),
        ("garbage", SECRET, AUD, "invalid: malformed token"),
    ],
)
def test_verify_failures_one_line_exit_1(tok: str, secret: str, audience: str, line: str) -> None:
    result = verify(tok, "--secret", secret, "--audience", audience)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(line)
    assert secret not in result.stderr


def test_verify_missing_secret_and_audience() -> None:
    result = verify(token())
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "--secret (or RELAY_TOKEN_SECRET, or --secret-file) is required",
        "--audience (or RELAY_TOKEN_AUDIENCE) is required",
    ]


def test_decode_prints_header_payload_and_times() -> None:
    result = run("decode", token(expires_at=NOW - 192), "--now", str(NOW))
    assert result.exit_code == 0
    out = result.stdout
    assert '"alg": "HS256"' in out
    assert '"booking_id": "bk1"' in out
    assert out.index("header:") < out.index("payload:")
    assert "exp: 2023-11-14T22:10:08Z (expired 3m12s ago)" in out
    assert "nbf: 2023-11-14T22:13:19Z (valid since 1s ago)" in out
    assert "iat: 2023-11-14T22:13:19Z (issued 1s ago)" in out
    assert "NOT verified" in out


def test_decode_future_times_and_stdin() -> None:
    result = run("decode", "-", "--now", str(NOW), stdin=token(not_before=NOW + 10, issued_at=NOW + 10))
    assert "(not valid for another 10s)" in result.stdout
    assert "(issued in the future (10s from now))" in result.stdout
    assert "(expires in 59m59s)" in result.stdout


def test_decode_malformed_exits_1() -> None:
    result = run("decode", "not.a.token")
    assert result.exit_code == 1
    assert result.stderr.startswith("invalid: malformed token")


def test_no_args_shows_help() -> None:
    result = run()
    assert "issue" in result.output and "verify" in result.output and "decode" in result.output


def test_environment_is_not_leaked_between_tests() -> None:
    assert not any(name in os.environ for name in ENV_NAMES)
