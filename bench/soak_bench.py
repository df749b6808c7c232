"""Soak: a steady mixed load against one fresh gateway process; does its RSS keep growing?

Load: 4 topics, each with one writer paced at 200 Hz of 1 KiB and 3 healthy readers; plus churn,
4 connections per second opened through the access API and closed again (alternately readers and
writers, on the same topics). The gateway's (and its embedded nats-server's) VmRSS is sampled
every 5 s. ``growth_pct`` compares the last sample with the baseline: the sample at the end of
the first minute (at half the run for runs of two minutes or less).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.fastws import CLOSE, lean_connect, masked_frame
from bench.overload_bench import (
    MIB,
    CountingReader,
    access,
    counting_reader,
    proc_status,
    read_metrics,
    start_gateway,
    stop_gateway,
    wait_ready,
)

TOPICS = 4
READERS_PER_TOPIC = 3
RATE = 200.0  # Hz per writer
SIZE = 1024  # bytes
CHURN_PER_S = 4.0
SAMPLE_EVERY = 5.0  # seconds


async def paced_writer(uri: str, until: float, counter: list[int], mine: list[int]) -> None:
    writer = await lean_connect(uri)
    payload = bytes(SIZE)
    period = 1.0 / RATE
    start = time.monotonic()
    i = 0
    try:
        while time.monotonic() < until and not writer.closed.done():
            delay = start + i * period - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            await writer.send_one(payload)
            counter[0] += 1
            mine[0] += 1
            i += 1
    finally:
        if not writer.closed.done():  # a close frame, so the last message is not lost to an abrupt end
            await writer.send_frames(masked_frame((1000).to_bytes(2, "big"), CLOSE), 1)
            try:
                await asyncio.wait_for(asyncio.shield(writer.closed), 2)
            except TimeoutError:
                pass
        writer.close()


async def churn(http: httpx.AsyncClient, base: str, topics: list[str], until: float) -> dict[str, int]:
    opened = failed = 0
    period = 1.0 / CHURN_PER_S
    start = time.monotonic()
    i = 0
    while time.monotonic() < until:
        delay = start + i * period - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        topic = topics[i % len(topics)]
        scopes = ("read",) if i % 2 == 0 else ("write",)
        try:
            client = await lean_connect(await access(http, base, topic, scopes))
            await asyncio.sleep(0.1)  # hold it open briefly, as a browser tab that comes and goes
            client.close()
            opened += 1
        except (OSError, httpx.HTTPError, TimeoutError):
            failed += 1
        i += 1
    return {"opened_and_closed": opened, "failed": failed}


async def run(*, minutes: float = 10.0) -> dict[str, Any]:
    seconds = minutes * 60
    with tempfile.TemporaryDirectory(prefix="relay-soak-") as tmp:
        gw = start_gateway("gateway", Path(tmp))
        readers: list[tuple[str, CountingReader]] = []
        try:
            await wait_ready(gw)
            topics = [f"soak-{i}-{time.monotonic_ns()}" for i in range(TOPICS)]
            samples: list[tuple[float, int, int]] = []  # (t, gateway rss, nats rss)
            async with httpx.AsyncClient(timeout=30) as http:
                for topic in topics:
                    for _ in range(READERS_PER_TOPIC):
                        reader = await counting_reader(await access(http, gw.base, topic, ("read",)))
                        readers.append((topic, reader))
                start = time.monotonic()
                until = start + seconds
                sent = [0]
                by_topic = {t: [0] for t in topics}
                writers = [
                    asyncio.create_task(
                        paced_writer(await access(http, gw.base, t, ("write",)), until, sent, by_topic[t])
                    )
                    for t in topics
                ]
                churner = asyncio.create_task(churn(http, gw.base, topics, until))
                tick = 0
                while True:
                    now = time.monotonic()
                    rss = proc_status(gw.proc.pid, "VmRSS") or 0
                    nats = (proc_status(gw.nats_pid, "VmRSS") or 0) if gw.nats_pid else 0
                    samples.append((now - start, rss, nats))
                    if now >= until - 0.01 or not gw.alive():
                        break
                    tick += 1
                    await asyncio.sleep(max(0.0, min(start + tick * SAMPLE_EVERY, until) - time.monotonic()))
                await asyncio.gather(*writers, return_exceptions=True)
                churned = await churner
            await asyncio.sleep(0.5)  # the last paced messages are in flight
            metrics = await read_metrics(gw)
            peak = proc_status(gw.proc.pid, "VmHWM") or max(s[1] for s in samples)
        finally:
            for _, reader in readers:
                reader.close()
            stop_gateway(gw)
    baseline_at = 60.0 if seconds > 120 else seconds / 2
    baseline = next((s for s in samples if s[0] >= baseline_at - 0.5), samples[-1])
    end = samples[-1]
    received = sum(len(r.arrivals) for _, r in readers)
    expected = sent[0] * READERS_PER_TOPIC
    short = [by_topic[t][0] - len(r.arrivals) for t, r in readers]
    return {
        "minutes": minutes,
        "load": {
            "topics": TOPICS,
            "writers_hz": RATE,
            "message_bytes": SIZE,
            "readers": TOPICS * READERS_PER_TOPIC,
            "churn_per_s": CHURN_PER_S,
        },
        "messages_sent": sent[0],
        "reader_messages_received": received,
        "reader_messages_expected": expected,
        "reader_shortfall": {"readers_short": sum(1 for n in short if n), "largest": max(short)},
        "readers_lost_connection": sum(1 for _, r in readers if r.closed.done()),
        "churn": churned,
        "rss_mib": {
            "start": round(samples[0][1] / MIB, 1),
            "baseline": round(baseline[1] / MIB, 1),
            "baseline_at_s": round(baseline[0], 1),
            "end": round(end[1] / MIB, 1),
            "peak": round(peak / MIB, 1),
            "growth_pct": round((end[1] - baseline[1]) / baseline[1] * 100, 2),
            "nats_end": round(end[2] / MIB, 1),
        },
        "samples_mib": [[round(t), round(r / MIB, 1)] for t, r, _ in samples],
        "metrics_at_end": metrics,
    }
