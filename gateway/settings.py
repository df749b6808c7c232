"""The gateway's one frozen settings object, built from flags and ``RELAY_*`` variables.

The only reader of the environment. ``from_env`` collects every problem before failing so
that an operator fixes a unit file in one go.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gateway.budget import DEFAULT_LIMIT
from gateway.config_parse import parse_bool, parse_duration, parse_size
from gateway.wire import MAX_HEADER_BYTES, MAX_MESSAGE
from relayclient.logs import UnknownLevel, level_name

log = logging.getLogger(__name__)


class ConfigError(Exception):
    """One or more settings are missing or invalid; the message has one line per problem."""


@dataclass(frozen=True, slots=True, kw_only=True)
class GatewaySettings:
    audience: str  # RELAY_AUDIENCE: external base URL of the access API; tokens' aud must contain it
    secret: str = field(default="", repr=False)  # RELAY_SECRET: HS256 secret; "" = no HS* token; never logged
    public_keys: Path | None = None  # RELAY_PUBLIC_KEYS: PEM file of EdDSA/ES256/RS256 public keys
    jwks: str = ""  # RELAY_JWKS: a JWKS file or an http(s) URL; "" = none
    jwks_refresh: float = 300.0  # RELAY_JWKS_REFRESH: seconds between fetches of a JWKS URL
    url: str  # RELAY_URL: external base URL of the websocket relay, prefix of handed-out URIs
    host: str = "127.0.0.1"  # RELAY_HOST: bind address; loopback unless configured
    port_access: int = 3000  # RELAY_PORT_ACCESS: access API port (0 = any free port)
    port_relay: int = 3001  # RELAY_PORT_RELAY: websocket port; equal to port_access means one port
    buffer_size: int = 128  # RELAY_BUFFER_SIZE: per-connection outbound queue, messages (1..512)
    buffer_bytes: int = 8 * 1024 * 1024  # RELAY_BUFFER_BYTES: per-connection outbound queue, bytes
    memory_limit: int = DEFAULT_LIMIT  # RELAY_MEMORY_LIMIT: bytes held for relaying, whole process
    stall_timeout: float = 60.0  # RELAY_STALL_TIMEOUT: seconds an ssh pipe may not move before 1011
    allow_no_booking_id: bool = False  # RELAY_ALLOW_NO_BOOKING_ID: accept tokens with empty booking_id
    log_level: str = "warning"  # RELAY_LOG_LEVEL
    log_format: str = "json"  # RELAY_LOG_FORMAT: json or text
    log_file: str = ""  # RELAY_LOG_FILE: "" = stderr, "stdout", or a path (appended)
    nats_url: str = ""  # RELAY_NATS_URL: comma-separated servers; "" = start an embedded nats-server
    nats_data_dir: Path | None = None  # RELAY_NATS_DATA_DIR: embedded JetStream store; None = temp dir
    nats_connect_wait: float = 10.0  # RELAY_NATS_CONNECT_WAIT: seconds to reach NATS at start-up
    nats_root: str = "relay"  # RELAY_NATS_ROOT: first token of every subject and bucket name prefix
    kv_replicas: int = 0  # RELAY_KV_REPLICAS: KV bucket replicas; 0 = auto (NATS cluster size, max 3)
    code_ttl: float = 30.0  # RELAY_CODE_TTL: seconds a one-time code stays redeemable
    ping_interval: float = 54.0  # RELAY_PING_INTERVAL: seconds between server pings
    pong_wait: float = 60.0  # RELAY_PONG_WAIT: seconds without a pong before the connection is dropped
    max_message: int = MAX_MESSAGE  # RELAY_MAX_MESSAGE: bytes; larger closes with 1009
    stats_every: float = 5.0  # RELAY_STATS_EVERY: seconds between stats reports (min 1 s)
    tidy_every: float = 300.0  # RELAY_TIDY_EVERY: accepted for compatibility; KV expiry does the tidying
    shutdown_grace: float = 5.0  # RELAY_SHUTDOWN_GRACE: seconds for connections to close at shutdown
    cors_origins: tuple[str, ...] = ("*",)  # RELAY_CORS_ORIGINS: comma-separated allowed origins
    replica_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])  # RELAY_REPLICA_ID
    max_header_bytes: int = MAX_HEADER_BYTES  # RELAY_MAX_HEADER_BYTES: request line + headers; more is 431
    request_timeout: float = 10.0  # RELAY_REQUEST_TIMEOUT: seconds to send a whole request; then 408
    console: bool = False  # RELAY_CONSOLE: serve the lab console at /console/ on the access port
    port_ops: int | None = None  # RELAY_PORT_OPS: /metrics, /docs, /openapi.json here; None = access port
    rate_access: float = 20.0  # RELAY_RATE_ACCESS: access requests and websocket opens/s per address; 0 = off
    rate_access_burst: int = 100  # RELAY_RATE_ACCESS_BURST: of each, taken at once by one address
    rate_admin: float = 2.0  # RELAY_RATE_ADMIN: /bids/* and /status requests/s per address; 0 = off
    rate_admin_burst: int = 20  # RELAY_RATE_ADMIN_BURST
    rate_addresses: int = 16384  # RELAY_RATE_ADDRESSES: addresses kept per limiter (~240 B each)
    trusted_proxies: tuple[str, ...] = ()  # RELAY_TRUSTED_PROXIES: CIDRs whose X-Forwarded-For is honoured

    @property
    def single_port(self) -> bool:
        return self.port_access == self.port_relay

    @property
    def uvicorn_ping_timeout(self) -> float:
        """practable waits 60 s from a pong for the next one while pinging every 54 s."""
        return max(1.0, self.pong_wait - self.ping_interval)


def parse_networks(text: str) -> tuple[str, ...]:
    """Comma-separated CIDRs (or single addresses), normalised: ``10.0.0.0/8, ::1``.

    Raises:
        ValueError: an entry is not an IPv4/IPv6 network.
    """
    networks = []
    for entry in (e.strip() for e in text.split(",")):
        if entry:
            try:
                networks.append(str(ipaddress.ip_network(entry, strict=False)))
            except ValueError:
                raise ValueError(f"not an address or CIDR: {entry[:60]!r}") from None
    return tuple(networks)


def from_env(environ: Mapping[str, str], overrides: Mapping[str, object] | None = None) -> GatewaySettings:
    """Build settings from ``RELAY_*`` variables, with ``overrides`` (from flags) taking precedence.

    Raises:
        ConfigError: listing every missing or invalid setting, one per line.
    """
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    problems: list[str] = []
    values: dict[str, object] = {}

    def raw(name: str) -> object | None:
        if name in given:
            return given[name]
        env = environ.get(f"RELAY_{name.upper()}")
        return env if env not in (None, "") else None

    keys_given = raw("public_keys") is not None or raw("jwks") is not None
    for name in ("audience", "secret", "url"):
        value = raw(name)
        if value is not None:
            values[name] = str(value)
        elif name == "secret" and keys_given:
            pass  # public keys only: this replica holds nothing that can mint a token
        elif name == "secret":
            problems.append("You must set RELAY_SECRET (or --secret)")
        else:
            problems.append(f"You must set RELAY_{name.upper()} (or --{name})")

    def convert(name: str, parse: object, check: object = None, message: str = "") -> None:
        value = raw(name)
        if value is None:
            return
        try:
            parsed = value if not isinstance(value, str) else parse(value)  # type: ignore[operator]
        except ValueError as exc:
            problems.append(f"RELAY_{name.upper()}: {exc}")
            return
        if check is not None and not check(parsed):  # type: ignore[operator]
            problems.append(f"RELAY_{name.upper()}: {message} (got {value!r})")
            return
        values[name] = parsed

    port_ok, port_msg = (lambda p: 0 <= p <= 65535), "must be a port number 0-65535"
    convert("host", str)
    convert("port_access", int, port_ok, port_msg)
    convert("port_relay", int, port_ok, port_msg)
    convert("buffer_bytes", parse_size, lambda n: n >= 1024, "must be at least 1024")
    convert("memory_limit", parse_size, lambda n: n >= 1024 * 1024, "must be at least 1 MiB")
    convert("stall_timeout", parse_duration, lambda s: s > 0, "must be positive")
    convert("allow_no_booking_id", parse_bool)
    convert("console", parse_bool)
    convert(
        "log_format", lambda s: s.strip().lower(), lambda s: s in ("json", "text"), "must be json or text"
    )
    convert("log_file", str)
    convert("nats_url", str)
    convert("nats_data_dir", Path)
    convert("nats_connect_wait", parse_duration, lambda s: s > 0, "must be positive")
    convert("nats_root", str, lambda s: s.replace("_", "").replace("-", "").isalnum(), "must be alphanumeric")
    convert("kv_replicas", int, lambda n: 0 <= n <= 5, "must be 0-5 (0 = auto)")
    convert("code_ttl", parse_duration, lambda s: s >= 1, "must be at least 1s")
    convert("ping_interval", parse_duration, lambda s: s > 0, "must be positive")
    convert("pong_wait", parse_duration, lambda s: s > 0, "must be positive")
    convert("max_message", int, lambda n: 1024 <= n <= 64 * 1024 * 1024, "must be 1 KiB-64 MiB")
    convert("stats_every", parse_duration)
    convert("tidy_every", parse_duration)
    convert("shutdown_grace", parse_duration, lambda s: s >= 0, "must not be negative")
    convert("cors_origins", lambda s: tuple(o.strip() for o in s.split(",") if o.strip()))
    convert("replica_id", str, lambda s: bool(s.strip()), "must not be empty")
    convert("max_header_bytes", parse_size, lambda n: 4096 <= n <= 1024 * 1024, "must be 4 KiB-1 MiB")
    convert("request_timeout", parse_duration, lambda s: 1 <= s <= 600, "must be 1s-10m")
    convert("public_keys", Path)
    convert("jwks", str.strip)
    convert("jwks_refresh", parse_duration, lambda s: s >= 1, "must be at least 1s")
    convert("port_ops", int, port_ok, port_msg)
    rate_ok, rate_msg = (lambda r: r >= 0), "must be 0 (off) or a positive number per second"
    convert("rate_access", float, rate_ok, rate_msg)
    convert("rate_admin", float, rate_ok, rate_msg)
    convert("rate_access_burst", int, lambda n: n >= 1, "must be at least 1")
    convert("rate_admin_burst", int, lambda n: n >= 1, "must be at least 1")
    convert("rate_addresses", int, lambda n: n >= 16, "must be at least 16")
    convert("trusted_proxies", parse_networks)

    level = raw("log_level")
    if level is not None:
        try:
            values["log_level"] = level_name(str(level))
        except UnknownLevel as exc:
            problems.append(f"RELAY_LOG_LEVEL: {exc}")

    size = raw("buffer_size")
    if size is not None:
        try:
            n = int(size)  # type: ignore[call-overload]
        except ValueError:
            problems.append(f"RELAY_BUFFER_SIZE: not an integer (got {size!r})")
        else:
            if not 1 <= n <= 512:
                # practable replaces out-of-range sizes by 256 with a warning; existing units rely on it.
                log.warning("RELAY_BUFFER_SIZE=%s is outside 1..512; using 256", n)
                n = 256
            values["buffer_size"] = n

    ops = values.get("port_ops")
    if (
        ops is not None
        and ops != 0
        and ops in (values.get("port_access", 3000), values.get("port_relay", 3001))
    ):
        problems.append(f"RELAY_PORT_OPS: must differ from the access and relay ports (got {ops})")
    if problems:
        raise ConfigError("\n".join(problems))
    settings = GatewaySettings(**values)  # type: ignore[arg-type]
    if settings.stats_every < 1.0:
        settings = dataclasses.replace(settings, stats_every=1.0)  # practable's floor
    return settings
