"""Failover: SIGKILL the replica hostd is connected through; hostd reconnects through a TCP balancer.

Two installed ``gateway serve`` processes share one nats-server. Both hand out URLs of a small
TCP balancer (tests/tcpbalancer.py) that sends every new connection to the first backend that
accepts. hostd (installed console script) bridges its local feed ``data`` to a session topic
through the balancer, so it lands on replica A; a reader sits directly on replica B. A local
websocket client writes numbered messages into hostd's ``/ws/data`` every 20 ms. Killing A must
not stop the data for long: hostd's next connection skips the dead backend and lands on B.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path

import httpx
import pytest
from natscontainers import NatsNode
from relaytest import SECRET, TIMEOUT_UNIT, eventually, free_port, mint, request_uri
from tcpbalancer import TcpBalancer
from websockets.asyncio.client import connect

pytestmark = pytest.mark.e2e

BIN = Path(sys.executable).parent
RESUME_WITHIN = 3.0  # seconds from the SIGKILL to the first message sent after it reaching the reader
SEND_EVERY = 0.02  # seconds between the local client's messages


def gateway_env(port: int, *, public: int, nats_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELAY_")}
    env.update(
        RELAY_SECRET=SECRET,
        RELAY_AUDIENCE=f"http://127.0.0.1:{public}",  # clients only ever see the balancer
        RELAY_URL=f"ws://127.0.0.1:{public}",
        RELAY_PORT_ACCESS=str(port),
        RELAY_PORT_RELAY=str(port),
        RELAY_NATS_URL=nats_url,
        RELAY_LOG_LEVEL="info",
        RELAY_SHUTDOWN_GRACE="1s",
    )
    return env


def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start a console script with its stderr in ``log`` (kept for a failing run's post-mortem)."""
    with log.open("wb") as sink:
        return subprocess.Popen(args, env=env, stdout=sink, stderr=sink)


async def http_ok(url: str, body: str | None = None) -> bool:
    try:
        async with httpx.AsyncClient() as http:
            reply = await http.get(url, timeout=1)
    except httpx.HTTPError:
        return False
    return reply.status_code == 200 and (body is None or reply.text == body)


@pytest.fixture
async def procs() -> AsyncIterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        await asyncio.to_thread(proc.wait)


@pytest.fixture
async def balancer() -> AsyncIterator[TcpBalancer]:
    lb = TcpBalancer([])
    await lb.start()
    yield lb
    await lb.stop()


async def test_replica_sigkill_hostd_reconnects_through_balancer_and_data_resumes_within_3s(
    nats_server: NatsNode,
    balancer: TcpBalancer,
    procs: list[subprocess.Popen[bytes]],
    tmp_path: Path,
) -> None:
    public = balancer.port
    port_a, port_b = free_port(), free_port()
    balancer.backends = [("127.0.0.1", port_a), ("127.0.0.1", port_b)]
    replica_a, replica_b = (
        spawn(
            [str(BIN / "gateway"), "serve"],
            gateway_env(port, public=public, nats_url=nats_server.url),
            tmp_path / f"gateway-{name}.log",
        )
        for name, port in (("a", port_a), ("b", port_b))
    )
    procs += [replica_a, replica_b]
    audience = f"http://127.0.0.1:{public}"
    topic = f"failover-{time.monotonic_ns()}"
    (tmp_path / "data.jwt").write_text(mint(SECRET, audience, topic, lifetime=600))
    (tmp_path / "hostd.yaml").write_text(
        "feeds: [data]\n"
        "destinations:\n"
        f"  - {{id: data, stream: data, destination: '{audience}/session/{topic}', token_file: data.jwt}}\n"
    )
    hostd_port = free_port()
    for port in (port_a, port_b):
        await eventually(
            partial(http_ok, f"http://127.0.0.1:{port}/readyz"), timeout=30, what="replica ready"
        )
    hostd = spawn(
        [str(BIN / "hostd"), "run", "--config", str(tmp_path / "hostd.yaml"), "--port", str(hostd_port)],
        {"PATH": "/usr/bin:/bin", "VW_LOG_LEVEL": "info"},
        tmp_path / "hostd.log",
    )
    procs.append(hostd)
    hostd_api = f"http://127.0.0.1:{hostd_port}"
    await eventually(lambda: http_ok(f"{hostd_api}/healthcheck", '"ok"\n'), timeout=20, what="hostd healthy")

    async def link_state() -> str:
        async with httpx.AsyncClient() as http:
            body = (await http.get(f"{hostd_api}/api/status", timeout=2)).json()
        return str(body["destinations"]["data"]["state"])

    async def connected_through(port: int) -> bool:
        return balancer.active[port] > 0 and await link_state() == "connected"

    await eventually(lambda: connected_through(port_a), timeout=10, what="hostd connected through replica A")

    # The reader dials replica B itself: the URI names the balancer, which would pick A.
    uri = await request_uri(f"http://127.0.0.1:{port_b}/session/{topic}", mint(SECRET, audience, topic))
    reader = await connect(uri.replace(f":{public}/", f":{port_b}/"), max_size=None, compression=None)
    local = await connect(f"ws://127.0.0.1:{hostd_port}/ws/data", compression=None)
    arrivals: list[tuple[int, float]] = []  # (sequence number, monotonic time) at the reader
    sent = 0

    async def send_forever() -> None:
        nonlocal sent
        while True:
            sent += 1
            await local.send(str(sent))
            await asyncio.sleep(SEND_EVERY)

    async def read_forever() -> None:
        async for message in reader:
            arrivals.append((int(message), time.monotonic()))

    tasks = [asyncio.create_task(send_forever()), asyncio.create_task(read_forever())]
    try:
        await eventually(lambda: len(arrivals) >= 10, timeout=10, what="data flowing A -> B before the kill")
        replica_a.kill()
        killed_at = time.monotonic()
        last_before_kill = sent
        await asyncio.to_thread(replica_a.wait)

        def resumed() -> bool:
            return any(seq > last_before_kill for seq, _ in arrivals)

        await eventually(resumed, timeout=15, what="data from hostd after the kill")
        first_after = min(t for seq, t in arrivals if seq > last_before_kill)
        took = first_after - killed_at
        assert took < RESUME_WITHIN * TIMEOUT_UNIT, f"data resumed {took:.2f}s after the SIGKILL"
        assert balancer.active[port_b] > 0 and balancer.routed.count(port_b) >= 1, "hostd now goes through B"
        assert await link_state() == "connected"
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await local.close()
        await reader.close()
