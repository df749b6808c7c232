"""ASGI servers side by side on one minimal relay app (``micro_app``): a writer on /w, a reader
on /r, 100 B paced at 200 Hz, the paced row's load generator. Not part of ``python -m bench``:
granian is not a dependency. ``pip install granian`` into the venv, then
``python -m bench.asgi.run`` prints one JSON line per server and round (docs/performance.md).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.relay_bench import paced_between

HERE = Path(__file__).parent
UVICORN = """
import sys, uvicorn
ws = "websockets-sansio"
if sys.argv[2] == "relay":
    from gateway.wsproto import RelayWebSocketProtocol as ws
uvicorn.run("micro_app:app", host="127.0.0.1", port=int(sys.argv[1]), ws=ws, loop="uvloop",
            http="httptools", log_level="warning", ws_per_message_deflate=False, lifespan="off")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def servers(port: int) -> dict[str, list[str]]:
    out = {
        "uvicorn (websockets-sansio)": [sys.executable, "-c", UVICORN, str(port), "stock"],
        "uvicorn (Relay's protocol)": [sys.executable, "-c", UVICORN, str(port), "relay"],
    }
    granian = shutil.which("granian", path=str(Path(sys.executable).parent))
    if granian:
        out["granian (asgi, uvloop, one thread)"] = [
            granian, "--interface", "asgi", "--host", "127.0.0.1", "--port", str(port), "--loop", "uvloop",
            "--workers", "1", "--runtime-mode", "st", "--runtime-threads", "1", "micro_app:app",
        ]  # fmt: skip
    return out


async def paced(port: int) -> dict[str, Any]:
    async def writer() -> str:
        return f"ws://127.0.0.1:{port}/w"

    result = await paced_between(f"ws://127.0.0.1:{port}/r", writer, rate=200.0, seconds=10.0)
    return {key: result[key] for key in ("received", "p50_ms", "p99_ms")}


def cpu_ticks(pid: int) -> int:
    pids = [
        pid,
        *map(int, subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()),
    ]
    total = 0
    for p in pids:
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total


async def wait_listening(port: int) -> None:
    async with asyncio.timeout(20):
        while True:
            try:
                _, w = await asyncio.open_connection("127.0.0.1", port)
                w.close()
                return
            except OSError:
                await asyncio.sleep(0.05)  # nothing to await on another process's listen()


async def main(rounds: int = 3) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(HERE.parent.parent)])}
    for _ in range(rounds):
        for name in servers(0):
            port = free_port()
            argv = servers(port)[name]
            proc = await asyncio.create_subprocess_exec(
                *argv, env=env, cwd=HERE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            try:
                await wait_listening(port)
                result: dict[str, object] = {**await paced(port), "server_cpu_ticks": cpu_ticks(proc.pid)}
                print(json.dumps({"server": name, **result}), flush=True)
            finally:
                proc.terminate()
                await proc.wait()


if __name__ == "__main__":
    try:
        import uvloop

        uvloop.run(main())
    except ImportError:
        asyncio.run(main())
