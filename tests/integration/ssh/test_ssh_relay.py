"""Real OpenSSH through the relay: sshd behind hostd's tunnel, ssh/scp through ``fileclient ssh-proxy``.

Gateways and hostd run in process; ssh, scp, sshd and the proxy are real subprocesses.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from conftest import GatewayFactory, GatewayHandle, StartHostd
from relaytest import TIMEOUT_UNIT, eventually, free_port
from sshfixture import FILECLIENT, Sshd, proxy_command, start_sshd

from hostd.config import HostConfig
from hostd.daemon import Daemon
from hostd.tunnel import TunnelLink
from hostd.tunnelrules import Tunnel

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    server = start_sshd(tmp_path_factory.mktemp("sshd"))
    yield server
    server.stop()


def tunnel_link(daemon: Daemon, rule_id: str = "ssh") -> TunnelLink:
    link = daemon.control.tunnel(rule_id)
    assert link is not None
    return link


@dataclass
class Lab:
    """sshd behind hostd, reachable through the relay with the client token in ``token_file``."""

    sshd: Sshd
    daemon: Daemon
    access: str  # the client's access URL
    token_file: Path

    @property
    def proxy(self) -> str:
        return proxy_command(self.access, self.token_file)

    def ssh(self, *command: str) -> list[str]:
        return self.sshd.ssh(*command, proxy=self.proxy)


def connect_url(gw: GatewayHandle, host_id: str) -> str:
    return f"{gw.access_base}/api/v1/connect/{host_id}"


async def make_lab(
    sshd: Sshd,
    start_hostd: StartHostd,
    tmp_path: Path,
    *,
    host_gw: GatewayHandle,
    client_gw: GatewayHandle | None = None,
    host_id: str = "lab1",
    **client_claims: object,
) -> Lab:
    client_gw = client_gw or host_gw
    client_claims.setdefault("booking_id", None)
    host_token = host_gw.mint(host_id, scopes=("host",), prefix="connect", booking_id=None)
    client_token = client_gw.mint(host_id, scopes=("client",), prefix="connect", **client_claims)
    token_file = tmp_path / f"{host_id}-client.jwt"
    token_file.write_text(client_token + "\n")
    rule = Tunnel(
        id="ssh", access=connect_url(host_gw, host_id), token=host_token, target=f"127.0.0.1:{sshd.port}"
    )
    daemon = await start_hostd(HostConfig(tunnels=(rule,)))
    return Lab(sshd=sshd, daemon=daemon, access=connect_url(client_gw, host_id), token_file=token_file)


async def run(argv: list[str], *, timeout: float = 30.0, data: bytes | None = None) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.PIPE if data is not None else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(data), timeout * TIMEOUT_UNIT)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    assert proc.returncode is not None
    return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")


class Interactive:
    """An ssh session running ``cat``: lines written come back, proving the session is alive."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc

    @classmethod
    async def start(cls, argv: list[str]) -> Interactive:
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        return cls(proc)

    async def echo(self, line: str) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(line.encode() + b"\n")
        await self.proc.stdin.drain()
        got = await asyncio.wait_for(self.proc.stdout.readline(), 20 * TIMEOUT_UNIT)
        assert got == line.encode() + b"\n"

    async def finish(self, timeout: float = 20.0, *, close_stdin: bool = True) -> tuple[int, str]:
        """Wait for ssh to exit, after ending its input (or not: then only the far side can end it)."""
        assert self.proc.stdin is not None and self.proc.stderr is not None
        if close_stdin and not self.proc.stdin.is_closing():
            self.proc.stdin.close()
        await asyncio.wait_for(self.proc.wait(), timeout * TIMEOUT_UNIT)
        err = await self.proc.stderr.read()
        assert self.proc.returncode is not None
        return self.proc.returncode, err.decode(errors="replace")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


async def test_ssh_runs_a_remote_command_through_the_proxy_command(
    sshd: Sshd, start_hostd: StartHostd, gateway_factory: GatewayFactory, tmp_path: Path
) -> None:
    gw = await gateway_factory()
    lab = await make_lab(sshd, start_hostd, tmp_path, host_gw=gw)
    rc, out, err = await run(lab.ssh("echo", "hello", "from", "$((6*7))"))
    assert (rc, out) == (0, "hello from 42\n"), err
    link = tunnel_link(lab.daemon)
    await eventually(lambda: link.live == 0, what="session ended on the host")
    assert (link.sessions_total, link.sessions_failed) == (1, 0)
    assert link.bytes_in > 0 and link.bytes_out > 0


async def test_scp_of_20_mib_both_ways_keeps_every_byte(
    sshd: Sshd, start_hostd: StartHostd, gateway_factory: GatewayFactory, tmp_path: Path
) -> None:
    gw = await gateway_factory()
    lab = await make_lab(sshd, start_hostd, tmp_path, host_gw=gw)
    source = tmp_path / "random.bin"
    source.write_bytes(os.urandom(20 * 1024 * 1024))
    uploaded, downloaded = tmp_path / "uploaded.bin", tmp_path / "downloaded.bin"
    rc, _, err = await run(sshd.scp(str(source), f"remote:{uploaded}", proxy=lab.proxy), timeout=60)
    assert rc == 0, err
    assert sha256(uploaded) == sha256(source)
    rc, _, err = await run(sshd.scp(f"remote:{uploaded}", str(downloaded), proxy=lab.proxy), timeout=60)
    assert rc == 0, err
    assert sha256(downloaded) == sha256(source)


async def test_four_sessions_stay_isolated_and_ending_one_leaves_the_others(
    sshd: Sshd, start_hostd: StartHostd, gateway_factory: GatewayFactory, tmp_path: Path
) -> None:
    gw = await gateway_factory()
    lab = await make_lab(sshd, start_hostd, tmp_path, host_gw=gw)
    sessions = [await Interactive.start(lab.ssh("cat")) for _ in range(4)]
    await asyncio.gather(*(s.echo(f"session {i} round 1 " + "x" * 1000 * i) for i, s in enumerate(sessions)))
    link = tunnel_link(lab.daemon)
    assert link.live == 4
    sessions[0].proc.kill()  # the abrupt end: ssh gone, its proxy sees stdin close
    await sessions[0].proc.wait()
    await eventually(lambda: link.live == 3, timeout=10, what="the killed session ended on the host")
    await asyncio.gather(*(s.echo(f"session {i} round 2") for i, s in enumerate(sessions) if i))
    for session in sessions[1:]:
        rc, err = await session.finish()
        assert rc == 0, err
    await eventually(lambda: link.live == 0, what="every session ended on the host")
    assert link.sessions_total == 4


async def test_host_on_replica_a_and_client_on_replica_b(
    sshd: Sshd, start_hostd: StartHostd, gateway_factory: GatewayFactory, tmp_path: Path
) -> None:
    a = await gateway_factory()
    b = await gateway_factory(audience=a.audience)
    lab = await make_lab(sshd, start_hostd, tmp_path, host_gw=a, client_gw=b, host_id="lab-ab")
    rc, out, err = await run(lab.ssh("echo", "across"))
    assert (rc, out) == (0, "across\n"), err


async def test_a_denied_booking_ends_the_ssh_session(
    sshd: Sshd, start_hostd: StartHostd, gateway_factory: GatewayFactory, tmp_path: Path
) -> None:
    gw = await gateway_factory()
    booking = f"bk-ssh-{uuid.uuid4()}"  # the deny list outlives a test: never reuse a booking id
    lab = await make_lab(sshd, start_hostd, tmp_path, host_gw=gw, booking_id=booking)
    session = await Interactive.start(lab.ssh("cat"))
    await session.echo("before the deny")
    admin = gw.mint("admin", scopes=("relay:admin",))
    async with httpx.AsyncClient() as http:
        reply = await http.post(
            f"{gw.access_base}/bids/deny?bid={booking}&exp={int(time.time()) + 600}",
            headers={"Authorization": admin},
        )
    assert reply.status_code == 204
    started = time.monotonic()
    rc, err = await session.finish(timeout=10, close_stdin=False)  # only the relay can end it
    assert rc != 0
    assert "4503" in err, err
    assert time.monotonic() - started < 5 * TIMEOUT_UNIT
    link = tunnel_link(lab.daemon)
    await eventually(lambda: link.live == 0, what="host side closed after the deny")


async def test_an_expiring_token_ends_the_ssh_session(
    sshd: Sshd, start_hostd: StartHostd, gateway_factory: GatewayFactory, tmp_path: Path
) -> None:
    gw = await gateway_factory()
    lab = await make_lab(sshd, start_hostd, tmp_path, host_gw=gw, lifetime=4)
    session = await Interactive.start(lab.ssh("cat"))
    await session.echo("before expiry")
    rc, err = await session.finish(timeout=15, close_stdin=False)
    assert rc != 0
    assert "4502" in err, err


async def test_an_unreachable_local_service_fails_the_session_clearly(
    start_hostd: StartHostd, gateway_factory: GatewayFactory, sshd: Sshd, tmp_path: Path
) -> None:
    gw = await gateway_factory()
    dead = socket.socket()
    dead.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    dead_port = dead.getsockname()[1]
    try:
        host_token = gw.mint("lab-dead", scopes=("host",), prefix="connect", booking_id=None)
        rule = Tunnel(
            id="ssh",
            access=connect_url(gw, "lab-dead"),
            token=host_token,
            target=f"127.0.0.1:{dead_port}",
        )
        daemon = await start_hostd(HostConfig(tunnels=(rule,)))
        token_file = tmp_path / "client.jwt"
        token_file.write_text(gw.mint("lab-dead", scopes=("client",), prefix="connect", booking_id=None))
        rc, _, err = await run(sshd.ssh("true", proxy=proxy_command(connect_url(gw, "lab-dead"), token_file)))
    finally:
        dead.close()
    assert rc != 0
    assert "ended before the lab answered" in err, err
    assert f"1011 cannot reach 127.0.0.1:{dead_port}" in err, err  # hostd's reason, relayed by the gateway
    assert tunnel_link(daemon).sessions_failed == 1


async def test_a_refused_token_fails_ssh_with_a_clear_message(
    sshd: Sshd, start_hostd: StartHostd, gateway_factory: GatewayFactory, tmp_path: Path
) -> None:
    gw = await gateway_factory()
    lab = await make_lab(sshd, start_hostd, tmp_path, host_gw=gw)
    lab.token_file.write_text(gw.mint("lab1", scopes=("read", "write"), prefix="connect", booking_id=None))
    rc, _, err = await run(lab.ssh("true"))
    assert rc != 0
    assert "cannot open a session" in err and "401" in err, err


async def test_forward_listens_locally_and_serves_one_session_per_connection(
    sshd: Sshd, start_hostd: StartHostd, gateway_factory: GatewayFactory, tmp_path: Path
) -> None:
    gw = await gateway_factory()
    lab = await make_lab(sshd, start_hostd, tmp_path, host_gw=gw)
    forward = await asyncio.create_subprocess_exec(
        str(FILECLIENT),
        "forward",
        "--port",
        "0",
        "--access",
        lab.access,
        "--token-file",
        str(lab.token_file),
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert forward.stderr is not None
        line = (await asyncio.wait_for(forward.stderr.readline(), 20 * TIMEOUT_UNIT)).decode()
        assert line.startswith("fileclient forward: listening on 127.0.0.1:"), line
        port = int(line.rsplit(":", 1)[1])
        first, second = await asyncio.gather(
            run(sshd.ssh("echo", "one", port=port)),
            run(sshd.ssh("echo", "two", port=port)),
        )
        assert first[:2] == (0, "one\n"), first[2]
        assert second[:2] == (0, "two\n"), second[2]
        assert tunnel_link(lab.daemon).sessions_total == 2
    finally:
        forward.terminate()
        assert await asyncio.wait_for(forward.wait(), 10) == 0


async def test_jump_environment_only_hostd_subprocess_and_proxy(
    sshd: Sshd, gateway_factory: GatewayFactory, tmp_path: Path
) -> None:
    """Configured as practable's jump was: JUMP_HOST_* for the host agent, JUMP_CLIENT_* for the client."""
    gw = await gateway_factory()
    api_port = free_port()
    hostd = await asyncio.create_subprocess_exec(
        str(FILECLIENT.parent / "hostd"),
        "run",
        "--port",
        str(api_port),
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "JUMP_HOST_ACCESS": connect_url(gw, "lab-env"),
            "JUMP_HOST_TOKEN": gw.mint("lab-env", scopes=("host",), prefix="connect", booking_id=None),
            "JUMP_HOST_LOCAL_PORT": str(sshd.port),
            "VW_LOG_LEVEL": "warning",
        },
        stderr=asyncio.subprocess.PIPE,
    )
    try:

        async def tunnel_connected() -> bool:
            async with httpx.AsyncClient() as http:
                try:
                    status = (await http.get(f"http://127.0.0.1:{api_port}/api/status")).json()
                except httpx.HTTPError:
                    return False
            return bool(status["tunnels"].get("jump", {}).get("state") == "connected")

        await eventually(tunnel_connected, timeout=20, what="hostd's jump tunnel connected")
        client_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "JUMP_CLIENT_RELAY_SESSION": connect_url(gw, "lab-env"),
            "JUMP_CLIENT_TOKEN": gw.mint("lab-env", scopes=("client",), prefix="connect", booking_id=None),
        }
        proc = await asyncio.create_subprocess_exec(
            *sshd.ssh("echo", "env-only", proxy=f"{FILECLIENT} ssh-proxy"),
            env=client_env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(), 30 * TIMEOUT_UNIT)
        assert (proc.returncode, out) == (0, b"env-only\n"), err
        rc, status_text, _ = await run(
            [str(FILECLIENT.parent / "hostd"), "status", "--port", str(api_port)], timeout=10
        )
        assert rc == 0 and "jump: connected" in status_text and "sessions=1" in status_text, status_text
    finally:
        hostd.terminate()
        await asyncio.wait_for(hostd.wait(), 10)
