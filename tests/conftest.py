"""Shared fixtures: a real nats-server (a container where an engine answers, else the binary; see
tests/natscontainers.py), in-process gateways and hostd daemons on free ports, token minting."""

from __future__ import annotations

import asyncio
import socket
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import hypothesis  # noqa: F401  # see below
import pytest
from natscontainers import ContainerEngine, NatsCluster, NatsNode
from relaytest import SECRET, eventually, free_port, mint

from gateway.server import Gateway
from gateway.settings import GatewaySettings
from gateway.wire import quote_topic
from hostd.config import HostConfig
from hostd.daemon import Daemon
from hostd.settings import HostdSettings
from relayclient.backoff import Backoff

# hypothesis is imported up front: its pytest plugin otherwise imports it (and pytest rewrites it)
# at session end, which trips a CPython 3.11.7 bug ("AST constructor recursion depth mismatch")
# when a run collected no hypothesis test.


class GatewayHandle:
    """An in-process gateway replica on a fixed free port; stop() and start() restart it in place."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self.gateway: Gateway | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def port(self) -> int:
        return self.settings.port_access

    @property
    def access_base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def relay_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def secret(self) -> str:
        return self.settings.secret

    @property
    def audience(self) -> str:
        return self.settings.audience

    def mint(self, topic: str, **kwargs: Any) -> str:
        return mint(self.secret, self.audience, topic, **kwargs)

    def session_url(self, topic: str) -> str:
        return f"{self.access_base}/session/{quote_topic(topic)}"

    async def start(self) -> None:
        ready = asyncio.Event()
        self.gateway = Gateway(self.settings)
        self._task = asyncio.create_task(self.gateway.serve(on_ready=lambda _g: ready.set(), signals=False))
        waiter = asyncio.create_task(ready.wait())
        await asyncio.wait((waiter, self._task), return_when=asyncio.FIRST_COMPLETED, timeout=20)
        if not ready.is_set():
            waiter.cancel()
            if self._task.done():
                self._task.result()  # raises the start-up error
            raise AssertionError("gateway did not start")
        server = self.gateway.server
        assert server is not None
        await eventually(lambda: server.started, what="uvicorn started")

    async def stop(self) -> None:
        if self.gateway is not None and self._task is not None:
            self.gateway.stop()
            await asyncio.wait_for(self._task, 30)
        self.gateway = None
        self._task = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()


@pytest.fixture(scope="session")
def container_engine() -> Iterator[ContainerEngine | None]:
    """testcontainers' engine for the session; None: no engine answers, nodes are child processes."""
    with ContainerEngine.find() as engine:
        yield engine


@pytest.fixture(scope="session")
def nats_server(
    container_engine: ContainerEngine | None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[NatsNode]:
    """One nats-server (stock settings, JetStream) shared by the session."""
    server = NatsNode.create(container_engine, tmp_path_factory.mktemp("nats"))
    server.start()
    yield server
    server.cleanup()


NatsFactory = Callable[[], NatsNode]


@pytest.fixture
def nats_factory(container_engine: ContainerEngine | None, tmp_path: Path) -> Iterator[NatsFactory]:
    """Private nats-servers (started) for tests that stop, kill or restart them."""
    nodes: list[NatsNode] = []

    def start() -> NatsNode:
        node = NatsNode.create(container_engine, tmp_path / f"nats{len(nodes)}")
        nodes.append(node)
        node.start()
        return node

    yield start
    for node in nodes:
        node.cleanup()


@pytest.fixture
def nats_cluster(container_engine: ContainerEngine | None, tmp_path: Path) -> Iterator[NatsCluster]:
    """A fresh 3-node JetStream cluster on loopback, every node listening (leaders may be electing)."""
    cluster = NatsCluster(container_engine, tmp_path / "cluster")
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.cleanup()


GatewayFactory = Callable[..., Awaitable[GatewayHandle]]


@pytest.fixture
async def gateway_factory(nats_server: NatsNode) -> AsyncIterator[GatewayFactory]:
    """Start replicas sharing ``nats_server``; keyword arguments override settings."""
    handles: list[GatewayHandle] = []

    async def start(**overrides: Any) -> GatewayHandle:
        port = free_port()
        settings = GatewaySettings(
            audience=f"http://127.0.0.1:{port}",
            secret=SECRET,
            url=f"ws://127.0.0.1:{port}",
            port_access=port,
            port_relay=port,
            nats_url=nats_server.url,
            shutdown_grace=2.0,
            log_level="warning",
            rate_admin=0.0,  # tests poll admin routes every 10 ms (eventually); limit tests set it
        )
        settings = replace(settings, **overrides)
        handle = GatewayHandle(settings)
        await handle.start()
        handles.append(handle)
        return handle

    yield start
    for handle in handles:
        await handle.stop()


@pytest.fixture
async def gateway(gateway_factory: GatewayFactory) -> GatewayHandle:
    return await gateway_factory()


StartHostd = Callable[..., Awaitable[Daemon]]


@pytest.fixture
async def start_hostd() -> AsyncIterator[StartHostd]:
    """Start in-process hostd daemons on free ports; keyword arguments override settings.

    Backoff is fast and links count as healthy after 0.5 s, so reconnect tests stay short. A
    daemon is returned once its local API listens and every tunnel of ``config`` is connected.
    """
    running: list[tuple[Daemon, asyncio.Task[None]]] = []

    async def start(config: HostConfig | None = None, **settings: Any) -> Daemon:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))  # held, not closed: the daemon listens on it (no port race)
        options: dict[str, Any] = {"port": sock.getsockname()[1], "healthy_after": 0.5, "shutdown_grace": 1.0}
        daemon = Daemon(
            HostdSettings(**{**options, **settings}),
            config=config,
            backoff=lambda: Backoff(minimum=0.1, maximum=0.5),
        )
        task = asyncio.create_task(daemon.serve(sockets=[sock]))
        running.append((daemon, task))
        await eventually(lambda: daemon.server.started or task.done(), what="hostd started")
        assert not task.done()
        for rule in config.tunnels if config else ():
            link = daemon.control.tunnel(rule.id)
            assert link is not None
            await eventually(
                lambda link=link: link.state.state == "connected",  # type: ignore[misc]
                timeout=10,
                what=f"tunnel {rule.id} connected ({link.state.last_error})",
            )
        return daemon

    yield start
    for daemon, task in running:
        daemon.stop()
        await asyncio.wait_for(task, 10)


@pytest.fixture
def serve() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes a test starts (``gateway serve`` and the like): killed and reaped after it."""
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
