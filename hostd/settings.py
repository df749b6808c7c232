"""hostd's one settings object, from command-line flags over environment variables.

The only reader of ``os.environ`` is ``__main__``, which passes the mapping in. Names kept from
practable's ``relay host``: ``VW_PORT``, ``VW_LOG_LEVEL``, ``VW_API``, ``VW_HTTPWAITMS``; new
ones are ``HOSTD_*``; ``JUMP_HOST_*`` (practable's ``jump host``) configure one tunnel.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from hostd.ingest import IDLE_GAP, MAX_FRAME
from hostd.router import DEFAULT_MAX_BYTES, DEFAULT_MAX_MESSAGES
from hostd.tunnelrules import JUMP_RULE_ID, Tunnel
from relayclient.logs import UnknownLevel, parse_level


class ConfigError(Exception):
    """One or more settings are invalid; the message lists every problem."""


@dataclass(frozen=True, slots=True, kw_only=True)
class HostdSettings:
    host: str = "127.0.0.1"  # bind address of the local API; the original used every interface
    port: int = 8888  # local API port (VW_PORT); 0 picks a free one
    log_level: int = logging.INFO  # VW_LOG_LEVEL
    log_format: str = "json"  # json | text (HOSTD_LOG_FORMAT)
    api: str = ""  # VW_API: ws(s) URL of the JSON control channel, empty means none
    config: Path | None = None  # HOSTD_CONFIG: YAML/TOML file of feeds, streams and destinations
    shutdown_grace: float = 5.0  # seconds (VW_HTTPWAITMS / 1000)
    ts_idle: float = IDLE_GAP  # seconds of silence that end an MPEG-TS frame (HOSTD_TS_IDLE_MS)
    ts_max_frame: int = MAX_FRAME  # bytes (HOSTD_TS_MAX_FRAME)
    queue_messages: int = DEFAULT_MAX_MESSAGES  # per local subscriber (HOSTD_QUEUE_MESSAGES)
    queue_bytes: int = DEFAULT_MAX_BYTES  # per local subscriber (HOSTD_QUEUE_BYTES)
    healthy_after: float = 5.0  # seconds a link must live before its backoff resets
    jump_access: str = ""  # JUMP_HOST_ACCESS: .../api/v1/connect/<host_id>; "" means no jump tunnel
    jump_token: str = ""  # JUMP_HOST_TOKEN: host-scope token of that tunnel
    jump_local_port: int = 22  # JUMP_HOST_LOCAL_PORT: the tunnel dials localhost:<port>

    @classmethod
    def from_env(cls, environ: Mapping[str, str], **overrides: Any) -> HostdSettings:
        """Build settings from ``environ``, then apply non-None ``overrides`` (command-line flags).

        Raises:
            ConfigError: listing every variable that could not be parsed.
        """
        problems: list[str] = []
        values: dict[str, Any] = {}

        def number(name: str, key: str, kind: type[int] | type[float], scale: float = 1.0) -> None:
            raw = environ.get(name, "").strip()
            if not raw:
                return
            try:
                parsed = kind(raw)
            except ValueError:
                problems.append(f"{name} must be a number, got {raw!r}")
                return
            if parsed < 0:
                problems.append(f"{name} must not be negative")
                return
            values[key] = parsed * scale if scale != 1.0 else parsed

        number("VW_PORT", "port", int)
        number("VW_HTTPWAITMS", "shutdown_grace", float, 0.001)
        number("HOSTD_TS_IDLE_MS", "ts_idle", float, 0.001)
        number("HOSTD_TS_MAX_FRAME", "ts_max_frame", int)
        number("HOSTD_QUEUE_MESSAGES", "queue_messages", int)
        number("HOSTD_QUEUE_BYTES", "queue_bytes", int)
        number("JUMP_HOST_LOCAL_PORT", "jump_local_port", int)
        values["jump_access"] = environ.get("JUMP_HOST_ACCESS", "").strip()
        values["jump_token"] = environ.get("JUMP_HOST_TOKEN", "").strip()
        if environ.get("VW_LOG_LEVEL"):
            try:
                values["log_level"] = parse_level(environ["VW_LOG_LEVEL"])
            except UnknownLevel as exc:
                problems.append(f"VW_LOG_LEVEL: {exc}")
        if environ.get("HOSTD_LOG_FORMAT"):
            values["log_format"] = environ["HOSTD_LOG_FORMAT"].strip().lower()
        if environ.get("VW_API"):
            values["api"] = environ["VW_API"].strip()
        if environ.get("HOSTD_HOST"):
            values["host"] = environ["HOSTD_HOST"].strip()
        if environ.get("HOSTD_CONFIG"):
            values["config"] = Path(environ["HOSTD_CONFIG"])
        values.update({key: value for key, value in overrides.items() if value is not None})
        settings = replace(cls(), **values)
        problems.extend(settings.problems())
        if problems:
            raise ConfigError("; ".join(problems))
        return settings

    def problems(self) -> list[str]:
        found = []
        if not 0 <= self.port <= 65535:
            found.append(f"port {self.port} out of range")
        if self.log_format not in ("json", "text"):
            found.append(f"log format must be json or text, got {self.log_format!r}")
        if self.ts_max_frame <= 0 or self.queue_messages <= 0 or self.queue_bytes <= 0:
            found.append("frame and queue limits must be positive")
        if self.api and not self.api.startswith(("ws://", "wss://")):
            found.append("VW_API must be a ws:// or wss:// URL")
        if bool(self.jump_access) != bool(self.jump_token):
            found.append("JUMP_HOST_ACCESS and JUMP_HOST_TOKEN must be set together")
        jump = self.jump_tunnel()
        if jump is not None:
            found.extend(f"JUMP_HOST_*: {problem}" for problem in jump.problems())
        return found

    def jump_tunnel(self) -> Tunnel | None:
        """The tunnel rule ``jump host`` would run from its environment, if configured."""
        if not (self.jump_access and self.jump_token):
            return None
        return Tunnel(
            id=JUMP_RULE_ID,
            access=self.jump_access,
            token=self.jump_token,
            target=f"localhost:{self.jump_local_port}",
        )
