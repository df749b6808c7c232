"""The canary monitor: a sender and a receiver on one topic, latency per canary, a command on trouble.

Connections come from ``Link`` (the shared access flow); the arithmetic is in ``canary``. The command
runs without a shell and is never awaited by the watch loop. There is no default command.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TextIO

from fileclient.canary import LatencyWindow, Tripwire, decode_ns, encode_ns
from fileclient.link import Link
from relayclient.backoff import Backoff
from relayclient.tokens import TokenSource
from tokentool.claims import Claims, encode

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class MintedTokens(TokenSource):
    """A fresh canary token (read+write, booking ``relay-monitor``) at every connection attempt."""

    secret: str = field(default="", repr=False)
    audience: str = ""
    topic: str = ""
    lifetime: float = 86400.0  # seconds
    wall: Callable[[], float] = time.time

    def read(self, environ: Mapping[str, str] | None = None) -> str:
        now = int(self.wall())
        claims = Claims(
            topic=self.topic,
            prefix="session",
            scopes=("read", "write"),
            audience=(self.audience,),
            booking_id="relay-monitor",
            issued_at=now,
            not_before=now - 1,
            expires_at=now + int(self.lifetime),
        )
        return encode(claims, self.secret)

    def describe(self) -> str:
        return f"minted:{self.topic}"


class CommandRunner:
    """Starts the trigger command in the background and logs how it ended."""

    def __init__(self, argv: tuple[str, ...]) -> None:
        self.argv = argv
        self.started = 0
        self._tasks: set[asyncio.Task[None]] = set()  # keeps running commands referenced

    def fire(self) -> None:
        if not self.argv:
            log.error("monitor triggered; no command configured (set --command or RELAY_MONITOR_COMMAND)")
            return
        self.started += 1
        task = asyncio.create_task(self._run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self) -> None:
        try:
            process = await asyncio.create_subprocess_exec(*self.argv)
        except OSError as exc:
            log.error("monitor command %r could not start: %s", self.argv[0], exc)
            return
        code = await process.wait()
        log.warning("monitor command %r exited with %d", self.argv[0], code)


def _ignore(at_ns: int, data: str | bytes) -> None:
    """The sender's receive callback: the sender hears only other monitors' canaries."""


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f}ms"


class Monitor:
    """Runs the canary against one access URL until cancelled."""

    def __init__(
        self,
        *,
        access_url: str,
        tokens: TokenSource,
        tripwire: Tripwire,
        runner: CommandRunner,
        interval: float,
        silence: float,
        reconnect_every: float = 86400.0,
        status: TextIO | None = None,
        wall: Callable[[], int] = time.time_ns,
    ) -> None:
        self.window = LatencyWindow()
        self.tripwire = tripwire
        self.received = 0  # canaries seen, all iterations
        self._access_url = access_url
        self._tokens = tokens
        self._runner = runner
        self._interval = interval
        self._silence = silence
        self._reconnect_every = reconnect_every
        self._status = status
        self._wall = wall
        self._arrivals: asyncio.Queue[float] = asyncio.Queue()  # latencies, filled by the rx callback
        self._rx: Link | None = None
        self._tx: Link | None = None

    async def run(self) -> None:
        """Run iterations of ``reconnect_every`` seconds (fresh token and connections) forever."""
        while True:
            try:
                async with asyncio.timeout(self._reconnect_every):
                    await self._iteration()
            except TimeoutError:
                log.info("monitor: reconnecting with a fresh token")

    async def _iteration(self) -> None:
        # Retry at the canary pace (at most 1 s) so a restarted relay is seen again quickly.
        low = min(1.0, self._interval)
        url, tok = self._access_url, self._tokens
        self._rx = Link(access_url=url, tokens=tok, on_message=self._received, backoff=Backoff(minimum=low))
        self._tx = Link(access_url=url, tokens=tok, on_message=_ignore, backoff=Backoff(minimum=low))
        async with asyncio.TaskGroup() as tg:
            tg.create_task(self._rx.run())
            tg.create_task(self._tx.run())
            tg.create_task(self._send_canaries(self._tx))
            tg.create_task(self._watch())

    def _received(self, at_ns: int, data: str | bytes) -> None:
        sent = decode_ns(data)
        if sent is not None:
            self._arrivals.put_nowait((at_ns - sent) / 1e9)

    async def _send_canaries(self, tx: Link) -> None:
        loop = asyncio.get_running_loop()
        due = loop.time()
        while True:
            due += self._interval
            await asyncio.sleep(max(0.0, due - loop.time()))
            if tx.connected.is_set():  # never queue canaries while down: they would arrive stale
                await tx.send(encode_ns(self._wall()))

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                async with asyncio.timeout(self._silence):
                    latency = await self._arrivals.get()
            except TimeoutError:
                log.warning("monitor: no canary for %.3fs (miss %d)", self._silence, self.tripwire.misses + 1)
                fire = self.tripwire.silence(loop.time())
            else:
                self.received += 1
                self.window.add(latency)
                if latency > self.tripwire.threshold:
                    log.warning("monitor: canary latency %s over threshold", _ms(latency))
                fire = self.tripwire.canary(latency, loop.time())
            if fire:
                log.error("monitor: %d misses in a row; running the command", self.tripwire.trigger_after)
                self._runner.fire()
            self._show()

    def status_line(self) -> str:
        """p50/p99 of the recent canaries, last latency, misses and link states."""
        w = self.window
        rx = self._rx.state.state if self._rx else "-"
        tx = self._tx.state.state if self._tx else "-"
        return (
            f"canary p50 {_ms(w.percentile(50))} p99 {_ms(w.percentile(99))} last {_ms(w.last)} "
            f"n={self.received} misses {self.tripwire.misses}/{self.tripwire.trigger_after} "
            f"triggers {self.tripwire.triggers} rx {rx} tx {tx}"
        )

    def _show(self) -> None:
        if self._status is not None:
            self._status.write("\r\x1b[K" + self.status_line())
            self._status.flush()
