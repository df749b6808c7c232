"""Latency and throughput of the relay, through one replica and across two.

Prints one JSON object. Floors from issue 2 (2-core machine, load generator included):
paced p99 < 2 ms; >= 20,000 msg/s of 100 B; >= 150 MB/s of 64 KiB.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from bench.cluster import Replica, settle, token
from bench.fastws import lean_connect, masked_frame


async def access_uri(replica: Replica, topic: str, scopes: tuple[str, ...]) -> str:
    async with httpx.AsyncClient() as http:
        reply = await http.post(replica.session_url(topic), headers={"Authorization": token(topic, scopes)})
    reply.raise_for_status()
    return str(reply.json()["uri"])


async def open_ws(replica: Replica, topic: str, scopes: tuple[str, ...]) -> ClientConnection:
    uri = await access_uri(replica, topic, scopes)
    return await connect(uri, max_size=None, compression=None, max_queue=None)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def paced_latency(
    writer_at: Replica, reader_at: Replica, *, rate: float, seconds: float
) -> dict[str, Any]:
    """100-byte messages at ``rate`` Hz carrying their send time; latency measured on arrival
    (in the protocol callback, so no task hop of the load generator is counted)."""
    topic = f"lat-{time.monotonic_ns()}"
    reader_uri = await access_uri(reader_at, topic, ("read",))
    return await paced_between(
        reader_uri, lambda: access_uri(writer_at, topic, ("write",)), rate=rate, seconds=seconds
    )


async def paced_between(
    reader_uri: str, writer_uri: Callable[[], Awaitable[str]], *, rate: float, seconds: float
) -> dict[str, Any]:
    """``paced_latency`` between two websocket URIs (the writer's asked for once the reader is
    connected: an access code is short-lived)."""
    count = int(rate * seconds)
    latencies: list[float] = []
    done = asyncio.get_running_loop().create_future()

    def on_frame(_opcode: int, data: bytes) -> None:
        latencies.append((time.perf_counter_ns() - int.from_bytes(data[:8], "big")) / 1e6)
        if len(latencies) == count and not done.done():
            done.set_result(None)

    reader = await lean_connect(reader_uri, on_frame)
    writer = await lean_connect(await writer_uri())
    await settle()
    period = 1.0 / rate
    start = time.perf_counter()
    for i in range(count):
        delay = start + i * period - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        await writer.send_one(time.perf_counter_ns().to_bytes(8, "big") + bytes(92))
    try:
        await asyncio.wait_for(done, 10)
    except TimeoutError:
        pass
    writer.close()
    reader.close()
    return {
        "messages": count,
        "received": len(latencies),
        "p50_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(percentile(latencies, 0.99), 3),
        "max_ms": round(max(latencies), 3),
    }


async def throughput(
    writer_at: Replica, reader_at: Replica, *, count: int, size: int, window: int | None = None
) -> dict[str, Any]:
    """Send ``count`` messages of ``size`` bytes as fast as the relay takes them; time the last arrival."""
    topic = f"tp-{time.monotonic_ns()}"
    received = 0
    last = 0.0
    done = asyncio.get_running_loop().create_future()
    frame = masked_frame(bytes(size))

    def on_frame(_opcode: int, _data: bytes) -> None:
        nonlocal received, last
        received += 1
        last = time.perf_counter()
        if received == count and not done.done():
            done.set_result(None)

    reader = await lean_connect(await access_uri(reader_at, topic, ("read",)), on_frame)
    writer = await lean_connect(await access_uri(writer_at, topic, ("write",)))
    await settle()
    progress = asyncio.Event()
    reader.on_frame = lambda opcode, data: (on_frame(opcode, data), progress.set())  # type: ignore[func-returns-value]
    start = time.perf_counter()
    sent = 0
    while sent < count:
        # Open loop by default: as fast as TCP lets the writer send; any drop is reported.
        # With a window, at most that many messages are in flight (closed loop).
        while window is not None and sent - received >= window:
            progress.clear()
            try:
                await asyncio.wait_for(progress.wait(), 5)
            except TimeoutError:
                break
        room = count if window is None else window - (sent - received)
        batch = max(1, min(16, count - sent, room))
        await writer.send_frames(frame, batch)
        sent += batch
    try:
        await asyncio.wait_for(done, 10)
    except TimeoutError:
        pass
    elapsed = (last or time.perf_counter()) - start
    writer.close()
    reader.close()
    return {
        "messages": count,
        "size": size,
        "received": received,
        "dropped": count - received,
        "seconds": round(elapsed, 3),
        "msg_per_s": round(received / elapsed),
        "MB_per_s": round(received * size / elapsed / 1e6, 1),
    }


async def run(replicas: list[Replica], *, quick: bool = False) -> dict[str, Any]:
    a, b = replicas[0], replicas[-1]
    results: dict[str, Any] = {}
    seconds = 3.0 if quick else 10.0
    for label, (w, r) in {"one_replica": (a, a), "two_replicas": (a, b)}.items():
        results[label] = {
            "paced_100B_200Hz": await paced_latency(w, r, rate=200, seconds=seconds),
            "throughput_100B": await throughput(w, r, count=10_000 if quick else 50_000, size=100),
            "throughput_64KiB": await throughput(w, r, count=500 if quick else 2_000, size=64 * 1024),
        }
    return results
