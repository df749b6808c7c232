"""Run the gateway: embedded NATS when needed, bound sockets, uvicorn, orderly shutdown.

Start-up order: the ports are bound first (a port in use stops here, before any nats-server
starts), then NATS is started or reached, then the sockets listen and uvicorn serves.

Shutdown order (SIGTERM/SIGINT): uvicorn stops accepting, closes every websocket with 1012
and waits up to the grace period; then the lifespan ends, NATS is drained, and the embedded
nats-server (if any) is stopped. See docs/shutdown.md.
"""

from __future__ import annotations

import errno
import gc
import logging
import signal
import socket
from collections.abc import Callable, Generator
from contextlib import AsyncExitStack, nullcontext

import uvicorn

from gateway.app import create_app
from gateway.embedded_nats import EmbeddedNats
from gateway.httpproto import header_limited
from gateway.limits import Limiters, RateLimits, RefusalCollector, limiters
from gateway.logs import redact_codes
from gateway.services import Services
from gateway.settings import GatewaySettings
from gateway.verifier import open_verifier
from gateway.wiring import nats_services
from gateway.wsproto import RelayWebSocketProtocol

log = logging.getLogger(__name__)


class ListenError(Exception):
    """A port cannot be listened on; the message names it and the setting that changes it."""


def bind(host: str, port: int, setting: str = "port_access") -> socket.socket:
    """A bound (not yet listening) socket: a port in use is found before NATS is started.

    Raises:
        ListenError: the address is in use or cannot be bound.
    """
    change = f"--{setting.replace('_', '-')} / RELAY_{setting.upper()}"
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets whose proto says TCP, and
    # without it every response written in two parts waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ListenError(f"port {port} is in use (set {change})") from None
        if exc.errno == errno.EADDRNOTAVAIL or isinstance(exc, socket.gaierror):
            raise ListenError(f"cannot listen on {host}: {exc.strerror} (set --host / RELAY_HOST)") from None
        raise ListenError(f"cannot listen on {host}:{port}: {exc.strerror} (set {change})") from None
    sock.setblocking(False)
    return sock


def uvicorn_config(settings: GatewaySettings, app: object) -> uvicorn.Config:
    return uvicorn.Config(
        app,  # type: ignore[arg-type]
        # uvicorn's websockets-sansio (write flow control since 0.52.1, which slow readers need),
        # closing on invalid UTF-8 with 1007 and one log line.
        ws=RelayWebSocketProtocol,
        # httptools with a bound on request headers (431 above it), upgrade requests included.
        http=header_limited(settings.max_header_bytes, settings.request_timeout),
        ws_max_size=settings.max_message,
        ws_ping_interval=settings.ping_interval,
        ws_ping_timeout=settings.uvicorn_ping_timeout,
        ws_per_message_deflate=False,
        timeout_graceful_shutdown=max(1, round(settings.shutdown_grace)),
        lifespan="on",
        log_config=None,
        access_log=False,
        server_header=False,
        proxy_headers=False,
    )


class _QuietServer(uvicorn.Server):
    """A uvicorn server that leaves signal handling to its embedder (tests, benchmarks)."""

    def capture_signals(self) -> Generator[None, None, None]:  # type: ignore[override]
        return nullcontext()  # type: ignore[return-value]


class Gateway:
    """One gateway process's server, startable in tests as well as from the CLI."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self.ports: dict[str, int] = {}
        self.embedded: EmbeddedNats | None = None
        self.nats_servers: list[str] = []
        self.server: uvicorn.Server | None = None
        self.services: Services | None = None
        self.limits: Limiters = limiters(settings)  # per-address buckets, for this process's life

    async def serve(self, *, on_ready: Callable[[Gateway], None] | None = None, signals: bool = True) -> None:
        """Serve until a signal or :meth:`stop`.

        ``on_ready`` runs once NATS is connected and the sockets listen (connections made from
        then on wait in the backlog until uvicorn accepts them).

        Raises:
            BusUnavailable: NATS or JetStream cannot be reached.
            ListenError: a port is in use or the address cannot be bound.
        """
        settings = self.settings
        async with AsyncExitStack() as stack:
            sockets = [bind(settings.host, settings.port_access)]
            stack.callback(sockets[0].close)
            if not settings.single_port:
                sockets.append(bind(settings.host, settings.port_relay, "port_relay"))
                stack.callback(sockets[-1].close)
            if settings.port_ops is not None:
                sockets.append(bind(settings.host, settings.port_ops, "port_ops"))
                stack.callback(sockets[-1].close)
            # Key files are read (a bad one stops start-up) and a JWKS URL fetched before NATS.
            verifier = await stack.enter_async_context(open_verifier(settings))
            servers = [s.strip() for s in settings.nats_url.split(",") if s.strip()]
            if not servers:
                self.embedded = EmbeddedNats(host="127.0.0.1", data_dir=settings.nats_data_dir)
                stack.callback(self.embedded.cleanup)
                servers = [self.embedded.start()]
                await stack.enter_async_context(self.embedded.supervised())  # restarted if it dies
            self.nats_servers = servers
            self.services = services = await stack.enter_async_context(nats_services(settings, servers))
            services.verifier = verifier
            for sock in sockets:
                sock.listen(1024)
            bound = [sock.getsockname()[1] for sock in sockets]
            self.ports = {"access": bound[0], "relay": bound[0] if settings.single_port else bound[1]}
            if settings.port_ops is not None:
                self.ports["ops"] = bound[-1]
            app = create_app(
                settings,
                lambda _s: nullcontext(services),
                ports=None if settings.single_port and settings.port_ops is None else self.ports,
            )
            # The rate limits wrap everything, so that no dispatcher, router or middleware (nor any
            # token, crypto or NATS work) runs for a refused request.
            limited = RateLimits(app, self.limits, cors_origins=settings.cors_origins)
            services.meters.registry.register(RefusalCollector(self.limits))
            config = uvicorn_config(settings, limited)
            for name in ("uvicorn.error", "uvicorn.access"):
                redact_codes(logging.getLogger(name))
            self.server = uvicorn.Server(config) if signals else _QuietServer(config)
            if signals:
                # Until uvicorn installs its handlers (a signal right after on_ready) and after it
                # restores these (it re-raises the signal it caught once it has shut down), a signal
                # only asks for the shutdown: this process finishes its own (NATS drain), exits 0.
                for sig in (signal.SIGINT, signal.SIGTERM):
                    signal.signal(sig, lambda *_: self.stop())
            if on_ready is not None:
                on_ready(self)
            # Everything built so far lives as long as the process: keep it out of the
            # collector's generations so that full collections (latency spikes) stay short.
            gc.freeze()
            await self.server.serve(sockets=sockets)

    def stop(self) -> None:
        """Begin a graceful shutdown, as SIGTERM would."""
        if self.server is not None:
            self.server.should_exit = True
