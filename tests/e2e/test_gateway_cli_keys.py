"""``gateway serve`` with the ops port and public keys, as a process configured by environment."""

from __future__ import annotations

import signal
import socket
import subprocess
from pathlib import Path

import httpx
import pytest
from relaytest import golden_public_pem
from test_gateway_cli import GATEWAY, environment, read_line, spawn

pytestmark = pytest.mark.e2e


def test_help_names_the_key_rate_and_ops_settings() -> None:
    result = subprocess.run([GATEWAY, "serve", "--help"], capture_output=True, text=True, timeout=60)
    for name in (
        "PUBLIC_KEYS",
        "JWKS",
        "JWKS_REFRESH",
        "PORT_OPS",
        "RATE_ACCESS",
        "RATE_ACCESS_BURST",
        "RATE_ADMIN",
        "RATE_ADMIN_BURST",
        "RATE_ADDRESSES",
        "TRUSTED_PROXIES",
    ):
        assert f"[RELAY_{name}]" in result.stdout, name


def test_ops_port_in_the_ready_line_then_sigterm_exits_0(
    serve: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    with socket.socket() as a, socket.socket() as b:
        a.bind(("127.0.0.1", 0))
        b.bind(("127.0.0.1", 0))
        port, ops = a.getsockname()[1], b.getsockname()[1]
    env = environment(
        port, RELAY_PORT_OPS=str(ops), RELAY_PUBLIC_KEYS=golden_public_pem(tmp_path / "public.pem")
    )
    del env["RELAY_SECRET"]  # public keys only: no secret required
    del env["RELAY_LOG_LEVEL"]
    proc = spawn(env, stderr=subprocess.PIPE)
    serve.append(proc)
    assert proc.stderr is not None
    line = read_line(proc.stderr)
    assert f"ops (metrics, docs) on 127.0.0.1:{ops}" in line, line
    assert httpx.get(f"http://127.0.0.1:{ops}/metrics", timeout=5).status_code == 200
    assert httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).status_code == 404
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(20) == 0
    assert proc.stderr.read().decode() == ""


def test_a_busy_ops_port_is_one_line_naming_its_setting() -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        ops = taken.getsockname()[1]
        env = environment(port, RELAY_PORT_OPS=str(ops))
        result = subprocess.run([GATEWAY, "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: port {ops} is in use (set --port-ops / RELAY_PORT_OPS)"]


def test_an_unusable_key_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "keys.pem"
    bad.write_text("not a key\n")
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    result = subprocess.run(
        [GATEWAY, "serve"],
        env=environment(port, RELAY_PUBLIC_KEYS=str(bad)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: RELAY_PUBLIC_KEYS: {bad}: no PEM block (-----BEGIN PUBLIC KEY-----) found"
    ]
