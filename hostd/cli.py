"""The ``hostd`` command line: ``run`` the daemon, print a running daemon's ``status``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from hostd import config as config_file
from hostd import logs
from hostd.daemon import Daemon
from hostd.settings import ConfigError, HostdSettings
from relayclient import loop
from relayclient.logs import UnknownLevel, parse_level
from tokentool.version import add_version_option


def build(environ: Mapping[str, str]) -> typer.Typer:
    """The typer app; ``environ`` is the only environment it reads."""
    app = typer.Typer(
        add_completion=False, no_args_is_help=True, help="hostd: connect lab feeds to a Relay gateway"
    )
    add_version_option(app)

    @app.command()
    def run(
        config: Annotated[
            Path | None, typer.Option("--config", "-c", help="YAML/TOML file (HOSTD_CONFIG)")
        ] = None,
        port: Annotated[int | None, typer.Option(help="local API port (VW_PORT, default 8888)")] = None,
        host: Annotated[str | None, typer.Option(help="bind address (HOSTD_HOST, default 127.0.0.1)")] = None,
        log_level: Annotated[str | None, typer.Option(help="VW_LOG_LEVEL, default info")] = None,
        log_format: Annotated[str | None, typer.Option(help="json or text (HOSTD_LOG_FORMAT)")] = None,
        api: Annotated[
            str | None, typer.Option(help="ws(s) URL of the JSON control channel (VW_API)")
        ] = None,
    ) -> None:
        """Run the daemon until SIGINT/SIGTERM."""
        try:
            settings = HostdSettings.from_env(
                environ,
                config=config,
                port=port,
                host=host,
                log_level=parse_level(log_level) if log_level else None,
                log_format=log_format,
                api=api,
            )
            declared = config_file.load(settings.config) if settings.config else None
        except UnknownLevel as exc:
            typer.echo(f"hostd: --log-level: {exc}", err=True)
            raise typer.Exit(2) from exc
        except ConfigError as exc:
            typer.echo(f"hostd: {exc}", err=True)
            raise typer.Exit(2) from exc
        logs.configure(settings.log_level, settings.log_format)
        try:
            loop.run(Daemon(settings, config=declared).serve())
        except KeyboardInterrupt:
            pass  # uvicorn already shut down gracefully and re-raised SIGINT; exit 0, no traceback

    @app.command()
    def status(
        port: Annotated[int | None, typer.Option(help="local API port (VW_PORT, default 8888)")] = None,
        host: Annotated[str | None, typer.Option(help="address of the daemon (HOSTD_HOST)")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="print the raw JSON")] = False,
    ) -> None:
        """Print the live rules, each destination's state and each tunnel's sessions."""
        try:
            settings = HostdSettings.from_env(environ, port=port, host=host)
        except ConfigError as exc:
            typer.echo(f"hostd: {exc}", err=True)
            raise typer.Exit(2) from exc
        address = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
        url = f"http://{address}:{settings.port}/api/status"
        try:
            reply = httpx.get(url, timeout=5.0)
            reply.raise_for_status()
            body = reply.json()
        except (httpx.HTTPError, ValueError) as exc:
            typer.echo(f"hostd: no daemon answering at {url}: {exc}", err=True)
            raise typer.Exit(1) from exc
        typer.echo(json.dumps(body, indent=2) if as_json else render(body))

    return app


def _render_tunnels(tunnels: dict[str, Any]) -> list[str]:
    lines = ["tunnels:"]
    for rule_id, link in tunnels.items():
        rule = link.get("rule", {})
        lines.append(
            f"  {rule_id}: {link.get('state')}  {rule.get('access')} -> {rule.get('target')}"
            f"  live={link.get('live_sessions')} sessions={link.get('sessions')}"
            f" failed={link.get('failed_sessions')} connects={link.get('connects')}"
        )
        if link.get("last_error"):
            lines.append(f"      last error: {link['last_error']}")
    if not tunnels:
        lines.append("  (none)")
    return lines


def render(body: dict[str, Any]) -> str:
    """Human-readable status: destinations first (what operators look for), then streams and feeds."""
    lines = [f"uptime {body.get('uptime', 0)}s", "destinations:"]
    for rule_id, link in (body.get("destinations") or {}).items():
        rule = link.get("rule", {})
        lines.append(
            f"  {rule_id}: {link.get('state')}  {rule.get('stream')} -> {rule.get('destination')}"
            f"  connects={link.get('connects')} sent={link.get('sent')} received={link.get('received')}"
            f" dropped={link.get('dropped')}"
        )
        if link.get("last_error"):
            lines.append(f"      last error: {link['last_error']}")
    if not body.get("destinations"):
        lines.append("  (none)")
    lines.extend(_render_tunnels(body.get("tunnels") or {}))
    lines.append("streams:")
    for name, feeds in (body.get("streams") or {}).items():
        lines.append(f"  {name}: {', '.join(feeds)}")
    if not body.get("streams"):
        lines.append("  (none)")
    lines.append("feeds:")
    for name, stats in (body.get("feeds") or {}).items():
        dropped = ", ".join(f"{k}={v}" for k, v in (stats.get("dropped") or {}).items()) or "none dropped"
        lines.append(f"  {name}: {stats.get('messages')} messages, {stats.get('bytes')} bytes, {dropped}")
    if not body.get("feeds"):
        lines.append("  (none)")
    return "\n".join(lines)
