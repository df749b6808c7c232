"""The performance table of issue 12, one row per workload, against practable's Go relay figures.

``python -m bench perf`` starts one nats-server and two gateway replicas (``bench.cluster``),
runs each row (median of 5 where a run is short) and prints one JSON object; ``storm`` starts
its own pair of replicas because it kills one. The load generator shares the 2 cores.

Rows:
- ``paced_p99_one_replica`` / ``paced_p99_two_replicas``: 100 B at 200 Hz for 10 s, p99 of
  send-to-receipt latency (``bench.relay_bench.paced_latency``); and the control
  ``control_nats_round_trip``: the same through nats-server to an echoing nats-py process and
  back, without any gateway (what NATS itself costs on this machine).
- ``fanout_1_to_50``: one writer, 50 readers on one replica, 30 messages/s of 34,167 B
  (8.2 Mbit/s, the shape of an MPEG-TS video stream), p99 over all deliveries, drops.
- ``sessions_per_s``: access POST + websocket open (until the 101) + close, 16 clients at once.
- ``idle_rss_per_connection``: RSS growth of a replica per idle open websocket, 2,000 opened
  (one topic per two connections, as a host and a user); ``--connections N`` opens N.
- ``reconnect_storm``: 2,000 clients on replica A, A killed (SIGKILL), every client reconnects to
  B at once (access POST + websocket); time until all are back.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bench.cluster import Replica, cluster, settle, token
from bench.fastws import LeanClient, lean_connect
from bench.leanhttp import AccessClient
from bench.relay_bench import paced_latency, percentile

GO = {  # practable's Go relay on this machine type (issue 12)
    "paced_p99_one_replica_ms": 0.31,
    "fanout_1_to_50_p99_ms": 4.5,
    "sessions_per_s": 860,
    "idle_rss_per_connection_KiB": 39,
}
FLOOR = {
    "paced_p99_one_replica_ms": 0.35,
    "paced_p99_two_replicas_ms": 0.6,
    "fanout_1_to_50_p99_ms": 4.0,
    "sessions_per_s": 900,
    "idle_rss_per_connection_KiB": 35,
}


def rss(pid: int) -> int:
    """VmRSS of ``pid`` in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far (a figure other processes' load does not move)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def access_of(replica: Replica) -> AccessClient:
    return AccessClient("127.0.0.1", replica.port)


async def median_of(runs: int, one: Callable[[], Awaitable[dict[str, Any]]], key: str) -> dict[str, Any]:
    """Run ``one`` ``runs`` times; the run whose ``key`` is the median, plus every run's ``key``."""
    results = [await one() for _ in range(runs)]
    ordered = sorted(results, key=lambda r: float(r[key]))
    middle = dict(ordered[len(ordered) // 2])
    middle["runs"] = [r[key] for r in results]
    return middle


async def open_many(
    replica: Replica, count: int, *, topics: int, concurrency: int = 16, scopes: tuple[str, ...] = ("read",)
) -> list[LeanClient]:
    """Open ``count`` idle websockets on ``replica`` over ``topics`` fresh topics."""
    prefix = f"idle-{time.monotonic_ns()}"
    tokens = [token(f"{prefix}-{i}", scopes) for i in range(topics)]
    return await open_many_tokens(replica, prefix, tokens, count, concurrency=concurrency)


async def close_all(clients: list[LeanClient]) -> None:
    for c in clients:
        c.close()
    if clients:
        await asyncio.wait([c.closed for c in clients], timeout=10)


async def sessions_per_s(replica: Replica, *, seconds: float = 5.0, concurrency: int = 16) -> dict[str, Any]:
    """Sessions opened per second: access POST, websocket open (101 received), close."""
    topic = f"rate-{time.monotonic_ns()}"
    tok = token(topic, ("read", "write"))
    opened = 0
    failed = 0
    stop_at = time.perf_counter() + seconds
    started = time.perf_counter()
    cpu_before = cpu_seconds(replica.proc.pid)

    async def worker() -> None:
        nonlocal opened, failed
        http = access_of(replica)
        try:
            while time.perf_counter() < stop_at:
                try:
                    client = await lean_connect(await http.session_uri(topic, tok))
                except (OSError, RuntimeError, TimeoutError):
                    failed += 1
                    continue
                opened += 1
                client.close()
        finally:
            http.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    await asyncio.sleep(0.5)  # let the replica finish the closes before the next run
    cpu = cpu_seconds(replica.proc.pid) - cpu_before
    return {
        "sessions": opened,
        "failed": failed,
        "seconds": round(elapsed, 2),
        "per_s": round(opened / elapsed),
        # the gateway's own CPU per session (open and close): what other load does not skew
        "gateway_cpu_ms_per_session": round(cpu * 1000 / max(1, opened), 3),
    }


async def session_cpu(replica: Replica, *, runs: int = 5) -> dict[str, Any]:
    """The least gateway CPU per session over ``runs`` short runs: contention from other
    processes only ever adds to it, so the least is the closest to the uncontended cost."""
    results = [await sessions_per_s(replica, seconds=1.5) for _ in range(runs)]
    return {"gateway_cpu_ms_per_session_min": min(r["gateway_cpu_ms_per_session"] for r in results)}


async def idle_rss(replica: Replica, *, count: int = 2000) -> dict[str, Any]:
    """RSS growth of ``replica`` per idle open websocket."""
    warm = await open_many(replica, 200, topics=100)
    await asyncio.sleep(1.0)  # the replica's allocations settle (no event to wait on)
    before = rss(replica.proc.pid)
    clients = await open_many(replica, count, topics=max(1, count // 2))
    await asyncio.sleep(2.0)
    after = rss(replica.proc.pid)
    # All still open: a message on one topic reaches its readers.
    alive = sum(1 for c in clients if not c.closed.done())
    await close_all(clients + warm)
    return {
        "connections": count,
        "open_at_end": alive,
        "rss_before_MiB": round(before / 2**20, 1),
        "rss_after_MiB": round(after / 2**20, 1),
        "per_connection_KiB": round((after - before) / count / 1024, 1),
    }


async def fanout(
    replica: Replica, *, readers: int = 50, rate: float = 30.0, size: int = 34_167, seconds: float = 10.0
) -> dict[str, Any]:
    """One writer, ``readers`` readers on one replica; p99 of send-to-receipt over all deliveries."""
    topic = f"fan-{time.monotonic_ns()}"
    count = int(rate * seconds)
    latencies: list[float] = []
    expected = count * readers
    done = asyncio.get_running_loop().create_future()

    def on_frame(_opcode: int, data: bytes) -> None:
        latencies.append((time.perf_counter_ns() - int.from_bytes(data[:8], "big")) / 1e6)
        if len(latencies) == expected and not done.done():
            done.set_result(None)

    http = access_of(replica)
    tok_r, tok_w = token(topic, ("read",)), token(topic, ("write",))
    clients = [await lean_connect(await http.session_uri(topic, tok_r), on_frame) for _ in range(readers)]
    writer = await lean_connect(await http.session_uri(topic, tok_w))
    http.close()
    await settle()
    period = 1.0 / rate
    filler = os.urandom(size - 8)
    start = time.perf_counter()
    for i in range(count):
        delay = start + i * period - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        await writer.send_one(time.perf_counter_ns().to_bytes(8, "big") + filler)
    try:
        await asyncio.wait_for(done, 10)
    except TimeoutError:
        pass
    writer.close()
    await close_all(clients)
    return {
        "readers": readers,
        "message_bytes": size,
        "Mbit_per_s_in": round(rate * size * 8 / 1e6, 2),
        "deliveries": len(latencies),
        "dropped": expected - len(latencies),
        "p50_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(percentile(latencies, 0.99), 3),
        "max_ms": round(max(latencies), 3),
    }


async def storm(*, clients: int = 2000) -> dict[str, Any]:
    """``clients`` on replica A; A SIGKILLed; all reconnect to B at once; time until all are back."""
    with cluster(2) as (a, b):
        topic_count = clients // 2
        prefix = f"storm-{time.monotonic_ns()}"
        tokens = [token(f"{prefix}-{t}", ("read", "write")) for t in range(topic_count)]
        on_a = await open_many_tokens(a, prefix, tokens, clients)
        killed = time.perf_counter()
        a.proc.send_signal(signal.SIGKILL)
        await asyncio.wait([c.closed for c in on_a], timeout=30)
        lost = time.perf_counter()
        back: list[float] = []
        failures = 0
        sem = asyncio.Semaphore(clients)  # every client at once, as real clients do

        async def reconnect(i: int) -> LeanClient | None:
            nonlocal failures
            t = i % topic_count
            http = access_of(b)
            try:
                async with sem:
                    for _attempt in range(20):
                        try:
                            client = await lean_connect(await http.session_uri(f"{prefix}-{t}", tokens[t]))
                        except (OSError, RuntimeError, TimeoutError):
                            failures += 1
                            await asyncio.sleep(0.1)
                            continue
                        back.append(time.perf_counter())
                        return client
            finally:
                http.close()
            return None

        results = await asyncio.gather(*(reconnect(i) for i in range(clients)))
        reconnected = [c for c in results if c is not None]
        out = {
            "clients": clients,
            "reconnected": len(reconnected),
            "failed_attempts": failures,
            "all_lost_after_kill_s": round(lost - killed, 3),
            "all_back_after_kill_s": round(max(back) - killed, 3) if back else None,
            "p50_back_s": round(statistics.median(back) - killed, 3) if back else None,
        }
        await close_all(reconnected)
        return out


async def open_many_tokens(
    replica: Replica, prefix: str, tokens: list[str], count: int, *, concurrency: int = 16
) -> list[LeanClient]:
    """Open ``count`` websockets on ``replica``, the i-th on topic ``prefix-(i % len(tokens))``."""
    clients: list[LeanClient] = []
    queue = iter(range(count))

    async def worker() -> None:
        http = access_of(replica)
        try:
            for i in queue:
                t = i % len(tokens)
                clients.append(await lean_connect(await http.session_uri(f"{prefix}-{t}", tokens[t])))
        finally:
            http.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return clients


ECHO = r"""
import asyncio, sys
import nats
async def main():
    nc = await nats.connect(sys.argv[1])
    async def echo(msg):
        await nc.publish("bench.back", msg.data)
    await nc.subscribe("bench.there", cb=echo)
    await nc._flush_pending(force_flush=True)  # flush()'s PING alone can overtake the SUB
    await nc.flush()
    print("ready", flush=True)
    await asyncio.sleep(3600)
try:
    import uvloop
    uvloop.run(main())
except ImportError:
    asyncio.run(main())
"""


async def nats_round_trip(nats_url: str, *, rate: float = 200.0, seconds: float = 10.0) -> dict[str, Any]:
    """The control: 100 B through nats-server to an echoing nats-py process and back, paced as
    the paced rows. Four process hops (us, nats-server, echo, nats-server) like the two-replica
    path's (writer, gateway A, nats-server, gateway B, reader): what NATS itself costs here."""
    import nats  # the gateway extra; only this row needs it in the load generator

    echo = await asyncio.create_subprocess_exec(
        sys.executable, "-c", ECHO, nats_url, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert echo.stdout is not None
        await asyncio.wait_for(echo.stdout.readline(), 20)
        nc = await nats.connect(nats_url)
        latencies: list[float] = []

        async def back(msg: Any) -> None:
            latencies.append((time.perf_counter_ns() - int.from_bytes(msg.data[:8], "big")) / 1e6)

        await nc.subscribe("bench.back", cb=back)
        await nc._flush_pending(force_flush=True)  # flush()'s PING alone can overtake the SUB
        await nc.flush()
        count = int(rate * seconds)
        start = time.perf_counter()
        for i in range(count):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await nc.publish("bench.there", time.perf_counter_ns().to_bytes(8, "big") + bytes(92))
        await nc.flush()
        await asyncio.sleep(0.5)
        await nc.close()
    finally:
        echo.kill()
        await echo.wait()
    return {
        "messages": count,
        "received": len(latencies),
        "p50_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(percentile(latencies, 0.99), 3),
        "max_ms": round(max(latencies), 3),
    }


ROWS = ("paced", "fanout", "sessions", "rss", "storm", "ssh")


async def run(
    replicas: list[Replica],
    *,
    quick: bool = False,
    only: list[str] | None = None,
    connections: int = 2000,
) -> dict[str, Any]:
    a, b = replicas[0], replicas[-1]
    nats_url = a.nats_url
    runs = 3 if quick else 5
    seconds = 3.0 if quick else 10.0
    want = set(only or ROWS)
    out: dict[str, Any] = {"go_relay_here": GO, "floor": FLOOR}
    if "paced" in want:
        for label, (w, r) in {"one_replica": (a, a), "two_replicas": (a, b)}.items():
            out[f"paced_100B_200Hz_{label}"] = await median_of(
                runs, lambda w=w, r=r: paced_latency(w, r, rate=200, seconds=seconds), "p99_ms"
            )
        if nats_url:
            out["control_nats_round_trip_100B_200Hz"] = await median_of(
                runs, lambda: nats_round_trip(nats_url, seconds=seconds), "p99_ms"
            )
    if "fanout" in want:
        out["fanout_1_to_50"] = await median_of(runs, lambda: fanout(a, seconds=seconds), "p99_ms")
    if "sessions" in want:
        out["sessions_per_s"] = await median_of(
            runs, lambda: sessions_per_s(a, seconds=2.0 if quick else 5.0), "per_s"
        )
    if "sessions" in want:
        out["session_cpu"] = await session_cpu(a, runs=runs)
    if "rss" in want:
        out["idle_rss_per_connection"] = await idle_rss(a, count=connections)
    if "storm" in want:
        out["reconnect_storm"] = await storm(clients=500 if quick else 2000)
    return out
