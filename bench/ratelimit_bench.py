"""``python -m bench ratelimit``: another address's access latency while one address floods.

A gateway process (embedded NATS, default rate limits) is measured from 127.0.0.1: valid access
requests paced at 15/s (under the default 20/s), latency from send to response. Then a flooder
process binds 127.0.0.2 and sends 2,000 bad-token access requests per second over 32 keep-alive
connections while the same measurement runs again (three rounds, medians reported). The same is
repeated once against a gateway with the limiter off, for comparison. Goal: flood p50 and p95
within 2x of idle.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from bench.cluster import Replica, free_port, gateway_env, token, wait_ready

FLOOD_RATE = 2000  # requests per second from the flooding address
FLOOD_CONNECTIONS = 32
MEASURE_RATE = 15.0  # requests per second from the measured address (default limit: 20/s)


@contextmanager
def gateway(**env: str) -> Iterator[Replica]:
    port = free_port()
    base = {k: v for k, v in os.environ.items() if not k.startswith("RELAY_")}
    environ = gateway_env(port, base)
    for name in ("RELAY_RATE_ACCESS", "RELAY_RATE_ADMIN"):
        environ.pop(name)  # the defaults, unless given below
    environ.update(env)
    proc = subprocess.Popen([sys.executable, "-m", "gateway", "serve"], env=environ)
    replica = Replica(port, proc)
    try:
        wait_ready(replica)
        yield replica
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


async def measure(replica: Replica, seconds: float) -> dict[str, Any]:
    """Paced valid access requests from 127.0.0.1; every one must be granted."""
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.1")
    samples: list[float] = []
    statuses: dict[int, int] = {}
    url = replica.session_url("bench-latency")
    tok = token("bench-latency")
    async with httpx.AsyncClient(transport=transport) as http:
        await http.post(url, headers={"Authorization": tok})  # connection set up outside the figures
        start = time.perf_counter()
        n = 0
        while (elapsed := time.perf_counter() - start) < seconds:
            await asyncio.sleep(max(0.0, n / MEASURE_RATE - elapsed))
            sent = time.perf_counter()
            response = await http.post(url, headers={"Authorization": tok})
            samples.append(time.perf_counter() - sent)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            n += 1
    return {**_summary(samples), "statuses": statuses}


def start_flood(port: int, seconds: float) -> subprocess.Popen[str]:
    args = [sys.executable, "-m", "bench.ratelimit_bench", "flood", str(port), str(seconds)]
    return subprocess.Popen(args, stdout=subprocess.PIPE, text=True)


async def _flood_connection(port: int, rate: float, until: float, counts: dict[str, int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=("127.0.0.2", 0))
    request = (
        f"POST /session/lab HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: not-a-token\r\n"
        "Content-Length: 0\r\n\r\n"
    ).encode()
    start = time.perf_counter()
    n = 0
    try:
        while (now := time.perf_counter()) < until:
            await asyncio.sleep(max(0.0, start + n / rate - now))
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            await reader.readexactly(length)
            status = head[9:12].decode()
            counts[status] = counts.get(status, 0) + 1
            n += 1
    finally:
        writer.close()


async def flood(port: int, seconds: float) -> dict[str, Any]:
    counts: dict[str, int] = {}
    until = time.perf_counter() + seconds
    started = time.perf_counter()
    per_connection = FLOOD_RATE / FLOOD_CONNECTIONS
    await asyncio.gather(
        *(_flood_connection(port, per_connection, until, counts) for _ in range(FLOOD_CONNECTIONS))
    )
    total = sum(counts.values())
    return {
        "requests": total,
        "per_second": round(total / (time.perf_counter() - started)),
        "statuses": counts,
    }


async def _flooded(replica: Replica, seconds: float) -> dict[str, Any]:
    proc = start_flood(replica.port, seconds + 2.0)
    await asyncio.sleep(1.0)  # the flood is under way (its connections are open) before measuring
    latency = await measure(replica, seconds)
    out, _ = await asyncio.to_thread(proc.communicate)
    return {"latency": latency, "flood": json.loads(out)}


def _ratios(idle: dict[str, Any], flooded: dict[str, Any]) -> dict[str, float]:
    return {
        "p50_ratio": round(flooded["p50_ms"] / idle["p50_ms"], 2),
        "p95_ratio": round(flooded["p95_ms"] / idle["p95_ms"], 2),
    }


async def run(*, quick: bool = False) -> dict[str, Any]:
    """Alternate idle and flooded phases (3 rounds, 1 with --quick and for the limiter off) and
    report each round and the median ratios: one round's p95 moves with the machine's other load."""
    seconds = 4.0 if quick else 8.0
    result: dict[str, Any] = {
        "flood_rate_target": FLOOD_RATE,
        "measured_rate": MEASURE_RATE,
        "seconds_per_phase": seconds,
    }
    for name, env, rounds in (
        ("limited", {}, 1 if quick else 3),
        ("limiter_off", {"RELAY_RATE_ACCESS": "0"}, 1),
    ):
        done: list[dict[str, Any]] = []
        with gateway(**env) as replica:
            for _ in range(rounds):
                idle = await measure(replica, seconds)
                flooded = await _flooded(replica, seconds)
                latency = flooded["latency"]
                done.append(
                    {"idle": idle, "flooded": latency, "flood": flooded["flood"], **_ratios(idle, latency)}
                )
        result[name] = {
            "rounds": done,
            "p50_ratio": statistics.median(r["p50_ratio"] for r in done),
            "p95_ratio": statistics.median(r["p95_ratio"] for r in done),
        }
    result["within_2x"] = result["limited"]["p50_ratio"] <= 2.0 and result["limited"]["p95_ratio"] <= 2.0
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.ratelimit_bench")
    parser.add_argument("mode", choices=["flood"])
    parser.add_argument("port", type=int)
    parser.add_argument("seconds", type=float)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(flood(args.port, args.seconds))))


if __name__ == "__main__":
    main()
