"""One frozen settings object per fileclient command, from command-line flags over environment variables.

Environment names are practable's (``RELAY_CLIENT_*`` for log/play, ``RELAY_MONITOR_*`` for the monitor)
plus the legacy play-file names. ``from_env`` collects every problem and raises one ``ConfigError``.
Only ``__main__`` reads ``os.environ``; it passes the mapping in.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fileclient.durations import parse_bool, parse_duration
from fileclient.logwriter import Mode, parse_mode
from relayclient.logs import UnknownLevel, level_name
from relayclient.tokens import TokenSource


class ConfigError(Exception):
    """Settings are missing or invalid; the message lists every problem, one per line."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ConnectSettings:
    access_url: str  # RELAY_CLIENT_SESSION: e.g. https://relay.example.org/access/session/lab1-data
    tokens: TokenSource  # --token/--token-file, RELAY_CLIENT_TOKEN, RELAY_CLIENT_TOKEN_FILE


@dataclass(frozen=True, slots=True, kw_only=True)
class OutputSettings:
    file: Path | None = None  # RELAY_CLIENT_FILE (legacy _FILE_LOG); None ("" or "-") means stdout
    mode: Mode = Mode.TEXT  # RELAY_CLIENT_MODE: text | base64 | binary (raw)
    development: bool = False  # RELAY_CLIENT_DEVELOPMENT: text diagnostics at debug level on stderr


@dataclass(frozen=True, slots=True, kw_only=True)
class LogSettings:
    connect: ConnectSettings
    output: OutputSettings


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaySettings:
    play_file: Path  # the script (legacy RELAY_CLIENT_FILE_PLAY)
    check_only: bool = False  # RELAY_CLIENT_CHECK_ONLY: validate the file, never connect
    force: bool = False  # RELAY_CLIENT_FORCE: play the good lines of a file that has bad ones
    then_log: bool = False  # RELAY_CLIENT_THEN_LOG: keep logging after the script ends
    start_delay: float = 1.0  # seconds after connecting before the first line (RELAY_CLIENT_START_DELAY)
    connect: ConnectSettings | None = None  # None only when check_only
    output: OutputSettings = OutputSettings()


@dataclass(frozen=True, slots=True, kw_only=True)
class MonitorSettings:
    access_url: str  # RELAY_MONITOR_SESSION, else <RELAY_MONITOR_AUDIENCE>/session/<topic>
    audience: str  # RELAY_MONITOR_AUDIENCE: the token audience (access base URL); "" with a given token
    topic: str = "canary-st-data"  # RELAY_MONITOR_TOPIC
    secret: str = ""  # RELAY_MONITOR_SECRET: mint a fresh token per connection ("" with a given token)
    tokens: TokenSource | None = None  # --token/--token-file, RELAY_MONITOR_TOKEN(_FILE); None: mint
    threshold: float = 0.2  # seconds of latency above which a canary is a miss (RELAY_MONITOR_THRESHOLD)
    interval: float = 1.0  # seconds between canaries (RELAY_MONITOR_INTERVAL)
    silence: float = 1.2  # seconds without a canary that count as a miss (default interval + threshold)
    reconnect_every: float = 86400.0  # seconds; new token and connections (RELAY_MONITOR_RECONNECT_EVERY)
    trigger_after: int = 3  # consecutive misses that trigger (RELAY_MONITOR_TRIGGER_AFTER_MISSES)
    no_retrigger_within: float = 60.0  # seconds of pause after a trigger (RELAY_MONITOR_NO_RETRIGGER_WITHIN)
    command: tuple[str, ...] = ()  # RELAY_MONITOR_COMMAND split like a shell; () only logs
    status: bool | None = None  # live p50/p99 line on stderr; None means "if stderr is a terminal"
    log_level: str = "warning"  # RELAY_MONITOR_LOG_LEVEL
    log_format: str = "json"  # RELAY_MONITOR_LOG_FORMAT: json | text
    log_file: str = ""  # RELAY_MONITOR_LOG_FILE: "" stderr, "stdout", or a path


@dataclass(frozen=True, slots=True, kw_only=True)
class SshProxySettings:
    connect: ConnectSettings  # access URL .../api/v1/connect/<host_id> (JUMP_CLIENT_RELAY_SESSION)
    log_level: str = "warning"  # --verbose makes it info; stderr is the user's terminal under ssh
    connect_timeout: float = 20.0  # seconds for the lab's host agent to answer (JUMP_CLIENT_CONNECT_TIMEOUT)


@dataclass(frozen=True, slots=True, kw_only=True)
class ForwardSettings:
    connect: ConnectSettings  # as for ssh-proxy; a fresh session per accepted TCP connection
    bind: str = "127.0.0.1"  # --bind; jump listened on every interface
    port: int = 8082  # --port, JUMP_CLIENT_LOCAL_PORT; 0 picks a free one
    log_level: str = "warning"


class _Reader:
    """Flag-over-env lookups that record problems instead of raising at the first one."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        self.problems: list[str] = []

    def text(self, flag: str | None, *names: str) -> tuple[str, str]:
        """Return (value, where) from the flag or the first set variable; ("", "") if none."""
        if flag is not None:
            return flag, "flag"
        for name in names:
            value = self.environ.get(name, "")
            if value.strip():
                return value.strip(), name
        return "", ""

    def duration(self, flag: str | None, name: str, default: float, *, positive: bool = True) -> float:
        raw, where = self.text(flag, name)
        if not raw:
            return default
        try:
            value = parse_duration(raw)
        except ValueError as exc:
            self.problems.append(f"{where}: {exc}")
            return default
        if value < 0 or (positive and value == 0):
            self.problems.append(f"{where}: {raw!r} must be {'positive' if positive else 'zero or more'}")
        return value

    def flag_bool(self, flag: bool | None, *names: str) -> bool:
        if flag is not None:
            return flag
        for name in names:
            raw = self.environ.get(name, "")
            if raw.strip():
                try:
                    return parse_bool(raw)
                except ValueError as exc:
                    self.problems.append(f"{name}: {exc}")
        return False

    def tokens(self, token: str | None, token_file: str | None, prefix: str) -> TokenSource | None:
        if token is not None and token_file is not None:
            self.problems.append("give --token or --token-file, not both")
        if token is not None:
            return TokenSource(value=token)
        if token_file is not None:
            return TokenSource(path=Path(token_file))
        if self.environ.get(f"{prefix}_TOKEN", "").strip():
            return TokenSource(env_var=f"{prefix}_TOKEN")
        path = self.environ.get(f"{prefix}_TOKEN_FILE", "").strip()
        return TokenSource(path=Path(path)) if path else None

    def raise_if_problems(self) -> None:
        if self.problems:
            raise ConfigError("\n".join(self.problems))


def _connect(r: _Reader, session: str | None, token: str | None, token_file: str | None) -> ConnectSettings:
    access_url, _ = r.text(session, "RELAY_CLIENT_SESSION")
    if not access_url:
        r.problems.append("set --session or RELAY_CLIENT_SESSION (the access URL, .../session/<topic>)")
    elif not re.match(r"https?://", access_url):
        r.problems.append(f"session URL {access_url!r} must start with http:// or https://")
    tokens = r.tokens(token, token_file, "RELAY_CLIENT")
    if tokens is None:
        r.problems.append("set --token, --token-file, RELAY_CLIENT_TOKEN or RELAY_CLIENT_TOKEN_FILE")
        tokens = TokenSource(value="")
    return ConnectSettings(access_url=access_url, tokens=tokens)


def _output(r: _Reader, file: str | None, mode: str | None, development: bool | None) -> OutputSettings:
    path, _ = r.text(file, "RELAY_CLIENT_FILE", "RELAY_CLIENT_FILE_LOG")
    mode_text, where = r.text(mode, "RELAY_CLIENT_MODE")
    parsed = Mode.TEXT
    if mode_text:
        try:
            parsed = parse_mode(mode_text)
        except ValueError as exc:
            r.problems.append(f"{where}: {exc}")
    return OutputSettings(
        file=None if path in ("", "-") else Path(path),
        mode=parsed,
        development=r.flag_bool(development, "RELAY_CLIENT_DEVELOPMENT", "RELAY_CLIENT_FILE_DEVELOPMENT"),
    )


def log_settings(
    environ: Mapping[str, str],
    *,
    session: str | None = None,
    token: str | None = None,
    token_file: str | None = None,
    file: str | None = None,
    mode: str | None = None,
    development: bool | None = None,
) -> LogSettings:
    """Settings of ``fileclient log``; flags (not None) win over ``environ``.

    Raises:
        ConfigError: listing every problem.
    """
    r = _Reader(environ)
    connect = _connect(r, session, token, token_file)
    settings = LogSettings(connect=connect, output=_output(r, file, mode, development))
    r.raise_if_problems()
    return settings


def play_settings(
    environ: Mapping[str, str],
    *,
    play_file: str | None = None,
    check_only: bool | None = None,
    force: bool | None = None,
    then_log: bool | None = None,
    start_delay: str | None = None,
    session: str | None = None,
    token: str | None = None,
    token_file: str | None = None,
    file: str | None = None,
    mode: str | None = None,
    development: bool | None = None,
) -> PlaySettings:
    """Settings of ``fileclient play``; flags (not None) win over ``environ``.

    Raises:
        ConfigError: listing every problem.
    """
    r = _Reader(environ)
    path, _ = r.text(play_file, "RELAY_CLIENT_FILE_PLAY")
    if not path:
        r.problems.append("give the play file as an argument or in RELAY_CLIENT_FILE_PLAY")
    check = r.flag_bool(check_only, "RELAY_CLIENT_CHECK_ONLY", "RELAY_CLIENT_FILE_CHECK_ONLY")
    settings = PlaySettings(
        play_file=Path(path),
        check_only=check,
        force=r.flag_bool(force, "RELAY_CLIENT_FORCE"),
        then_log=r.flag_bool(then_log, "RELAY_CLIENT_THEN_LOG"),
        start_delay=r.duration(start_delay, "RELAY_CLIENT_START_DELAY", 1.0, positive=False),
        connect=None if check else _connect(r, session, token, token_file),
        output=_output(r, file, mode, development),
    )
    r.raise_if_problems()
    return settings


_VAR = re.compile(r"\$(\w+)|\$\{(\w+)\}")


def expand_command(command: str, environ: Mapping[str, str]) -> tuple[str, ...]:
    """Expand ``$VAR``/``${VAR}`` from ``environ`` (unset: empty), then split like a shell (no shell runs).

    Raises:
        ValueError: unbalanced quotes.
    """
    expanded = _VAR.sub(lambda m: environ.get(m.group(1) or m.group(2), ""), command)
    return tuple(shlex.split(expanded))


def monitor_settings(
    environ: Mapping[str, str],
    *,
    audience: str | None = None,
    session: str | None = None,
    secret: str | None = None,
    token: str | None = None,
    token_file: str | None = None,
    topic: str | None = None,
    threshold: str | None = None,
    interval: str | None = None,
    silence: str | None = None,
    reconnect_every: str | None = None,
    trigger_after: int | None = None,
    no_retrigger_within: str | None = None,
    command: str | None = None,
    status: bool | None = None,
) -> MonitorSettings:
    """Settings of ``fileclient monitor``; flags (not None) win over ``environ``.

    Raises:
        ConfigError: listing every problem.
    """
    r = _Reader(environ)
    aud, _ = r.text(audience, "RELAY_MONITOR_AUDIENCE")
    topic_value = r.text(topic, "RELAY_MONITOR_TOPIC")[0] or "canary-st-data"
    url, _ = r.text(session, "RELAY_MONITOR_SESSION")
    tokens = r.tokens(token, token_file, "RELAY_MONITOR")
    key, _ = r.text(secret, "RELAY_MONITOR_SECRET")
    if not url and not aud:
        r.problems.append("set --audience or RELAY_MONITOR_AUDIENCE (the access base URL of the relay)")
    if tokens is None and not key:
        r.problems.append("set --secret or RELAY_MONITOR_SECRET (or give a token with --token/--token-file)")
    if tokens is None and key and not aud:
        r.problems.append("minting tokens with the secret needs --audience or RELAY_MONITOR_AUDIENCE")
    threshold_s = r.duration(threshold, "RELAY_MONITOR_THRESHOLD", 0.2)
    interval_s = r.duration(interval, "RELAY_MONITOR_INTERVAL", 1.0)
    misses = trigger_after
    if misses is None:
        raw = environ.get("RELAY_MONITOR_TRIGGER_AFTER_MISSES", "").strip()
        misses = int(raw) if raw.isdigit() else 3
        if raw and not raw.isdigit():
            r.problems.append(f"RELAY_MONITOR_TRIGGER_AFTER_MISSES: {raw!r} is not a whole number")
    if misses < 1:
        r.problems.append("trigger after misses must be at least 1")
    command_text, where = r.text(command, "RELAY_MONITOR_COMMAND")
    argv: tuple[str, ...] = ()
    try:
        argv = expand_command(command_text, environ)
    except ValueError as exc:
        r.problems.append(f"{where}: {exc}")
    level_text = environ.get("RELAY_MONITOR_LOG_LEVEL", "").strip() or "warning"
    level = ""
    try:
        level = level_name(level_text)
    except UnknownLevel as exc:
        r.problems.append(f"RELAY_MONITOR_LOG_LEVEL: {exc}")
    settings = MonitorSettings(
        access_url=url or f"{aud.rstrip('/')}/session/{topic_value}",
        audience=aud,
        topic=topic_value,
        secret=key,
        tokens=tokens,
        threshold=threshold_s,
        interval=interval_s,
        silence=r.duration(silence, "RELAY_MONITOR_SILENCE", interval_s + threshold_s),
        reconnect_every=r.duration(reconnect_every, "RELAY_MONITOR_RECONNECT_EVERY", 86400.0),
        trigger_after=misses,
        no_retrigger_within=r.duration(
            no_retrigger_within, "RELAY_MONITOR_NO_RETRIGGER_WITHIN", 60.0, positive=False
        ),
        command=argv,
        status=status,
        log_level=level or "warning",
        log_format=environ.get("RELAY_MONITOR_LOG_FORMAT", "").strip().lower() or "json",
        log_file=environ.get("RELAY_MONITOR_LOG_FILE", "").strip(),
    )
    r.raise_if_problems()
    return settings


def _jump_connect(
    r: _Reader, access: str | None, token: str | None, token_file: str | None
) -> ConnectSettings:
    access_url, _ = r.text(access, "JUMP_CLIENT_RELAY_SESSION")
    if not access_url:
        r.problems.append(
            "set --access or JUMP_CLIENT_RELAY_SESSION (the access URL, .../api/v1/connect/<host_id>)"
        )
    elif not re.match(r"https?://", access_url):
        r.problems.append(f"access URL {access_url!r} must start with http:// or https://")
    tokens = r.tokens(token, token_file, "RELAY_CLIENT")
    if tokens is None and r.environ.get("JUMP_CLIENT_TOKEN", "").strip():
        tokens = TokenSource(env_var="JUMP_CLIENT_TOKEN")
    if tokens is None:
        r.problems.append("set --token, --token-file, RELAY_CLIENT_TOKEN(_FILE) or JUMP_CLIENT_TOKEN")
        tokens = TokenSource(value="")
    return ConnectSettings(access_url=access_url, tokens=tokens)


def ssh_proxy_settings(
    environ: Mapping[str, str],
    *,
    access: str | None = None,
    token: str | None = None,
    token_file: str | None = None,
    verbose: bool = False,
    connect_timeout: str | None = None,
) -> SshProxySettings:
    """Settings of ``fileclient ssh-proxy``; flags (not None) win over ``environ``.

    Raises:
        ConfigError: listing every problem.
    """
    r = _Reader(environ)
    settings = SshProxySettings(
        connect=_jump_connect(r, access, token, token_file),
        log_level="info" if verbose else "warning",
        connect_timeout=r.duration(connect_timeout, "JUMP_CLIENT_CONNECT_TIMEOUT", 20.0),
    )
    r.raise_if_problems()
    return settings


def forward_settings(
    environ: Mapping[str, str],
    *,
    access: str | None = None,
    token: str | None = None,
    token_file: str | None = None,
    port: int | None = None,
    bind: str | None = None,
    verbose: bool = False,
) -> ForwardSettings:
    """Settings of ``fileclient forward``; flags (not None) win over ``environ``.

    Raises:
        ConfigError: listing every problem.
    """
    r = _Reader(environ)
    connect = _jump_connect(r, access, token, token_file)
    if port is None:
        raw = environ.get("JUMP_CLIENT_LOCAL_PORT", "").strip()
        port = int(raw) if raw.isdigit() else 8082
        if raw and not raw.isdigit():
            r.problems.append(f"JUMP_CLIENT_LOCAL_PORT: {raw!r} is not a port number")
    if not 0 <= port <= 65535:
        r.problems.append(f"port {port} out of range")
    settings = ForwardSettings(
        connect=connect, bind=bind or "127.0.0.1", port=port, log_level="info" if verbose else "warning"
    )
    r.raise_if_problems()
    return settings
