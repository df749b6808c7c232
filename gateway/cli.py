"""``gateway serve`` and ``gateway demo``: flags mirror practable's ``RELAY_*`` variables."""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
import time
from typing import Annotated, Any

import typer

from gateway import logs
from gateway.errors import BusUnavailable
from gateway.server import Gateway, ListenError
from gateway.settings import ConfigError, GatewaySettings, from_env
from tokentool.keys import KeysUnusable
from tokentool.version import add_version_option

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Relay websocket gateway.")
add_version_option(app)

Opt = typer.Option


def _hide_userinfo(url: str) -> str:
    """``nats://user:pass@host`` → ``nats://***@host``: a ready line must not show credentials."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    netloc, slash, path = rest.partition("/")
    if "@" in netloc:
        netloc = "***@" + netloc.rpartition("@")[2]
    return f"{scheme}{sep}{netloc}{slash}{path}"


def ready_line(gateway: Gateway) -> str:
    """One line for a person: where it listens, which NATS, which replica (no token, no secret)."""
    settings = gateway.settings
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    access, relay = (f"{host}:{gateway.ports[name]}" for name in ("access", "relay"))
    audience, url = _hide_userinfo(settings.audience), _hide_userinfo(settings.url)
    if settings.single_port:
        where = f"access API and relay on {access} ({audience}, {url})"
    else:
        where = f"access API on {access} ({audience}), relay on {relay} ({url})"
    if "ops" in gateway.ports:
        where += f", ops (metrics, docs) on {host}:{gateway.ports['ops']}"
    if gateway.embedded is not None:
        nats = f"embedded nats-server at {gateway.embedded.url}"
    else:
        nats = "NATS " + ",".join(_hide_userinfo(s) for s in gateway.nats_servers)
    return f"gateway ready: {where}; {nats}; replica {settings.replica_id}"


def _print_ready(gateway: Gateway) -> None:
    print(ready_line(gateway), file=sys.stderr, flush=True)


def _run(settings: GatewaySettings, on_ready: object = None) -> None:
    logs.configure(
        level=settings.log_level, fmt=settings.log_format, file=settings.log_file, replica=settings.replica_id
    )
    gateway = Gateway(settings)
    try:
        import uvloop

        runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    except ImportError:  # pragma: no cover - uvloop is in the gateway extra
        runner = asyncio.Runner()
    try:
        with runner:
            runner.run(gateway.serve(on_ready=on_ready))  # type: ignore[arg-type]
    except BusUnavailable as exc:
        typer.echo(f"error: {exc.reason}", err=True)
        raise typer.Exit(1) from None
    except (ListenError, KeysUnusable) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        typer.echo(f"error: cannot listen on {settings.host}: {exc.strerror}", err=True)
        raise typer.Exit(1) from None


def _settings(overrides: dict[str, object]) -> GatewaySettings:
    try:
        return from_env(os.environ, overrides)
    except ConfigError as exc:
        for line in str(exc).splitlines():
            typer.echo(line, err=True)
        raise typer.Exit(1) from None


def _opt(var: str, text: str, default: str | None = None, *decls: str) -> Any:
    """A ``serve`` flag: its variable first, then its default (the parameter's own is None: unset)."""
    if default is not None:
        text = f"{text.rstrip('.')} (default: {default})."
    return typer.Option(*decls, help=f"[{var}] {text}", show_default=False)


@app.command()
def serve(
    audience: Annotated[
        str | None, _opt("RELAY_AUDIENCE", "External base URL of the access API; required.")
    ] = None,
    secret: Annotated[
        str | None,
        _opt(
            "RELAY_SECRET",
            "HS256 secret shared with the booking system; required unless public keys are given.",
        ),
    ] = None,
    public_keys: Annotated[
        str | None, _opt("RELAY_PUBLIC_KEYS", "PEM file of EdDSA, ES256 or RS256 public keys.", "none")
    ] = None,
    jwks: Annotated[
        str | None, _opt("RELAY_JWKS", "JWKS of public keys: a file or an http(s) URL.", "none")
    ] = None,
    jwks_refresh: Annotated[
        str | None, _opt("RELAY_JWKS_REFRESH", "How often a JWKS URL is fetched again.", "5m")
    ] = None,
    url: Annotated[
        str | None, _opt("RELAY_URL", "External base URL of the websocket relay; required.")
    ] = None,
    host: Annotated[str | None, _opt("RELAY_HOST", "Bind address.", "127.0.0.1")] = None,
    port_access: Annotated[int | None, _opt("RELAY_PORT_ACCESS", "Access API port.", "3000")] = None,
    port_relay: Annotated[
        int | None,
        _opt("RELAY_PORT_RELAY", "Websocket port; the access port's number means one port.", "3001"),
    ] = None,
    port_ops: Annotated[
        int | None,
        _opt(
            "RELAY_PORT_OPS",
            "Port for /metrics, /docs and /openapi.json (then not on the access port).",
            "unset",
        ),
    ] = None,
    rate_access: Annotated[
        float | None,
        _opt(
            "RELAY_RATE_ACCESS", "Access requests and websocket opens per second per address; 0 = off.", "20"
        ),
    ] = None,
    rate_access_burst: Annotated[
        int | None, _opt("RELAY_RATE_ACCESS_BURST", "Of each, taken at once by one address.", "100")
    ] = None,
    rate_admin: Annotated[
        float | None, _opt("RELAY_RATE_ADMIN", "Admin requests per second per address; 0 = off.", "2")
    ] = None,
    rate_admin_burst: Annotated[
        int | None, _opt("RELAY_RATE_ADMIN_BURST", "Admin requests taken at once.", "20")
    ] = None,
    rate_addresses: Annotated[
        int | None, _opt("RELAY_RATE_ADDRESSES", "Client addresses tracked at most, per limiter.", "16384")
    ] = None,
    trusted_proxies: Annotated[
        str | None,
        _opt("RELAY_TRUSTED_PROXIES", "CIDRs of proxies whose X-Forwarded-For names the client.", "none"),
    ] = None,
    buffer_size: Annotated[
        int | None, _opt("RELAY_BUFFER_SIZE", "Per-connection queue in messages, 1-512.", "128")
    ] = None,
    buffer_bytes: Annotated[
        str | None,
        _opt("RELAY_BUFFER_BYTES", "Per-connection queue in bytes, such as 512KiB or 16MiB.", "8MiB"),
    ] = None,
    memory_limit: Annotated[
        str | None, _opt("RELAY_MEMORY_LIMIT", "Bytes held for relaying by the whole process.", "256MiB")
    ] = None,
    max_header_bytes: Annotated[
        str | None, _opt("RELAY_MAX_HEADER_BYTES", "Request line plus headers; more gets 431.", "16KiB")
    ] = None,
    request_timeout: Annotated[
        str | None,
        _opt("RELAY_REQUEST_TIMEOUT", "Time to send a whole request once connected; then 408.", "10s"),
    ] = None,
    stall_timeout: Annotated[
        str | None, _opt("RELAY_STALL_TIMEOUT", "An ssh pipe that does not move this long ends.", "60s")
    ] = None,
    allow_no_booking_id: Annotated[
        bool | None,
        _opt(
            "RELAY_ALLOW_NO_BOOKING_ID",
            "Accept tokens with an empty booking id.",
            "false",
            "--allow-no-booking-id",
        ),
    ] = None,
    nats_url: Annotated[
        str | None, _opt("RELAY_NATS_URL", "NATS servers, comma-separated.", "an embedded nats-server")
    ] = None,
    nats_data_dir: Annotated[
        str | None, _opt("RELAY_NATS_DATA_DIR", "JetStream store of the embedded server.", "a temp dir")
    ] = None,
    nats_connect_wait: Annotated[
        str | None, _opt("RELAY_NATS_CONNECT_WAIT", "Time to reach NATS at start-up.", "10s")
    ] = None,
    nats_root: Annotated[str | None, _opt("RELAY_NATS_ROOT", "Subject and bucket prefix.", "relay")] = None,
    kv_replicas: Annotated[
        int | None,
        _opt(
            "RELAY_KV_REPLICAS", "JetStream replicas of the KV buckets; 0 = the cluster size, at most 3.", "0"
        ),
    ] = None,
    code_ttl: Annotated[str | None, _opt("RELAY_CODE_TTL", "Lifetime of a one-time code.", "30s")] = None,
    ping_interval: Annotated[str | None, _opt("RELAY_PING_INTERVAL", "Server ping period.", "54s")] = None,
    pong_wait: Annotated[
        str | None, _opt("RELAY_PONG_WAIT", "Drop a connection this long without a pong.", "60s")
    ] = None,
    max_message: Annotated[
        int | None,
        _opt("RELAY_MAX_MESSAGE", "Largest message in bytes; larger closes with 1009.", "10485760"),
    ] = None,
    stats_every: Annotated[str | None, _opt("RELAY_STATS_EVERY", "Stats report period.", "5s")] = None,
    tidy_every: Annotated[str | None, _opt("RELAY_TIDY_EVERY", "Accepted for compatibility; unused.")] = None,
    shutdown_grace: Annotated[
        str | None, _opt("RELAY_SHUTDOWN_GRACE", "Time for connections to close at shutdown.", "5s")
    ] = None,
    replica_id: Annotated[str | None, _opt("RELAY_REPLICA_ID", "Name of this replica.", "random")] = None,
    cors_origins: Annotated[
        str | None, _opt("RELAY_CORS_ORIGINS", "Allowed origins, comma-separated.", "*")
    ] = None,
    console: Annotated[
        bool | None,
        _opt("RELAY_CONSOLE", "Serve the lab console at /console/ on the access port.", "false", "--console"),
    ] = None,
    log_level: Annotated[str | None, _opt("RELAY_LOG_LEVEL", "debug, info, warn or error.", "warn")] = None,
    log_format: Annotated[str | None, _opt("RELAY_LOG_FORMAT", "json or text.", "json")] = None,
    log_file: Annotated[str | None, _opt("RELAY_LOG_FILE", "A path, or stdout.", "stderr")] = None,
) -> None:
    """Serve the access API and the websocket relay (practable's relay serve).

    Every flag has a RELAY_* variable (in brackets); a flag wins over its variable.
    """
    overrides = {k: v for k, v in locals().items() if v is not None}
    _run(_settings(overrides), _print_ready)


@app.command()
def demo(
    port: Annotated[int, Opt(help="port for both the access API and the relay")] = 3000,
    topic: Annotated[str, Opt(help="topic of the demo tokens")] = "demo",
) -> None:
    """Start a gateway with an embedded NATS on 127.0.0.1 and print how to try it."""
    from tokentool.claims import Claims, encode

    base = f"http://127.0.0.1:{port}"
    secret = os.environ.get("RELAY_SECRET") or secrets.token_urlsafe(24)
    environ = dict(os.environ)
    environ.update(
        RELAY_SECRET=secret,
        RELAY_AUDIENCE=environ.get("RELAY_AUDIENCE", base),
        RELAY_URL=environ.get("RELAY_URL", f"ws://127.0.0.1:{port}"),
        RELAY_PORT_ACCESS=str(port),
        RELAY_PORT_RELAY=str(port),
        RELAY_LOG_FORMAT=environ.get("RELAY_LOG_FORMAT", "text"),
        RELAY_LOG_LEVEL=environ.get("RELAY_LOG_LEVEL", "info"),
    )
    try:
        settings = from_env(environ)
    except ConfigError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    now = int(time.time())
    token = encode(
        Claims(
            topic=topic,
            prefix="session",
            scopes=("read", "write"),
            audience=(settings.audience,),
            booking_id="demo",
            issued_at=now - 1,
            not_before=now - 1,
            expires_at=now + 24 * 3600,
        ),
        secret,
    )
    access = f"{settings.audience}/session/{topic}"

    def ready(gateway: Gateway) -> None:
        print(
            f"Relay gateway ready on {base} (NATS at {gateway.embedded.url if gateway.embedded else '-'})\n"
            f"secret: {secret}\n"
            f"token (topic {topic!r}, read+write, 24 h):\n{token}\n\n"
            f"Try it: two terminals, each running\n"
            f"  .venv/bin/python -m gateway try {access} {token}\n"
            f"or ask for a one-time websocket URL yourself:\n"
            f"  curl -s -X POST -H 'Authorization: {token}' {access}\n"
            f"Ctrl-C stops the gateway.",
            flush=True,
        )

    _run(settings, ready)


@app.command("try")
def try_it(access_url: str, token: str) -> None:
    """A tiny interactive client: lines you type are sent, received ones are printed after "< ".

    It ends when the relay closes the connection (printing the close code and reason), on
    Ctrl-D or on Ctrl-C.
    """
    from gateway.tryclient import chat

    try:
        status = asyncio.run(chat(access_url, token))
    except KeyboardInterrupt:  # Ctrl-C before the connection was open
        typer.echo("interrupted", err=True)
        status = 130
    sys.exit(status)
