"""The ``fileclient`` command line: one typer subcommand per tool, each building its settings and handing
them to a runner supplied by ``__main__`` (the composition root).

Add a tool by adding a runner to ``Runners`` and a command here. ``ssh-proxy`` and ``forward`` speak
jump's ``connect`` protocol and also read practable's ``JUMP_CLIENT_*`` variables. Flags left out fall back to the
environment (practable's ``RELAY_CLIENT_*`` / ``RELAY_MONITOR_*``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, TypeVar

import typer

from fileclient.settings import (
    ConfigError,
    ForwardSettings,
    LogSettings,
    MonitorSettings,
    PlaySettings,
    SshProxySettings,
    forward_settings,
    log_settings,
    monitor_settings,
    play_settings,
    ssh_proxy_settings,
)
from tokentool.version import add_version_option

EXIT_CONFIG = 2  # bad flags or environment (typer uses 2 for usage errors too)
S = TypeVar("S")


@dataclass(frozen=True, slots=True, kw_only=True)
class Runners:
    """What each command does once its settings are built; each returns the exit status."""

    log: Callable[[LogSettings], int]
    play: Callable[[PlaySettings], int]
    monitor: Callable[[MonitorSettings], int]
    ssh_proxy: Callable[[SshProxySettings], int] | None = None  # the ssh commands exist only when set
    forward: Callable[[ForwardSettings], int] | None = None


Session = Annotated[
    str | None, typer.Option("--session", "-s", help="Access URL .../session/<topic> [RELAY_CLIENT_SESSION]")
]
Token = Annotated[str | None, typer.Option("--token", help="The JWT itself [RELAY_CLIENT_TOKEN]")]
TokenFile = Annotated[
    str | None,
    typer.Option("--token-file", help="JWT file, re-read per connection [RELAY_CLIENT_TOKEN_FILE]"),
]
File = Annotated[
    str | None, typer.Option("--file", "-f", help="Log file; '-' or unset is stdout [RELAY_CLIENT_FILE]")
]
Mode = Annotated[
    str | None, typer.Option("--mode", "-m", help="text, base64 or binary (raw) [RELAY_CLIENT_MODE]")
]
Access = Annotated[
    str | None,
    typer.Option("--access", help="Access URL .../api/v1/connect/<host_id> [JUMP_CLIENT_RELAY_SESSION]"),
]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Log each session on stderr")]
Development = Annotated[
    bool | None,
    typer.Option("--development", help="Text diagnostics at debug level [RELAY_CLIENT_DEVELOPMENT]"),
]


def _build(ctx: typer.Context, make: Callable[..., S], environ: Mapping[str, str]) -> S:
    """Build a command's settings from its parsed flags, named as the settings function's arguments.

    Each option is declared once, as a command parameter: the parsed values (``None`` for a flag
    left out) go to ``make`` by name, so a command never lists its flags a second time.
    """
    try:
        return make(environ, **ctx.params)
    except ConfigError as exc:
        for problem in str(exc).splitlines():
            typer.echo(f"fileclient: {problem}", err=True)
        raise typer.Exit(EXIT_CONFIG) from None


def build_app(environ: Mapping[str, str], runners: Runners) -> typer.Typer:
    """Return the typer application; ``environ`` supplies every value a flag leaves out."""
    app = typer.Typer(
        name="fileclient",
        no_args_is_help=True,
        add_completion=False,
        help="Record, script and watch Relay sessions (practable's `relay client file` and `relay monitor`).",
    )
    add_version_option(app)

    @app.command("log")
    def log_command(
        ctx: typer.Context,
        session: Session = None,
        token: Token = None,
        token_file: TokenFile = None,
        file: File = None,
        mode: Mode = None,
        development: Development = None,
    ) -> None:
        """Log every message of a session (reconnecting) until interrupted; SIGHUP reopens the file."""
        settings = _build(ctx, log_settings, environ)
        raise typer.Exit(runners.log(settings))

    @app.command("play")
    def play_command(
        ctx: typer.Context,
        play_file: Annotated[
            str | None, typer.Argument(help="The play script [RELAY_CLIENT_FILE_PLAY]", show_default=False)
        ] = None,
        check_only: Annotated[
            bool | None,
            typer.Option("--check", help="Only validate; list every bad line [RELAY_CLIENT_CHECK_ONLY]"),
        ] = None,
        force: Annotated[
            bool | None, typer.Option("--force", help="Play good lines despite bad ones [RELAY_CLIENT_FORCE]")
        ] = None,
        then_log: Annotated[
            bool | None,
            typer.Option("--then-log", help="Keep logging after the script ends [RELAY_CLIENT_THEN_LOG]"),
        ] = None,
        start_delay: Annotated[
            str | None,
            typer.Option("--start-delay", help="Pause after connecting, e.g. 1s [RELAY_CLIENT_START_DELAY]"),
        ] = None,
        session: Session = None,
        token: Token = None,
        token_file: TokenFile = None,
        file: File = None,
        mode: Mode = None,
        development: Development = None,
    ) -> None:
        """Play a script (sends, delays, conditions, filters) and log what comes back."""
        settings = _build(ctx, play_settings, environ)
        raise typer.Exit(runners.play(settings))

    @app.command("monitor")
    def monitor_command(
        ctx: typer.Context,
        audience: Annotated[
            str | None, typer.Option(help="Access base URL, the token audience [RELAY_MONITOR_AUDIENCE]")
        ] = None,
        session: Annotated[
            str | None, typer.Option(help="Access URL; default <audience>/session/<topic>")
        ] = None,
        secret: Annotated[
            str | None, typer.Option(help="Relay secret to mint canary tokens [RELAY_MONITOR_SECRET]")
        ] = None,
        token: Annotated[str | None, typer.Option(help="Token, not secret [RELAY_MONITOR_TOKEN]")] = None,
        token_file: Annotated[
            str | None, typer.Option(help="A token file instead of the secret [RELAY_MONITOR_TOKEN_FILE]")
        ] = None,
        topic: Annotated[str | None, typer.Option(help="Canary topic [RELAY_MONITOR_TOPIC]")] = None,
        threshold: Annotated[
            str | None, typer.Option(help="Latency that is a miss (200ms) [RELAY_MONITOR_THRESHOLD]")
        ] = None,
        interval: Annotated[
            str | None, typer.Option(help="Time between canaries, default 1s [RELAY_MONITOR_INTERVAL]")
        ] = None,
        silence: Annotated[
            str | None,
            typer.Option(help="No canary this long is a miss (interval+threshold)"),
        ] = None,
        reconnect_every: Annotated[str | None, typer.Option(help="New token and connections (24h)")] = None,
        trigger_after: Annotated[
            int | None,
            typer.Option("--trigger-after-misses", help="Misses in a row that trigger, default 3"),
        ] = None,
        no_retrigger_within: Annotated[str | None, typer.Option(help="Rest after a trigger (60s)")] = None,
        command: Annotated[
            str | None,
            typer.Option(help="Run on trigger, split like a shell, $VARs expanded [RELAY_MONITOR_COMMAND]"),
        ] = None,
        status: Annotated[
            bool | None, typer.Option("--status/--no-status", help="Live p50/p99 line (on a tty)")
        ] = None,
    ) -> None:
        """Send canaries through a relay, measure latency, run a command when it misses too often."""
        settings = _build(ctx, monitor_settings, environ)
        raise typer.Exit(runners.monitor(settings))

    if runners.ssh_proxy is not None:
        _ssh_commands(app, environ, runners.ssh_proxy, runners.forward)
    return app


def _ssh_commands(
    app: typer.Typer,
    environ: Mapping[str, str],
    ssh_proxy: Callable[[SshProxySettings], int],
    forward: Callable[[ForwardSettings], int] | None,
) -> None:
    @app.command("ssh-proxy")
    def ssh_proxy_command(
        ctx: typer.Context,
        access: Access = None,
        token: Token = None,
        token_file: TokenFile = None,
        verbose: Verbose = False,
        connect_timeout: Annotated[
            str | None,
            typer.Option(
                "--connect-timeout",
                help="Give up if the lab's host agent has not answered, default 20s [JUMP_CLIENT_CONNECT_TIMEOUT]",
            ),
        ] = None,
    ) -> None:
        """Carry one ssh connection over stdin/stdout through the relay (ssh's ProxyCommand).

        ssh -o ProxyCommand="fileclient ssh-proxy --access URL --token-file F" user@lab
        (the token may also come from JUMP_CLIENT_TOKEN).
        """
        settings = _build(ctx, ssh_proxy_settings, environ)
        raise typer.Exit(ssh_proxy(settings))

    if forward is None:
        return

    @app.command("forward")
    def forward_command(
        ctx: typer.Context,
        access: Access = None,
        token: Token = None,
        token_file: TokenFile = None,
        port: Annotated[
            int | None, typer.Option("--port", "-p", help="Local port, default 8082 [JUMP_CLIENT_LOCAL_PORT]")
        ] = None,
        bind: Annotated[str | None, typer.Option(help="Local address, default 127.0.0.1")] = None,
        verbose: Verbose = False,
    ) -> None:
        """Listen on a local port; each connection gets its own relay session (jump's client mode).

        ssh -p 8082 user@127.0.0.1 (the token may also come from JUMP_CLIENT_TOKEN).
        """
        settings = _build(ctx, forward_settings, environ)
        raise typer.Exit(forward(settings))
