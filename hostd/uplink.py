"""One destination rule's connection to the gateway, kept up forever.

With a token (or token file) it uses the access flow of ``relayclient.connect.reconnecting``;
without, it dials the ``ws://`` URL directly (legacy, as the original). While connected, the
rule's local topic flows out and everything received flows back into the router.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from pathlib import Path
from typing import BinaryIO

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from hostd.router import Message, Router, Subscription
from hostd.rules import Destination
from relayclient.backoff import Backoff
from relayclient.connect import LinkState, TerminalClose, reconnecting, reconnecting_direct
from relayclient.tokens import TokenSource

log = logging.getLogger(__name__)

BackoffFactory = Callable[[], Backoff]

CLOSE_GRACE = 2.0  # seconds a stopping link waits for the close handshake


class Recorder:
    """Appends every payload sent to a file; stops at the first error (as the original)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.error = ""
        self._file: BinaryIO | None = None
        try:
            self._file = path.open("wb")  # truncated at rule start
        except OSError as exc:
            self._fail(exc)

    def _fail(self, exc: OSError) -> None:
        self.error = f"{type(exc).__name__}: {exc}"
        self._file = None
        log.warning("recording to %s stopped: %s", self.path, self.error)

    def write(self, message: Message) -> None:
        if self._file is None:
            return
        try:
            self._file.write(message.encode() if isinstance(message, str) else message)
            self._file.flush()
        except OSError as exc:
            self._file.close()
            self._fail(exc)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


async def close_quickly(ws: ClientConnection, grace: float = CLOSE_GRACE) -> None:
    """Close politely if the peer lets us within ``grace`` seconds, else drop the TCP connection.

    A peer that stopped reading would otherwise hold a rule change or shutdown hostage: the
    close frame waits behind full socket buffers and websockets does not bound that wait.
    """
    try:
        async with asyncio.timeout(grace):
            await ws.close()
    except TimeoutError:
        ws.transport.abort()


def token_source(rule: Destination, *, base: Path | None = None) -> TokenSource:
    """A token file wins over a literal token: it is the one a booking system can rotate."""
    if rule.token_file:
        path = Path(rule.token_file)
        return TokenSource(path=path if path.is_absolute() or base is None else base / path)
    return TokenSource(value=rule.token)


class Uplink:
    """Runs one rule until cancelled. ``state`` and the counters are read by the status API."""

    def __init__(
        self,
        rule: Destination,
        router: Router,
        *,
        backoff: BackoffFactory = Backoff,
        healthy_after: float = 5.0,
        token_base: Path | None = None,
    ) -> None:
        self.rule = rule
        self.router = router
        self.state = LinkState()  # written by this uplink's task only
        self.sent = 0
        self.received = 0
        self.dropped = 0  # queue_full drops of closed subscriptions, plus the live one in status()
        self._backoff = backoff
        self._healthy_after = healthy_after
        self._token_base = token_base
        self._sub: Subscription | None = None  # set while connected
        self.recorder: Recorder | None = None

    def connections(self) -> AsyncGenerator[ClientConnection, None]:
        if self.rule.authenticated:
            return reconnecting(
                self.rule.destination,
                token_source(self.rule, base=self._token_base),
                backoff=self._backoff(),
                state=self.state,
                healthy_after=self._healthy_after,
            )
        return reconnecting_direct(
            self.rule.destination,
            backoff=self._backoff(),
            state=self.state,
            healthy_after=self._healthy_after,
        )

    async def run(self) -> None:
        """Connect, pump, reconnect until cancelled, or until the relay ends the link for good.

        After a terminal close (token mismatch, booking cancelled) it returns with ``state``
        "failed" and the code and reason as ``last_error``, shown by ``hostd status``.
        """
        if self.rule.file:
            self.recorder = Recorder(Path(self.rule.file))
        log.info(
            "destination %s started", self.rule.id, extra={"rule": self.rule.id, "topic": self.rule.stream}
        )
        try:
            async with aclosing(self.connections()) as links:
                async for ws in links:
                    sub = self.router.subscribe(self.rule.stream, f"destination:{self.rule.id}")
                    self._sub = sub
                    try:
                        await self._pump(ws, sub)
                    except asyncio.CancelledError:
                        await close_quickly(ws)
                        raise
                    finally:
                        self._sub = None
                        self.dropped += sub.dropped
                        self.router.unsubscribe(sub)
                    log.info(
                        "destination %s disconnected",
                        self.rule.id,
                        extra={"rule": self.rule.id, "close_code": ws.close_code, "reason": ws.close_reason},
                    )
        except TerminalClose as exc:
            log.error(
                "destination %s stopped: %s",
                self.rule.id,
                exc,
                extra={"rule": self.rule.id, "close_code": exc.code, "reason": exc.reason},
            )
            return  # state stays "failed": the rule needs a new token or booking
        finally:
            if self.state.state != "failed":
                self.state.set("stopped")
            if self.recorder is not None:
                self.recorder.close()

    async def _pump(self, ws: ClientConnection, sub: Subscription) -> None:
        tasks = {asyncio.create_task(self._upstream(ws, sub)), asyncio.create_task(self._downstream(ws, sub))}
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        for task in done:
            exc = task.exception()
            if exc is not None:
                log.error("destination %s failed: %r", self.rule.id, exc, exc_info=exc)

    async def _upstream(self, ws: ClientConnection, sub: Subscription) -> None:
        try:
            while True:
                message = await sub.get()
                await ws.send(message)
                self.sent += 1
                if self.recorder is not None:
                    self.recorder.write(message)
        except ConnectionClosed:
            return

    async def _downstream(self, ws: ClientConnection, sub: Subscription) -> None:
        try:
            async for message in ws:
                self.received += 1
                self.router.publish(self.rule.stream, message, sender=sub)
        except ConnectionClosed:
            return

    def status(self) -> dict[str, object]:
        live = self._sub.dropped if self._sub is not None else 0
        return {
            "rule": self.rule.redacted(),
            "state": self.state.state,
            "last_error": self.state.last_error,
            "connects": self.state.connects,
            "sent": self.sent,
            "received": self.received,
            "dropped": self.dropped + live,
            "recording_error": self.recorder.error if self.recorder is not None else "",
        }
