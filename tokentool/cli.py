"""The ``tokentool`` command line: issue, verify and decode relay/jump tokens.

Configured by flags or by practable's environment variables (``RELAY_TOKEN_*``, ``JUMP_TOKEN_ROLE``).
Prints tokens on stdout and problems on stderr; never prints the secret.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Final

import typer

from tokentool.claims import (
    Claims,
    Scope,
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
from tokentool.durations import format_duration, parse_go_bool, parse_lifetime

app = typer.Typer(
    name="tokentool",
    help="Issue, verify and decode relay (practable-compatible) JWT tokens.",
    no_args_is_help=True,
    add_completion=False,
    # Pretty tracebacks print local variables, which would include the secret.
    pretty_exceptions_enable=False,
)

DEFAULT_BOOKING_ID: Final = "relay-token-cli"
# jump's `jump token` role -> scopes (J:cmd/jump/cmd/token.go).
ROLE_SCOPES: Final[dict[str, tuple[str, ...]]] = {
    "host": (Scope.HOST,),
    "client": (Scope.CLIENT,),
    "stats": (Scope.JUMP_STATS,),
    "read": (Scope.READ,),
    "write": (Scope.WRITE,),
    "readwrite": (Scope.READ, Scope.WRITE),
}
# Roles whose tokens go to jump's `connect` access API: prefix `connect`, no booking id.
JUMP_ROLES: Final = frozenset({"host", "client", "stats"})


@dataclass
class _Problems:
    """Every configuration problem found, reported together (one line each) before exiting 1."""

    lines: list[str] = field(default_factory=list)

    def add(self, line: str) -> None:
        self.lines.append(line)

    def exit_if_any(self) -> None:
        if self.lines:
            for line in self.lines:
                typer.echo(line, err=True)
            raise typer.Exit(1)


def _env_bool(flag: bool | None, env: str, default: bool, problems: _Problems) -> bool:
    """A flag wins over its environment variable, which wins over the default; env parses Go-style."""
    if flag is not None:
        return flag
    raw = os.environ.get(env)
    if raw is None or raw.strip() == "":
        return default
    try:
        return parse_go_bool(raw)
    except ValueError as exc:
        problems.add(f"{env} invalid: {exc}")
        return default


def _resolve_secret(secret: str | None, secret_file: Path | None, env: str, problems: _Problems) -> str:
    if secret_file is not None:
        try:
            # Strip only the line ending an editor or `echo` leaves, not meaningful spaces.
            secret = secret_file.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            problems.add(f"cannot read --secret-file: {exc.strerror or type(exc).__name__}")
            return ""
    if not secret:
        problems.add(f"{env} not set (or --secret / --secret-file)")
        return ""
    return secret


def _resolve_lifetime(lifetime: str | None, problems: _Problems) -> int:
    if lifetime is None or lifetime.strip() == "":
        problems.add("RELAY_TOKEN_LIFETIME not set (or --lifetime)")
        return 0
    try:
        seconds = parse_lifetime(lifetime)
    except ValueError:
        problems.add(
            f"RELAY_TOKEN_LIFETIME invalid: {lifetime!r} is neither seconds nor a duration like 1h30m"
        )
        return 0
    if seconds == 0:
        problems.add("RELAY_TOKEN_LIFETIME must not be zero")
    return seconds


def _utc(ts: int) -> str:
    try:
        return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return f"{ts} (out of range)"


@app.command()
def issue(
    audience: Annotated[
        str | None,
        typer.Option(help="aud claim (required).", envvar=["RELAY_TOKEN_AUDIENCE", "JUMP_TOKEN_AUDIENCE"]),
    ] = None,
    lifetime: Annotated[
        str | None,
        typer.Option(
            help="Seconds (3600) or a Go duration (1h30m); required.",
            envvar=["RELAY_TOKEN_LIFETIME", "JUMP_TOKEN_LIFETIME"],
        ),
    ] = None,
    secret: Annotated[
        str | None,
        typer.Option(help="HMAC secret (required).", envvar=["RELAY_TOKEN_SECRET", "JUMP_TOKEN_SECRET"]),
    ] = None,
    secret_file: Annotated[
        Path | None, typer.Option(help="Read the secret from this file (wins over --secret).")
    ] = None,
    topic: Annotated[
        str | None,
        typer.Option(
            help="topic claim (required unless --admin).", envvar=["RELAY_TOKEN_TOPIC", "JUMP_TOKEN_TOPIC"]
        ),
    ] = None,
    prefix: Annotated[
        str | None,
        typer.Option(
            "--connection-type",
            "--prefix",
            help="prefix claim [default: session, or connect for jump roles].",
            envvar=["RELAY_TOKEN_CONNECTION_TYPE", "JUMP_TOKEN_CONNECTION_TYPE"],
        ),
    ] = None,
    booking_id: Annotated[
        str | None,
        typer.Option(
            help=f"booking_id claim [default: {DEFAULT_BOOKING_ID}; none for host/client/stats roles].",
            envvar="RELAY_TOKEN_BOOKING_ID",
        ),
    ] = None,
    no_booking_id: Annotated[bool, typer.Option("--no-booking-id", help="Omit booking_id (jump).")] = False,
    admin: Annotated[
        bool | None,
        typer.Option("--admin/--no-admin", help="Add relay:admin [env RELAY_TOKEN_SCOPE_ADMIN, false]."),
    ] = None,
    write: Annotated[
        bool | None, typer.Option("--write/--no-write", help="Add write [env RELAY_TOKEN_SCOPE_WRITE, true].")
    ] = None,
    read: Annotated[
        bool | None, typer.Option("--read/--no-read", help="Add read [env RELAY_TOKEN_SCOPE_READ, true].")
    ] = None,
    scope_other: Annotated[
        str | None, typer.Option(help="Add this scope, e.g. relay:stats.", envvar="RELAY_TOKEN_SCOPE_OTHER")
    ] = None,
    scope: Annotated[list[str] | None, typer.Option(help="Add an arbitrary scope (repeatable).")] = None,
    role: Annotated[
        str | None,
        typer.Option(
            help="Jump role: host, client, stats, read, write or readwrite (replaces --read/--write).",
            envvar="JUMP_TOKEN_ROLE",
        ),
    ] = None,
    issued_at: Annotated[int | None, typer.Option(help="iat in unix seconds [default: now - 1].")] = None,
    not_before: Annotated[int | None, typer.Option(help="nbf in unix seconds [default: iat].")] = None,
) -> None:
    """Print a signed HS256 token, as `relay token` (and `jump token` with --role) do."""
    problems = _Problems()
    if not audience:
        problems.add("RELAY_TOKEN_AUDIENCE not set (or --audience)")
    seconds = _resolve_lifetime(lifetime, problems)
    key = _resolve_secret(secret, secret_file, "RELAY_TOKEN_SECRET", problems)
    is_admin = _env_bool(admin, "RELAY_TOKEN_SCOPE_ADMIN", False, problems)
    can_write = _env_bool(write, "RELAY_TOKEN_SCOPE_WRITE", True, problems)
    can_read = _env_bool(read, "RELAY_TOKEN_SCOPE_READ", True, problems)

    scopes: list[str] = [Scope.ADMIN] if is_admin else []
    if role is not None:
        role = role.strip().lower()
        if role not in ROLE_SCOPES:
            problems.add(f"JUMP_TOKEN_ROLE invalid: {role!r} (use {', '.join(ROLE_SCOPES)})")
        scopes.extend(ROLE_SCOPES.get(role, ()))
    else:
        if not (is_admin or can_write or can_read):
            problems.add(
                "no scopes: one of RELAY_TOKEN_SCOPE_ADMIN, _WRITE, _READ must be true (or --admin/...)"
            )
        scopes.extend(s for s, on in ((Scope.WRITE, can_write), (Scope.READ, can_read)) if on)
    if scope_other:
        scopes.append(scope_other)
    scopes.extend(scope or ())

    jump = role in JUMP_ROLES
    if topic is None and role == "stats":
        topic = "stats"  # jump serves stats on the topic `stats`
    if prefix is None:
        prefix = "connect" if jump else "session"
    if not topic and not is_admin:
        problems.add("RELAY_TOKEN_TOPIC not set (or --topic)")
    if not prefix and not is_admin:
        problems.add("RELAY_TOKEN_CONNECTION_TYPE not set (or --connection-type)")
    problems.exit_if_any()

    if no_booking_id or (jump and booking_id is None):
        bid: str | None = None
    else:
        bid = DEFAULT_BOOKING_ID if booking_id is None else booking_id
    iat = int(time.time()) - 1 if issued_at is None else issued_at
    claims = Claims(
        topic=topic or "",
        prefix=prefix,
        scopes=tuple(scopes),
        audience=(audience or "",),
        booking_id=bid,
        expires_at=iat + seconds,
        not_before=iat if not_before is None else not_before,
        issued_at=iat,
    )
    typer.echo(encode(claims, key))


def _read_token(token: str) -> str:
    if token == "-":
        return sys.stdin.read().strip()
    return token.strip()


def _describe_failure(exc: TokenError, token: str) -> str:
    """One line saying which claim is wrong, for `verify`."""
    if isinstance(exc, TokenWrongAudience):
        return f"audience mismatch: token has [{' '.join(exc.actual)}], expected {exc.expected}"
    if isinstance(exc, TokenExpired | TokenNotYetValid | TokenIssuedInFuture):
        claims = decode_unverified(token)  # readable: the signature has already been checked
        if isinstance(exc, TokenExpired):
            name, value = "exp", claims.expires_at
        elif isinstance(exc, TokenNotYetValid):
            name, value = "nbf", claims.not_before
        else:
            name, value = "iat", claims.issued_at
        return f"{exc.reason} ({name} {_utc(value or 0)})"
    return exc.reason


@app.command()
def verify(
    token: Annotated[str, typer.Argument(help="The token, or - to read it from stdin.")],
    secret: Annotated[
        str | None, typer.Option(help="HMAC secret (required).", envvar="RELAY_TOKEN_SECRET")
    ] = None,
    secret_file: Annotated[Path | None, typer.Option(help="Read the secret from this file.")] = None,
    audience: Annotated[
        str | None, typer.Option(help="Expected audience (required).", envvar="RELAY_TOKEN_AUDIENCE")
    ] = None,
    now: Annotated[float | None, typer.Option(hidden=True, help="Check times at this unix time.")] = None,
) -> None:
    """Check signature, times and audience as the relay does; exit 1 with the reason if invalid."""
    problems = _Problems()
    key = _resolve_secret(secret, secret_file, "RELAY_TOKEN_SECRET", problems)
    if not audience:
        problems.add("RELAY_TOKEN_AUDIENCE not set (or --audience)")
    problems.exit_if_any()
    raw = _read_token(token)
    at = time.time() if now is None else now
    try:
        claims = decode(raw, secret=key, audience=audience, now=at)
    except TokenError as exc:
        typer.echo(f"invalid: {_describe_failure(exc, raw)}", err=True)
        raise typer.Exit(1) from None
    expiry = (
        "no expiry" if claims.expires_at is None else f"expires in {format_duration(claims.expires_at - at)}"
    )
    bid = "(none)" if claims.booking_id is None else claims.booking_id
    typer.echo(
        f"valid: topic={claims.topic} prefix={claims.prefix} scopes={','.join(claims.scopes) or '(none)'}"
        f" booking_id={bid} {expiry}"
    )


def _time_line(name: str, value: int | None, at: float) -> str | None:
    if value is None:
        return None
    delta = format_duration(value - at)
    past = value <= at
    relative = {
        "exp": f"expired {delta} ago" if past else f"expires in {delta}",
        "nbf": f"valid since {delta} ago" if past else f"not valid for another {delta}",
        "iat": f"issued {delta} ago" if past else f"issued in the future ({delta} from now)",
    }[name]
    return f"{name}: {_utc(value)} ({relative})"


@app.command("decode")
def decode_command(
    token: Annotated[str, typer.Argument(help="The token, or - to read it from stdin.")],
    now: Annotated[
        float | None, typer.Option(hidden=True, help="Describe times relative to this unix time.")
    ] = None,
) -> None:
    """Print header and payload WITHOUT verifying the signature, with human-readable times."""
    raw = _read_token(token)
    try:
        header, payload = unverified_parts(raw)
    except TokenMalformed as exc:
        typer.echo(f"invalid: {exc.reason}", err=True)
        raise typer.Exit(1) from None
    typer.echo("header:")
    typer.echo(json.dumps(header, indent=2, ensure_ascii=False))
    typer.echo("payload:")
    typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    try:
        claims = decode_unverified(raw)
    except TokenMalformed as exc:
        typer.echo(f"invalid: {exc.reason}", err=True)
        raise typer.Exit(1) from None
    at = time.time() if now is None else now
    for name, value in (("exp", claims.expires_at), ("nbf", claims.not_before), ("iat", claims.issued_at)):
        line = _time_line(name, value, at)
        if line is not None:
            typer.echo(line)
    typer.echo("signature: NOT verified (use `tokentool verify`)")
