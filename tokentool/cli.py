"""The ``tokentool`` command line: issue, verify and decode relay/jump tokens.

Configured by flags or by practable's environment variables (``RELAY_TOKEN_*``, ``JUMP_TOKEN_ROLE``).
Prints tokens on stdout and problems on stderr; never prints the secret.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Final, NoReturn

import typer

# typer >= 0.22 vendors click as typer._click: its exceptions and contexts are these, not click's.
from typer._click import exceptions as click_exceptions
from typer._click.core import ParameterSource
from typer._click.globals import get_current_context
from typer.core import TyperGroup

from tokentool.claims import (
    Claims,
    Scope,
    TokenError,
    TokenExpired,
    TokenIssuedInFuture,
    TokenMalformed,
    TokenNotYetValid,
    TokenWrongAudience,
    decode_unverified,
    encode,
    unverified_parts,
)
from tokentool.durations import format_duration, parse_bool, parse_lifetime
from tokentool.keyfiles import KEY_ALGORITHMS, read_private_key, verification_keys, write_key_pair
from tokentool.keys import KeySet, KeysUnusable, encode_signed, verify_token
from tokentool.version import add_version_option


class _OneLineErrors(TyperGroup):
    """Report a command-line mistake (unknown option, bad integer, missing argument) on one line."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click_exceptions.NoArgsIsHelpError as exc:
            if exc.message:  # without rich, the help text is the message
                typer.echo(exc.message, err=True)
            _exit(exc.exit_code)
        except click_exceptions.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else (prog_name or "tokentool")
            typer.echo(f"{where}: {exc.format_message()} (see {where} --help)", err=True)
            _exit(exc.exit_code)
        except click_exceptions.ClickException as exc:
            typer.echo(f"{prog_name or 'tokentool'}: {exc.format_message()}", err=True)
            _exit(exc.exit_code)
        except typer.Abort:
            typer.echo("Aborted.", err=True)
            _exit(1)
        _exit(code if isinstance(code, int) else 0)


def _exit(code: int) -> NoReturn:
    sys.exit(code)


app = typer.Typer(
    name="tokentool",
    help="Issue, verify and decode relay (practable-compatible) JWT tokens.",
    cls=_OneLineErrors,
    no_args_is_help=True,
    add_completion=False,
    # Pretty tracebacks print local variables, which would include the secret.
    pretty_exceptions_enable=False,
)
add_version_option(app)

# Without --booking-id, each relay token gets its own booking id, so denying one (POST /bids/deny)
# cuts off only that token's holder.
BOOKING_ID_PREFIX: Final = "tokentool-"
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


def new_booking_id() -> str:
    """A booking id of its own for one token: ``tokentool-`` and 16 random hex digits."""
    return BOOKING_ID_PREFIX + secrets.token_hex(8)


def _source(param: str, flag: str, envs: Sequence[str]) -> str:
    """Name where a value came from, as the user wrote it: the flag, or the variable that was set."""
    ctx = get_current_context(silent=True)
    if ctx is not None and ctx.get_parameter_source(param) == ParameterSource.ENVIRONMENT:
        for env in envs:
            if os.environ.get(env):
                return env
    return flag


def _env_bool(flag: bool | None, name: str, env: str, default: bool, problems: _Problems) -> bool:
    """A flag wins over its environment variable, which wins over the default (booleans as Go's, plus yes/no)."""
    if flag is not None:
        return flag
    raw = os.environ.get(env)
    if raw is None or raw.strip() == "":
        return default
    try:
        return parse_bool(raw)
    except ValueError as exc:
        problems.add(f"{env} invalid (or --{name}/--no-{name}): {exc}")
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
        problems.add(f"--secret (or {env}, or --secret-file) is required")
        return ""
    return secret


_LIFETIME_ENVS: Final = ("RELAY_TOKEN_LIFETIME", "JUMP_TOKEN_LIFETIME")


def _resolve_lifetime(lifetime: str | None, problems: _Problems) -> int:
    if lifetime is None or lifetime.strip() == "":
        problems.add("--lifetime (or RELAY_TOKEN_LIFETIME) is required")
        return 0
    where = _source("lifetime", "--lifetime", _LIFETIME_ENVS)
    try:
        seconds = parse_lifetime(lifetime)
    except ValueError:
        problems.add(f"{where} invalid: {lifetime!r} is neither whole seconds nor a duration like 1h30m")
        return 0
    if seconds == 0:
        problems.add(f"{where} must not be zero")
    return seconds


def _utc(ts: int) -> str:
    try:
        return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return f"{ts} (out of range)"


_AUDIENCE_ENVS: Final = ("RELAY_TOKEN_AUDIENCE", "JUMP_TOKEN_AUDIENCE")
_TOPIC_ENVS: Final = ("RELAY_TOKEN_TOPIC", "JUMP_TOKEN_TOPIC")
_PREFIX_ENVS: Final = ("RELAY_TOKEN_CONNECTION_TYPE", "JUMP_TOKEN_CONNECTION_TYPE")


@app.command()
def issue(
    audience: Annotated[
        str | None,
        typer.Option(help="aud claim: the access API's base URL. Required.", envvar=list(_AUDIENCE_ENVS)),
    ] = None,
    lifetime: Annotated[
        str | None,
        typer.Option(
            help="Whole seconds (3600) or a Go duration (1h30m, 90s). Required.", envvar=list(_LIFETIME_ENVS)
        ),
    ] = None,
    secret: Annotated[
        str | None,
        typer.Option(
            help="HMAC secret. Required (or --secret-file), unless --private-key.",
            envvar=["RELAY_TOKEN_SECRET", "JUMP_TOKEN_SECRET"],
        ),
    ] = None,
    secret_file: Annotated[
        Path | None, typer.Option(help="Read the secret from this file (wins over --secret).")
    ] = None,
    private_key: Annotated[
        Path | None,
        typer.Option(
            help="Sign with this private key PEM (EdDSA, ES256 or RS256; from `keygen`) instead of a secret.",
            envvar="RELAY_TOKEN_PRIVATE_KEY",
        ),
    ] = None,
    kid: Annotated[
        str | None,
        typer.Option(
            help="kid header with --private-key. Default: the key's RFC 7638 thumbprint (as keygen)."
        ),
    ] = None,
    topic: Annotated[
        str | None,
        typer.Option(
            help="topic claim. Required unless --admin; default with --role stats: stats.",
            envvar=list(_TOPIC_ENVS),
        ),
    ] = None,
    prefix: Annotated[
        str | None,
        typer.Option(
            "--connection-type",
            "--prefix",
            help="prefix claim. Default: session, or connect with --role host/client/stats.",
            envvar=list(_PREFIX_ENVS),
        ),
    ] = None,
    booking_id: Annotated[
        str | None,
        typer.Option(
            help=(
                f"booking_id claim. Default: a new {BOOKING_ID_PREFIX}<16 hex digits> for each token, so"
                " denying one token's booking id cuts off only that token; none with --role"
                " host/client/stats."
            ),
            envvar="RELAY_TOKEN_BOOKING_ID",
        ),
    ] = None,
    no_booking_id: Annotated[
        bool, typer.Option("--no-booking-id", help="Omit booking_id (as jump tokens do).")
    ] = False,
    admin: Annotated[
        bool | None,
        typer.Option(
            "--admin/--no-admin", help="Add relay:admin. Default: RELAY_TOKEN_SCOPE_ADMIN, else no."
        ),
    ] = None,
    write: Annotated[
        bool | None,
        typer.Option("--write/--no-write", help="Add write. Default: RELAY_TOKEN_SCOPE_WRITE, else yes."),
    ] = None,
    read: Annotated[
        bool | None,
        typer.Option("--read/--no-read", help="Add read. Default: RELAY_TOKEN_SCOPE_READ, else yes."),
    ] = None,
    scope_other: Annotated[
        str | None,
        typer.Option(
            help="Add this scope, e.g. relay:stats. Default: none.", envvar="RELAY_TOKEN_SCOPE_OTHER"
        ),
    ] = None,
    scope: Annotated[
        list[str] | None,
        typer.Option(metavar="SCOPE", help="Add an arbitrary scope (repeatable). Default: none."),
    ] = None,
    role: Annotated[
        str | None,
        typer.Option(
            help="Jump role: host, client, stats, read, write or readwrite (replaces --read/--write).",
            envvar="JUMP_TOKEN_ROLE",
        ),
    ] = None,
    issued_at: Annotated[
        int | None, typer.Option(metavar="UNIX", help="iat in unix seconds. Default: now - 1.")
    ] = None,
    not_before: Annotated[
        int | None, typer.Option(metavar="UNIX", help="nbf in unix seconds. Default: the iat.")
    ] = None,
) -> None:
    """Print a signed token: HS256 as `relay token` (and `jump token` with --role) do, or signed
    with --private-key (its kid in the header).

    Booleans in variables: true/false, yes/no, on/off or 1/0, any case.
    """
    problems = _Problems()
    if not audience:
        problems.add("--audience (or RELAY_TOKEN_AUDIENCE) is required")
    seconds = _resolve_lifetime(lifetime, problems)
    signer: tuple[Any, str, str] | None = None
    key = ""
    if private_key is not None:
        try:
            signer = read_private_key(private_key)
        except KeysUnusable as exc:
            problems.add(f"--private-key: {exc}")
    else:
        key = _resolve_secret(secret, secret_file, "RELAY_TOKEN_SECRET", problems)
    is_admin = _env_bool(admin, "admin", "RELAY_TOKEN_SCOPE_ADMIN", False, problems)
    can_write = _env_bool(write, "write", "RELAY_TOKEN_SCOPE_WRITE", True, problems)
    can_read = _env_bool(read, "read", "RELAY_TOKEN_SCOPE_READ", True, problems)

    scopes: list[str] = [Scope.ADMIN] if is_admin else []
    if role is not None:
        role = role.strip().lower()
        if role not in ROLE_SCOPES:
            where = _source("role", "--role", ("JUMP_TOKEN_ROLE",))
            problems.add(f"{where} invalid: {role!r} (use {', '.join(ROLE_SCOPES)})")
        scopes.extend(ROLE_SCOPES.get(role, ()))
    else:
        if not (is_admin or can_write or can_read):
            problems.add(
                "no scopes: give --admin, --write or --read"
                " (or set RELAY_TOKEN_SCOPE_ADMIN, _WRITE or _READ to true)"
            )
        scopes.extend(s for s, on in ((Scope.WRITE, can_write), (Scope.READ, can_read)) if on)
    if scope_other:
        scopes.append(scope_other)
    scopes.extend(scope or ())

    jump = role in JUMP_ROLES
    if topic is None and role == "stats":
        topic = "stats"  # jump serves stats on the topic `stats`
    if not topic and not is_admin:
        problems.add("--topic (or RELAY_TOKEN_TOPIC) is required, unless --admin")
    if prefix is None:
        prefix = "connect" if jump else "session"
    elif not prefix and not is_admin:
        problems.add("--connection-type (or RELAY_TOKEN_CONNECTION_TYPE) must not be empty")
    problems.exit_if_any()

    if no_booking_id or (jump and booking_id is None):
        bid: str | None = None
    else:
        bid = new_booking_id() if booking_id is None else booking_id
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
    if signer is not None:
        signing_key, algorithm, thumb = signer
        typer.echo(encode_signed(claims, signing_key, algorithm=algorithm, kid=kid or thumb))
    else:
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
    token: Annotated[str, typer.Argument(metavar="TOKEN", help="The token, or - to read it from stdin.")],
    secret: Annotated[
        str | None,
        typer.Option(
            help="HMAC secret. Required (or --secret-file), unless --jwks or --public-key.",
            envvar="RELAY_TOKEN_SECRET",
        ),
    ] = None,
    secret_file: Annotated[
        Path | None, typer.Option(help="Read the secret from this file (wins over --secret).")
    ] = None,
    jwks: Annotated[
        str | None, typer.Option(help="Public keys: a JWKS file or http(s) URL.", envvar="RELAY_JWKS")
    ] = None,
    public_key: Annotated[
        Path | None, typer.Option(help="Public keys: a PEM file.", envvar="RELAY_PUBLIC_KEYS")
    ] = None,
    audience: Annotated[
        str | None,
        typer.Option(
            help="Expected audience: the access API's base URL. Required.", envvar="RELAY_TOKEN_AUDIENCE"
        ),
    ] = None,
    now: Annotated[float | None, typer.Option(hidden=True, help="Check times at this unix time.")] = None,
) -> None:
    """Check signature, times and audience as the relay does; exit 1 with the reason if invalid."""
    problems = _Problems()
    keys = KeySet()
    if jwks or public_key is not None:
        try:
            keys = verification_keys(jwks, public_key)
        except KeysUnusable as exc:
            problems.add(f"--jwks/--public-key: {exc}")
        key = (
            _resolve_secret(secret, secret_file, "RELAY_TOKEN_SECRET", problems)
            if secret or secret_file
            else ""
        )
    else:
        key = _resolve_secret(secret, secret_file, "RELAY_TOKEN_SECRET", problems)
    if not audience:
        problems.add("--audience (or RELAY_TOKEN_AUDIENCE) is required")
    problems.exit_if_any()
    raw = _read_token(token)
    at = time.time() if now is None else now
    try:
        claims = verify_token(raw, secret=key, keys=keys, audience=audience, now=at)
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


@app.command()
def keygen(
    private_key: Annotated[
        Path, typer.Option(help="Write the private key (PEM, mode 0600) here; never overwritten.")
    ],
    jwks: Annotated[Path, typer.Option(help="Add the public key to this JWKS file (created if absent).")],
    algorithm: Annotated[
        str, typer.Option("--alg", "--algorithm", help=f"One of {', '.join(KEY_ALGORITHMS)}.")
    ] = "EdDSA",
    kid: Annotated[str | None, typer.Option(help="Key id. Default: the RFC 7638 thumbprint.")] = None,
) -> None:
    """Make a signing key pair: the private key for the booking system, its public key in a JWKS
    for the gateways (RELAY_JWKS). Prints the kid."""
    try:
        new_kid = write_key_pair(algorithm, private_key, jwks, kid)
    except KeysUnusable as exc:
        typer.echo(f"keygen: {exc}", err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        typer.echo(f"keygen: cannot write: {exc.strerror} ({exc.filename})", err=True)
        raise typer.Exit(1) from None
    typer.echo(new_kid)


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
    token: Annotated[str, typer.Argument(metavar="TOKEN", help="The token, or - to read it from stdin.")],
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
