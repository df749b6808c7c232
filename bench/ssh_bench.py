"""scp throughput through the relay (sshd behind ``hostd``, ``fileclient ssh-proxy``) vs direct to the same sshd.

Everything is a separate process, as deployed: sshd (throw-away keys, free loopback port), hostd
configured only by ``JUMP_HOST_*``, the gateway replicas of ``bench.cluster``, scp with the proxy.
Each round uploads one random file once per path (direct, then through the relay), ssh handshake
included, so a neighbour's load hits every path of a round alike; each figure is the median over
the rounds, and a ratio is the median of the rounds' ratios.

``BENCH_SSH_BASELINE=DIR`` adds ``baseline_*`` paths: a second hostd and ssh-proxy importing
another checkout (e.g. ``git archive main | tar -x -C DIR``), measured in the same rounds (A/B).
``BENCH_SSH_MIB=N`` sets the file size (default 50 MiB, 10 with ``--quick``).
"""

from __future__ import annotations

import asyncio
import getpass
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from bench.cluster import AUDIENCE, SECRET, Replica, free_port
from tokentool.claims import Claims, encode

BIN = Path(sys.executable).parent


def connect_token(host_id: str, scope: str) -> str:
    now = int(time.time())
    claims = Claims(
        topic=host_id,
        prefix="connect",
        scopes=(scope,),
        audience=(AUDIENCE,),
        booking_id=None,
        issued_at=now - 1,
        not_before=now - 1,
        expires_at=now + 3600,
    )
    return encode(claims, SECRET)


def wait_until(check: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)  # another process's start-up: nothing to await
    raise RuntimeError(f"{what} did not happen within {timeout}s")


def start_sshd(home: Path) -> tuple[subprocess.Popen[bytes], int, Path]:
    os.makedirs("/run/sshd", exist_ok=True)
    for name in ("host_key", "client_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(home / name)], check=True)
    port = free_port()
    (home / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {home / 'host_key'}\n"
        f"AuthorizedKeysFile {home / 'client_key.pub'}\nPidFile {home / 'sshd.pid'}\n"
        "StrictModes no\nUsePAM no\nPasswordAuthentication no\nPermitRootLogin prohibit-password\n"
        "Subsystem sftp internal-sftp\nLogLevel ERROR\n"
    )
    # stderr discarded: sshd logs each readiness probe below as a failed key exchange.
    proc = subprocess.Popen(
        ["/usr/sbin/sshd", "-D", "-e", "-f", str(home / "sshd_config")], stderr=subprocess.DEVNULL
    )

    def listening() -> bool:
        if proc.poll() is not None:
            raise RuntimeError("sshd exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            return False

    wait_until(listening, "sshd listening")
    return proc, port, home / "client_key"


def with_checkout(env: dict[str, str], checkout: str | None) -> dict[str, str]:
    """``env`` with ``checkout`` first on PYTHONPATH (its hostd/fileclient/relayclient win)."""
    if checkout:
        env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, (checkout, env.get("PYTHONPATH"))))}
    return env


def start_hostd(
    host_at: Replica, host_id: str, sshd_port: int, checkout: str | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = with_checkout(dict(os.environ), checkout)
    env.update(
        JUMP_HOST_ACCESS=f"{host_at.base}/api/v1/connect/{host_id}",
        JUMP_HOST_TOKEN=connect_token(host_id, "host"),
        JUMP_HOST_LOCAL_PORT=str(sshd_port),
        VW_LOG_LEVEL="warning",
    )
    proc = subprocess.Popen([str(BIN / "hostd"), "run", "--port", str(port)], env=env)

    def connected() -> bool:
        if proc.poll() is not None:
            raise RuntimeError("hostd exited")
        try:
            status = httpx.get(f"http://127.0.0.1:{port}/api/status", timeout=1).json()
        except (httpx.HTTPError, ValueError):
            return False
        return bool(status.get("tunnels", {}).get("jump", {}).get("state") == "connected")

    wait_until(connected, "hostd tunnel connected")
    return proc, port


def scp_argv(key: Path, source: Path, dest: str, *, port: int, proxy: str | None) -> list[str]:
    options = ["-F", "/dev/null", "-i", str(key), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes"]
    options += [
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
    ]
    if proxy is not None:
        options += ["-o", f"ProxyCommand={proxy}"]
    return ["scp", "-q", *options, "-P", str(port), str(source), f"{getpass.getuser()}@127.0.0.1:{dest}"]


async def timed_scp(argv: list[str], size: int, env: dict[str, str]) -> float:
    """MB/s (10^6 bytes per second) of one run."""
    start = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(*argv, stderr=asyncio.subprocess.PIPE, env=env)
    _, err = await proc.communicate()
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"scp failed: {err.decode(errors='replace')}")
    return size / elapsed / 1e6


async def run(replicas: list[Replica], *, quick: bool = False) -> dict[str, Any]:
    """scp of a random file: direct, through one replica, and host and client on different replicas."""
    if shutil.which("/usr/sbin/sshd") is None or shutil.which("scp") is None:
        return {"skipped": "needs Debian openssh-server and openssh-client"}
    size = int(os.environ.get("BENCH_SSH_MIB") or (10 if quick else 50)) * 1024 * 1024
    rounds = 2 if quick else 5
    baseline = os.environ.get("BENCH_SSH_BASELINE") or None
    a, b = replicas[0], replicas[-1]
    with tempfile.TemporaryDirectory(prefix="ssh-bench-") as tmp:
        home = Path(tmp)
        sshd, sshd_port, key = start_sshd(home)
        daemons = [start_hostd(a, "bench-lab", sshd_port)[0]]
        try:
            if baseline:
                daemons.append(start_hostd(a, "bench-lab-base", sshd_port, baseline)[0])
            source = home / "random.bin"
            source.write_bytes(os.urandom(size))
            dest = str(home / "copy.bin")
            env = dict(os.environ)
            paths = {"direct": (scp_argv(key, source, dest, port=sshd_port, proxy=None), env)}
            tunnels = [("", "bench-lab", None)]
            if baseline:
                tunnels.append(("baseline_", "bench-lab-base", baseline))
            for prefix, host_id, checkout in tunnels:
                for label, client_at in {"one_replica": a, "two_replicas": b}.items():
                    token_file = home / f"{prefix}{label}.jwt"
                    token_file.write_text(connect_token(host_id, "client"))
                    access = f"{client_at.base}/api/v1/connect/{host_id}"
                    proxy = f"{BIN / 'fileclient'} ssh-proxy --access {access} --token-file {token_file}"
                    argv = scp_argv(key, source, dest, port=22, proxy=proxy)
                    paths[prefix + label] = (argv, with_checkout(env, checkout))
            runs: dict[str, list[float]] = {name: [] for name in paths}
            for _ in range(rounds):
                for name, (argv, path_env) in paths.items():
                    runs[name].append(await timed_scp(argv, size, path_env))
            direct = runs.pop("direct")
            results: dict[str, Any] = {
                "file_MiB": size // (1024 * 1024),
                "rounds": rounds,
                "direct_MBps": round(statistics.median(direct), 1),
            }
            for name, relayed in runs.items():
                results[name] = {
                    "relay_MBps": round(statistics.median(relayed), 1),
                    "ratio_to_direct": round(
                        statistics.median(r / d for r, d in zip(relayed, direct, strict=True)), 3
                    ),
                }
            return results
        finally:
            for proc in (*daemons, sshd):
                proc.terminate()
                proc.wait(10)
