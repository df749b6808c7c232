"""Start a nats-server and gateway replicas as separate processes for benchmarks."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from gateway.embedded_nats import EmbeddedNats
from tokentool.claims import Claims, encode

SECRET = "bench-secret"
AUDIENCE = "http://relay.bench/access"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Replica:
    port: int
    proc: subprocess.Popen[bytes]
    nats_url: str = ""  # the nats-server it uses

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def session_url(self, topic: str) -> str:
        return f"{self.base}/session/{topic}"


def token(topic: str, scopes: tuple[str, ...] = ("read", "write"), booking_id: str = "bench") -> str:
    now = int(time.time())
    return encode(
        Claims(
            topic=topic,
            prefix="session",
            scopes=scopes,
            audience=(AUDIENCE,),
            booking_id=booking_id,
            issued_at=now - 1,
            not_before=now - 1,
            expires_at=now + 3600,
        ),
        SECRET,
    )


def wait_ready(replica: Replica, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if replica.proc.poll() is not None:
            raise RuntimeError(f"gateway exited with {replica.proc.returncode}")
        try:
            if httpx.get(f"{replica.base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)  # another process's start-up: nothing to await
    raise RuntimeError("gateway did not become ready")


def gateway_env(port: int, base: dict[str, str], **env: str) -> dict[str, str]:
    """``base`` plus the settings of a benchmark gateway on ``port`` (one port for both faces)."""
    environ = dict(base)
    # Load generators open hundreds of sessions a second from 127.0.0.1: no per-address limit
    # (bench ratelimit measures the limiter with gateways of its own).
    environ.update(RELAY_RATE_ACCESS="0", RELAY_RATE_ADMIN="0")
    environ.update(
        RELAY_SECRET=SECRET,
        RELAY_AUDIENCE=AUDIENCE,
        RELAY_URL=f"ws://127.0.0.1:{port}",
        RELAY_PORT_ACCESS=str(port),
        RELAY_PORT_RELAY=str(port),
        RELAY_LOG_LEVEL="error",
        **env,
    )
    return environ


@contextmanager
def cluster(replicas: int = 2, **env: str) -> Iterator[list[Replica]]:
    nats = EmbeddedNats()
    nats.start()
    started: list[Replica] = []
    try:
        for _ in range(replicas):
            port = free_port()
            environ = gateway_env(port, dict(os.environ), RELAY_NATS_URL=nats.url, **env)
            source = os.environ.get("BENCH_GATEWAY_PYTHONPATH")  # measure another checkout's gateway
            if source:
                environ["PYTHONPATH"] = source
            # -m puts the working directory first on sys.path: run from the checkout measured.
            proc = subprocess.Popen(
                [sys.executable, "-m", "gateway", "serve"], env=environ, cwd=source or None
            )
            started.append(Replica(port, proc, nats.url))
        for replica in started:
            wait_ready(replica)
        yield started
    finally:
        for replica in started:
            replica.proc.terminate()
        for replica in started:
            try:
                replica.proc.wait(10)
            except subprocess.TimeoutExpired:
                replica.proc.kill()
        nats.cleanup()


async def settle() -> None:
    """Give a fresh subscription time to reach the NATS server before measuring."""
    await asyncio.sleep(0.2)
