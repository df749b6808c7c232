"""The installed ``gateway`` console script as a subprocess, configured only by environment."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

import httpx
import pytest
from natscontainers import NatsNode
from relaytest import SECRET, TIMEOUT_UNIT, eventually, free_port, mint, open_ws
from websockets.exceptions import ConnectionClosed

pytestmark = pytest.mark.e2e

GATEWAY = str(Path(sys.executable).parent / "gateway")


def environment(port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELAY_")}
    env.update(
        RELAY_SECRET=SECRET,
        RELAY_AUDIENCE=f"http://127.0.0.1:{port}",
        RELAY_URL=f"ws://127.0.0.1:{port}",
        RELAY_PORT_ACCESS=str(port),
        RELAY_PORT_RELAY=str(port),
        RELAY_LOG_LEVEL="info",
        RELAY_SHUTDOWN_GRACE="2s",
    )
    env.update(extra)
    return env


def spawn(env: dict[str, str], stderr: int | None = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    return subprocess.Popen([GATEWAY, "serve"], env=env, stderr=stderr)


def gone(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    return not status.exists() or "zombie" in status.read_text().lower()


async def ready(port: int) -> None:
    async def up() -> bool:
        try:
            async with httpx.AsyncClient() as http:
                return (await http.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200
        except httpx.HTTPError:
            return False

    await eventually(up, timeout=30, what="gateway ready")


def children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in found]


async def test_serve_with_embedded_nats_relays_and_shuts_down_cleanly(
    serve: list[subprocess.Popen[bytes]],
) -> None:
    port = free_port()
    proc = spawn(environment(port))
    serve.append(proc)
    await ready(port)
    nats_children = children(proc.pid)
    assert nats_children, "an embedded nats-server runs as a child"
    base = f"http://127.0.0.1:{port}"
    one = await open_ws(f"{base}/session/e2e", mint(SECRET, base, "e2e"))
    two = await open_ws(f"{base}/session/e2e", mint(SECRET, base, "e2e"))
    await one.send("across the installed gateway")
    assert await asyncio.wait_for(two.recv(), 5) == "across the installed gateway"
    proc.send_signal(signal.SIGTERM)
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(two.recv(), 10)
    assert two.close_code == 1012
    assert await asyncio.to_thread(proc.wait, 20) == 0
    assert all(gone(pid) for pid in nats_children)


async def test_sigkill_leaves_no_orphaned_nats_server(serve: list[subprocess.Popen[bytes]]) -> None:
    port = free_port()
    proc = spawn(environment(port))
    serve.append(proc)
    await ready(port)
    (nats_pid,) = children(proc.pid)
    proc.kill()
    proc.wait()
    await eventually(lambda: gone(nats_pid), timeout=10, what="nats-server gone")


def test_missing_settings_are_named_one_line_each() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELAY_")}
    result = subprocess.run([GATEWAY, "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "You must set RELAY_AUDIENCE (or --audience)",
        "You must set RELAY_SECRET (or --secret)",
        "You must set RELAY_URL (or --url)",
    ]


def test_invalid_setting_is_named() -> None:
    result = subprocess.run(
        [GATEWAY, "serve"],
        env=environment(free_port(), RELAY_CODE_TTL="soon"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().startswith("RELAY_CODE_TTL: invalid duration 'soon'")


def test_unreachable_nats_is_one_clear_line() -> None:
    result = subprocess.run(
        [GATEWAY, "serve"],
        env=environment(
            free_port(), RELAY_NATS_URL=f"nats://127.0.0.1:{free_port()}", RELAY_NATS_CONNECT_WAIT="1s"
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("error: cannot connect to NATS at nats://127.0.0.1:")
    )


def test_help_documents_every_variable() -> None:
    result = subprocess.run([GATEWAY, "serve", "--help"], capture_output=True, text=True, timeout=60)
    for name in ("AUDIENCE", "SECRET", "URL", "PORT_ACCESS", "PORT_RELAY", "BUFFER_SIZE", "NATS_URL", "HOST"):
        assert f"RELAY_{name}" in result.stdout


async def test_two_replica_processes_share_one_nats(
    serve: list[subprocess.Popen[bytes]], nats_server: NatsNode
) -> None:
    ports = [free_port(), free_port()]
    audience = "https://relay.example.org/access"
    for port in ports:
        env = environment(port, RELAY_NATS_URL=nats_server.url, RELAY_AUDIENCE=audience)
        serve.append(spawn(env))
    for port in ports:
        await ready(port)
    reader = await open_ws(f"http://127.0.0.1:{ports[1]}/session/pair", mint(SECRET, audience, "pair"))
    writer = await open_ws(f"http://127.0.0.1:{ports[0]}/session/pair", mint(SECRET, audience, "pair"))
    deadline = time.monotonic() + 10
    while True:  # the reader's replica subscribes before accepting, so the first message arrives
        await writer.send("hello from replica one")
        try:
            assert await asyncio.wait_for(reader.recv(), 2) == "hello from replica one"
            break
        except TimeoutError:
            assert time.monotonic() < deadline


def read_line(stream: IO[bytes], timeout: float = 30) -> str:
    """One line from a child's pipe, failing after ``timeout`` seconds rather than hanging."""
    pool = ThreadPoolExecutor(1)
    try:
        return pool.submit(stream.readline).result(timeout * TIMEOUT_UNIT).decode()
    finally:
        pool.shutdown(wait=False)  # on a timeout the reader ends when the fixture kills the child


def test_serve_prints_one_ready_line_with_addresses_nats_and_replica(
    serve: list[subprocess.Popen[bytes]],
) -> None:
    access, relay = free_port(), free_port()
    env = environment(access, RELAY_PORT_RELAY=str(relay), RELAY_REPLICA_ID="replica-e2e")
    del env["RELAY_LOG_LEVEL"]  # the default level: warn
    proc = spawn(env, stderr=subprocess.PIPE)
    serve.append(proc)
    assert proc.stderr is not None
    line = read_line(proc.stderr)
    assert line.startswith("gateway ready: "), line
    assert f"127.0.0.1:{access}" in line and f"127.0.0.1:{relay}" in line
    assert env["RELAY_AUDIENCE"] in line and env["RELAY_URL"] in line
    assert "embedded nats-server at nats://127.0.0.1:" in line
    assert "replica replica-e2e" in line
    assert SECRET not in line
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(20) == 0
    assert proc.stderr.read().decode() == "", "nothing but the ready line at the default level"


def test_port_in_use_is_one_line_naming_port_and_setting() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [GATEWAY, "serve"], env=environment(port), capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: port {port} is in use (set --port-access / RELAY_PORT_ACCESS)"
    ]


def test_sigterm_shutdown_logs_nothing_at_warning_or_above(serve: list[subprocess.Popen[bytes]]) -> None:
    port = free_port()
    proc = spawn(environment(port, RELAY_LOG_FORMAT="text"), stderr=subprocess.PIPE)
    serve.append(proc)
    assert proc.stderr is not None
    assert read_line(proc.stderr).startswith("gateway ready: ")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(20) == 0
    lines = proc.stderr.read().decode().splitlines()
    assert any("INFO gateway.natsbus: NATS closed" in line for line in lines), lines  # logged, at INFO
    loud = [line for line in lines if any(f" {level} " in line for level in ("WARNING", "ERROR", "CRITICAL"))]
    assert loud == []
    assert not any("Traceback" in line for line in lines)


def test_serve_help_shows_defaults_and_reads_cleanly() -> None:
    env = {**os.environ, "COLUMNS": "250"}  # one line per flag, so no wrapping splits a default
    result = subprocess.run([GATEWAY, "serve", "--help"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    lines = {line.split()[1]: line for line in result.stdout.splitlines() if line.startswith("│ --")}
    for flag, default in (
        ("--host", "127.0.0.1"),
        ("--port-access", "3000"),
        ("--port-relay", "3001"),
        ("--code-ttl", "30s"),
        ("--log-level", "warn"),
        ("--nats-url", "an embedded nats-server"),
    ):
        assert f"(default: {default})." in lines[flag], lines[flag]
    assert " ." not in result.stdout and " ," not in result.stdout


def start_try(access: str, token: str) -> subprocess.Popen[bytes]:
    pipe = subprocess.PIPE
    return subprocess.Popen([GATEWAY, "try", access, token], stdin=pipe, stdout=pipe, stderr=pipe)


async def test_try_marks_received_lines_and_ends_by_itself_with_the_close_code(
    serve: list[subprocess.Popen[bytes]],
) -> None:
    port = free_port()
    gateway = spawn(environment(port))
    serve.append(gateway)
    await ready(port)
    base = f"http://127.0.0.1:{port}"
    access = f"{base}/session/try"
    peer = await open_ws(access, mint(SECRET, base, "try"))
    client = start_try(access, mint(SECRET, base, "try"))
    serve.append(client)
    assert client.stdin is not None and client.stdout is not None and client.stderr is not None
    assert (await asyncio.to_thread(read_line, client.stderr)).startswith("connected;")
    await peer.send("from the peer")
    assert await asyncio.to_thread(read_line, client.stdout) == "< from the peer\n"
    client.stdin.write(b"typed here\n")
    client.stdin.flush()
    assert await asyncio.wait_for(peer.recv(), 5) == "typed here"
    gateway.send_signal(signal.SIGTERM)  # stdin stays open: the client must end by itself
    assert await asyncio.to_thread(client.wait, 20) == 1
    rest = client.stderr.read().decode()
    assert rest.splitlines() == ["closed by the relay: 1012 service restart"], rest
    assert "Traceback" not in rest


def test_try_without_a_gateway_is_one_line_and_exit_1() -> None:
    result = subprocess.run(
        [GATEWAY, "try", f"http://127.0.0.1:{free_port()}/session/none", "token"],
        stdin=subprocess.PIPE,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: access request failed: ConnectError")


async def test_try_refused_token_is_one_line_and_exit_1(serve: list[subprocess.Popen[bytes]]) -> None:
    port = free_port()
    serve.append(spawn(environment(port)))
    await ready(port)
    client = start_try(f"http://127.0.0.1:{port}/session/try", "not-a-token")
    serve.append(client)
    assert await asyncio.to_thread(client.wait, 20) == 1
    assert client.stderr is not None
    (line,) = client.stderr.read().decode().splitlines()
    assert line.startswith("error: access refused: HTTP 401")


async def test_try_ctrl_c_quits_with_one_line_and_exit_0(serve: list[subprocess.Popen[bytes]]) -> None:
    port = free_port()
    serve.append(spawn(environment(port)))
    await ready(port)
    base = f"http://127.0.0.1:{port}"
    client = start_try(f"{base}/session/try", mint(SECRET, base, "try"))
    serve.append(client)
    assert client.stderr is not None
    assert (await asyncio.to_thread(read_line, client.stderr)).startswith("connected;")
    client.send_signal(signal.SIGINT)
    assert await asyncio.to_thread(client.wait, 20) == 0
    assert client.stderr.read().decode().splitlines() == ["closed: 1000 (you quit)"]


async def test_try_ends_by_itself_when_its_booking_is_denied(serve: list[subprocess.Popen[bytes]]) -> None:
    port = free_port()
    serve.append(spawn(environment(port)))
    await ready(port)
    base = f"http://127.0.0.1:{port}"
    client = start_try(f"{base}/session/try", mint(SECRET, base, "try", booking_id="bk-try"))
    serve.append(client)
    assert client.stderr is not None
    assert (await asyncio.to_thread(read_line, client.stderr)).startswith("connected;")
    async with httpx.AsyncClient() as http:
        denied = await http.post(
            f"{base}/bids/deny?bid=bk-try&exp={int(time.time()) + 600}",
            headers={"Authorization": mint(SECRET, base, "admin", scopes=("relay:admin",))},
        )
    assert denied.status_code == 204, denied.text
    assert await asyncio.to_thread(client.wait, 20) == 1
    rest = client.stderr.read().decode()
    assert rest.startswith("closed by the relay: 4503 booking revoked"), rest
    assert "Traceback" not in rest
