"""Revocation latency: deny a booking on replica A while 200 of its connections are spread over
A and B; time from the 204 to each connection's close frame. Floor (issue 3): p99 < 100 ms."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from bench.cluster import Replica, token
from bench.fastws import lean_connect
from bench.relay_bench import percentile


async def run(replicas: list[Replica], *, connections: int = 200) -> dict[str, Any]:
    a, b = replicas[0], replicas[-1]
    booking = f"rev-{time.monotonic_ns()}"
    clients = []
    for i in range(connections):
        replica = a if i % 2 == 0 else b
        uri = await access_uri_for(replica, booking)
        clients.append(await lean_connect(uri))
    await asyncio.sleep(0.2)  # let the last joins settle
    admin = token("admin", ("relay:admin",))
    async with httpx.AsyncClient() as http:
        reply = await http.post(
            f"{a.base}/bids/deny?bid={booking}&exp={int(time.time()) + 600}", headers={"Authorization": admin}
        )
        answered = time.perf_counter()
    assert reply.status_code == 204, reply.text
    done, pending = await asyncio.wait([c.close_frame for c in clients], timeout=10)
    latencies = [(f.result()[0] - answered) * 1000 for f in done]
    codes = {f.result()[1] for f in done}
    for client in clients:
        client.close()
    return {
        "connections": connections,
        "closed": len(done),
        "close_codes": sorted(codes),
        "min_ms": round(min(latencies), 2),
        "p50_ms": round(percentile(latencies, 0.5), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "max_ms": round(max(latencies), 2),
        "not_closed": len(pending),
    }


async def access_uri_for(replica: Replica, booking: str) -> str:
    async with httpx.AsyncClient() as http:
        reply = await http.post(
            replica.session_url("rev"), headers={"Authorization": token("rev", ("read", "write"), booking)}
        )
    reply.raise_for_status()
    return str(reply.json()["uri"])
