"""Overload: peak RSS of fresh gateway processes under 1 MiB floods, stalled readers and both.

Each scenario starts its own ``gateway serve`` process(es) (the installed console script, default
settings; an embedded nats-server child, or one shared nats-server for two replicas) and samples
every process's VmRSS every 50 ms while it runs; the peak is the larger of the samples and the
kernel's VmHWM read at the end. A scenario whose gateway passes 3 GiB is aborted (the gateway is
killed) and reports ``aborted_at_rss_mib``. Goal: every scenario's gateway peak under 1 GiB.

Scenarios:
- ``a_5_writers_no_readers``: 5 writers send 1 MiB messages as fast as TCP lets them, nobody reads.
- ``b_20_writers_no_readers``: the same with 20 writers.
- ``c_stalled_readers``: 20 topics x 15 readers that never read (their sockets are paused after the
  handshake), one writer per topic, plus one healthy reader on one of the abused topics.
- ``d_stalled_readers_two_replicas``: (c) with writers on replica A, all readers on replica B.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import httpx
from websockets.client import ClientProtocol
from websockets.http11 import Response
from websockets.uri import parse_uri

from bench.cluster import free_port, gateway_env, token
from bench.fastws import BINARY, PING, LeanClient, lean_connect, masked_frame
from gateway.embedded_nats import EmbeddedNats

GATEWAY = str(Path(sys.executable).parent / "gateway")
MIB = 1024 * 1024
ABORT_RSS = 3 * 1024 * MIB  # bytes: the benchmark's own guard
SAMPLE_EVERY = 0.05  # seconds


# --- processes and memory --------------------------------------------------------------------


def proc_status(pid: int, key: str) -> int | None:
    """A ``kB`` field of /proc/<pid>/status in bytes (None once the process is gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    return None


def child_pids(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


@dataclass
class GatewayProc:
    name: str
    port: int
    proc: subprocess.Popen[bytes]
    log: Path
    nats_pid: int | None = None  # the embedded nats-server child, if any
    aborted: bool = False  # killed by the RSS guard

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.proc.poll() is None

    def log_tail(self, chars: int = 400) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def start_gateway(name: str, workdir: Path, *, nats_url: str | None = None, **env: str) -> GatewayProc:
    """``gateway serve`` with default settings; without ``nats_url`` it embeds its own nats-server.

    ``BENCH_GATEWAY_PYTHONPATH`` (if set) becomes the gateway's PYTHONPATH, so a ``git archive``
    of another commit can be measured while the working tree is mid-edit.
    """
    port = free_port()
    environ = gateway_env(port, {k: v for k, v in os.environ.items() if not k.startswith("RELAY_")}, **env)
    if nats_url is not None:
        environ["RELAY_NATS_URL"] = nats_url
    source = os.environ.get("BENCH_GATEWAY_PYTHONPATH")
    if source:  # measure another checkout's gateway (e.g. `git archive HEAD`) with this venv
        environ["PYTHONPATH"] = source
    log = workdir / f"{name}.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen([GATEWAY, "serve"], env=environ, stdout=sink, stderr=subprocess.STDOUT)
    return GatewayProc(name, port, proc, log)


async def wait_ready(gw: GatewayProc, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as http:
        while time.monotonic() < deadline:
            if not gw.alive():
                raise RuntimeError(f"{gw.name} exited with {gw.proc.returncode}: {gw.log_tail()}")
            try:
                if (await http.get(f"{gw.base}/readyz", timeout=1)).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.05)  # another process's start-up: nothing to await
        else:
            raise RuntimeError(f"{gw.name} did not become ready")
    children = child_pids(gw.proc.pid)
    gw.nats_pid = children[0] if children else None


def stop_gateway(gw: GatewayProc) -> None:
    if gw.alive():
        gw.proc.send_signal(signal.SIGTERM)
        try:
            gw.proc.wait(5)
        except subprocess.TimeoutExpired:
            gw.proc.kill()
    gw.proc.wait()


class RssWatch(threading.Thread):
    """Samples VmRSS of named processes every 50 ms; kills a guarded gateway that passes ``limit``.

    A thread, so that a load generator saturating the event loop does not delay the samples.
    """

    def __init__(
        self,
        pids: dict[str, int],
        guarded: list[GatewayProc],
        *,
        limit: int = ABORT_RSS,
        on_abort: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__(daemon=True)
        self.pids = pids
        self.guarded = guarded
        self.limit = limit
        self.on_abort = on_abort
        self.peak: dict[str, int] = dict.fromkeys(pids, 0)
        self.aborted_at: int | None = None
        self.aborted_by = ""
        self.aborted_after: float | None = None
        self.started_at = time.monotonic()
        self._halt = threading.Event()

    def run(self) -> None:
        guarded = {gw.proc.pid for gw in self.guarded}
        while not self._halt.wait(SAMPLE_EVERY):
            for name, pid in self.pids.items():
                rss = proc_status(pid, "VmRSS")
                if rss is None:
                    continue
                self.peak[name] = max(self.peak[name], rss)
                if pid in guarded and rss > self.limit and self.aborted_at is None:
                    self.aborted_at = rss
                    self.aborted_by = name
                    self.aborted_after = time.monotonic() - self.started_at
                    for gw in self.guarded:
                        if gw.proc.pid == pid:
                            gw.aborted = True
                            gw.proc.kill()
                    self.on_abort()
                    return

    def finish(self) -> dict[str, float]:
        """Stop sampling; fold in each live process's VmHWM (the kernel's exact peak)."""
        self._halt.set()
        self.join()
        for name, pid in self.pids.items():
            hwm = proc_status(pid, "VmHWM")
            if hwm is not None:
                self.peak[name] = max(self.peak[name], hwm)
        return {name: round(value / MIB, 1) for name, value in self.peak.items()}


# --- clients -----------------------------------------------------------------------------------


class CountingReader(asyncio.Protocol):
    """A reader that counts whole data frames and their arrival times without keeping payloads.

    Headers are parsed byte by byte and payloads skipped, so a 1 MiB message costs no copies.
    """

    def __init__(self, uri: str) -> None:
        self.protocol = ClientProtocol(parse_uri(uri), max_size=None)
        loop = asyncio.get_running_loop()
        self.open: asyncio.Future[None] = loop.create_future()
        self.closed: asyncio.Future[None] = loop.create_future()
        self.transport: asyncio.Transport | None = None
        self.arrivals: list[float] = []
        self.bytes = 0
        self._request = self.protocol.connect()
        self._handshaken = False
        self._head = b""
        self._remaining = 0
        self._opcode = 0
        self._ping = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)
        self.protocol.send_request(self._request)
        self.transport.write(b"".join(self.protocol.data_to_send()))

    def data_received(self, data: bytes) -> None:
        if not self._handshaken:
            self.protocol.receive_data(data)
            for event in self.protocol.events_received():
                if isinstance(event, Response):
                    self._handshaken = True
                    if not self.open.done():
                        self.open.set_result(None)
            if not self._handshaken:
                return
            data = bytes(self.protocol.reader.buffer)
        self.bytes += len(data)
        pos, end = 0, len(data)
        while pos < end:
            if self._remaining:
                take = min(self._remaining, end - pos)
                if self._opcode == 0x9:  # keep a ping's (at most 125-byte) payload for the pong
                    self._ping += data[pos : pos + take]
                pos += take
                self._remaining -= take
                if not self._remaining:
                    self._frame_done()
                continue
            self._head += data[pos : pos + 1]
            pos += 1
            head = self._head
            if len(head) < 2:
                continue
            code = head[1] & 0x7F
            size = 4 if code == 126 else 10 if code == 127 else 2
            if len(head) < size:
                continue
            self._opcode = head[0] & 0x0F
            self._remaining = code if code < 126 else int.from_bytes(head[2:size], "big")
            self._head = b""
            if not self._remaining:
                self._frame_done()

    def _frame_done(self) -> None:
        if self._opcode in (0x0, 0x1, 0x2):
            self.arrivals.append(time.monotonic())
        elif self._opcode == 0x9 and self.transport is not None:  # answer pings, or be closed
            self.transport.write(masked_frame(self._ping, 0xA))
            self._ping = b""

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.open.done():
            self.open.set_exception(ConnectionError("closed during the handshake"))
        if not self.closed.done():
            self.closed.set_result(None)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def per_second(self, start: float, seconds: float) -> list[int]:
        buckets = [0] * max(1, int(seconds + 0.999))
        for t in self.arrivals:
            index = int(t - start)
            if 0 <= index < len(buckets):
                buckets[index] += 1
        return buckets


async def counting_reader(uri: str) -> CountingReader:
    parts = urlsplit(uri)
    loop = asyncio.get_running_loop()
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    _, client = await loop.create_connection(lambda: CountingReader(uri), host, port)
    await asyncio.wait_for(client.open, 10)
    return client


async def access(http: httpx.AsyncClient, base: str, topic: str, scopes: tuple[str, ...]) -> str:
    reply = await http.post(f"{base}/session/{topic}", headers={"Authorization": token(topic, scopes)})
    reply.raise_for_status()
    return str(reply.json()["uri"])


async def stalled_reader(http: httpx.AsyncClient, base: str, topic: str) -> LeanClient:
    """Handshake, then stop reading the socket for good: the gateway's sends back up behind it."""
    client = await lean_connect(await access(http, base, topic, ("read",)))
    assert client.transport is not None
    client.transport.pause_reading()
    return client


@dataclass
class Sent:
    messages: int = 0


async def flood(client: LeanClient, frame: bytes, sent: Sent) -> None:
    """Write ``frame`` as fast as the socket takes it, until cancelled or the connection ends."""
    while not client.closed.done():
        await client.send_frames(frame, 1)  # waits while the transport's buffer is above 1 MiB
        sent.messages += 1
        await asyncio.sleep(0)


class Probe:
    """GET /healthz of the writers' replica every 0.5 s during the flood: is its loop still free?"""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.failures = 0

    async def run(self, gw: GatewayProc) -> None:
        async with httpx.AsyncClient() as http:
            while True:
                begin = time.perf_counter()
                try:
                    reply = await http.get(f"{gw.base}/healthz", timeout=5)
                    reply.raise_for_status()
                    self.latencies.append(time.perf_counter() - begin)
                except httpx.HTTPError:
                    self.failures += 1
                await asyncio.sleep(0.5)

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies)
        return {
            "answered": len(ordered),
            "failed_or_over_5s": self.failures,
            "median_ms": round(ordered[len(ordered) // 2] * 1e3, 1) if ordered else None,
            "max_ms": round(ordered[-1] * 1e3, 1) if ordered else None,
        }


def parse_metrics(text: str) -> dict[str, dict[str, float]]:
    """``relay_dropped_messages_total`` and ``relay_messages_total`` by label set."""
    out: dict[str, dict[str, float]] = {}
    for line in text.splitlines():
        for family in ("relay_dropped_messages_total", "relay_messages_total"):
            if line.startswith(family):
                labels, _, value = line[len(family) :].rpartition(" ")
                out.setdefault(family, {})[labels.strip("{} ") or "all"] = float(value)
    return out


async def read_metrics(gw: GatewayProc) -> dict[str, dict[str, float]] | str:
    if gw.aborted:
        return "killed by the RSS guard"
    if not gw.alive():
        return "gateway not running"
    try:
        async with httpx.AsyncClient() as http:
            reply = await http.get(f"{gw.base}/metrics", timeout=20)
        return parse_metrics(reply.text)
    except httpx.HTTPError as exc:
        return f"unavailable: {type(exc).__name__}"


# --- scenarios ---------------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    seconds: float
    writers: int  # one per topic
    stalled_per_topic: int = 0
    healthy_reader: bool = False
    replicas: int = 1
    size: int = MIB
    frames: int = 1  # frames per write: a burst of tiny frames lands in one read of the gateway
    opcode: int = BINARY  # PING: pings, answered by the gateway
    unread: bool = False  # the writers never read their socket (pongs pile up in front of them)
    notes: list[str] = field(default_factory=list)


async def run_scenario(sc: Scenario) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="relay-overload-") as tmp:
        workdir = Path(tmp)
        shared: EmbeddedNats | None = None
        gateways: list[GatewayProc] = []
        readers: list[LeanClient] = []
        writers: list[LeanClient] = []
        healthy: CountingReader | None = None
        tasks: list[asyncio.Task[None]] = []
        try:
            if sc.replicas > 1:
                shared = EmbeddedNats()
                shared.start()
            for i in range(sc.replicas):
                url = shared.url if shared is not None else None
                gateways.append(start_gateway(f"replica_{'ab'[i]}", workdir, nats_url=url))
            for gw in gateways:
                await wait_ready(gw)
            pids = {gw.name: gw.proc.pid for gw in gateways}
            for gw in gateways:
                if gw.nats_pid is not None:
                    pids[f"{gw.name}_embedded_nats"] = gw.nats_pid
            if shared is not None and shared._proc is not None:
                pids["shared_nats"] = shared._proc.pid

            loop = asyncio.get_running_loop()
            aborted = asyncio.Event()

            def on_abort() -> None:  # runs in the watch thread
                loop.call_soon_threadsafe(aborted.set)

            watch = RssWatch(pids, gateways, on_abort=on_abort)
            watch.start()

            write_at, read_at = gateways[0], gateways[-1]
            topics = [f"ov-{sc.name}-{i}-{time.monotonic_ns()}" for i in range(sc.writers)]
            limit = asyncio.Semaphore(16)

            async with httpx.AsyncClient(timeout=30) as http:

                async def one_stalled(topic: str) -> LeanClient:
                    async with limit:
                        return await stalled_reader(http, read_at.base, topic)

                readers = list(
                    await asyncio.gather(
                        *(one_stalled(t) for t in topics for _ in range(sc.stalled_per_topic))
                    )
                )
                if sc.healthy_reader:
                    healthy = await counting_reader(await access(http, read_at.base, topics[0], ("read",)))
                for topic in topics:
                    writer = await lean_connect(await access(http, write_at.base, topic, ("write",)))
                    if sc.unread:
                        assert writer.transport is not None
                        writer.transport.pause_reading()
                    writers.append(writer)
            await asyncio.sleep(0.3)  # let the readers' subscriptions reach NATS (two replicas)

            frame = masked_frame(bytes(sc.size), sc.opcode) * sc.frames
            sent = Sent()
            start = watch.started_at = time.monotonic()
            tasks = [asyncio.create_task(flood(w, frame, sent)) for w in writers]
            probe = Probe()
            tasks.append(asyncio.create_task(probe.run(write_at)))
            try:
                await asyncio.wait_for(aborted.wait(), sc.seconds)
            except TimeoutError:
                pass
            duration = time.monotonic() - start
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

            metrics = {gw.name: await read_metrics(gw) for gw in gateways}
            result_probe = probe.summary()
            peaks = watch.finish()
            result: dict[str, Any] = {
                "peak_rss_mib": max(peaks[gw.name] for gw in gateways),
                "peak_rss_mib_by_process": peaks,
                "aborted_at_rss_mib": None if watch.aborted_at is None else round(watch.aborted_at / MIB, 1),
                "duration_s": round(duration, 2),
                "writers": sc.writers,
                "stalled_readers": sc.writers * sc.stalled_per_topic if sc.stalled_per_topic else 0,
                "message_bytes": sc.size,
                "messages_sent": sent.messages,
                "offered_MB_per_s": round(sent.messages * sc.size * sc.frames / duration / 1e6, 1),
                "frames_per_write": sc.frames,
                "offered_wire_MB": round(sent.messages * len(frame) / 1e6, 1),
            }
            if watch.aborted_at is not None:
                result["aborted_by"] = watch.aborted_by
                result["aborted_after_s"] = round(watch.aborted_after or 0.0, 2)
            if healthy is not None:
                per_second = healthy.per_second(start, duration)
                result["healthy_reader"] = {
                    "received": len(healthy.arrivals),
                    "per_second": per_second,
                    "rate_per_s": round(len(healthy.arrivals) / duration, 1),
                    "seconds_with_nothing": sum(1 for n in per_second if n == 0),
                    "connection_lost": healthy.closed.done(),
                }
            result["healthz_during"] = result_probe
            result["metrics_at_end"] = metrics
            exited = [gw for gw in gateways if not gw.alive()]
            if exited and watch.aborted_at is None:
                result["gateway_exited"] = {
                    gw.name: {"code": gw.proc.returncode, "log_tail": gw.log_tail()} for gw in exited
                }
            return result
        finally:
            for task in tasks:
                task.cancel()
            for client in [*readers, *writers]:
                client.close()
            if healthy is not None:
                healthy.close()
            for gw in gateways:
                stop_gateway(gw)
            if shared is not None:
                shared.cleanup()


def scenarios(quick: bool) -> list[Scenario]:
    scale = 0.5 if quick else 1.0
    return [
        Scenario("a_5_writers_no_readers", 8 * scale, writers=5),
        Scenario("b_20_writers_no_readers", 12 * scale, writers=20),
        Scenario("c_stalled_readers", 10 * scale, writers=20, stalled_per_topic=15, healthy_reader=True),
        Scenario(
            "d_stalled_readers_two_replicas",
            10 * scale,
            writers=20,
            stalled_per_topic=15,
            healthy_reader=True,
            replicas=2,
        ),
        # One read's cost: 256 KiB writes of empty messages (6-byte frames), and of pings from
        # clients that never read the pongs (docs/memory.md, "One read").
        Scenario("e_tiny_frames", 10 * scale, writers=200, size=0, frames=256 * 1024 // 6, unread=True),
        Scenario(
            "f_pings_never_read", 10 * scale, writers=200, size=125, frames=512, opcode=PING, unread=True
        ),
    ]


async def run(*, quick: bool = False, only: list[str] | None = None) -> dict[str, Any]:
    results: dict[str, Any] = {"abort_rss_mib": ABORT_RSS // MIB, "goal_peak_rss_mib": 1024}
    for sc in scenarios(quick):
        if only and not any(sc.name.startswith(prefix) for prefix in only):
            continue
        results[sc.name] = await run_scenario(sc)
    return results
