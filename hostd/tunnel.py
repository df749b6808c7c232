"""One tunnel rule at run time: the management connection and one task per ssh session.

The management connection (host token, reconnecting forever) only carries control messages.
Each ``connect`` starts a session: dial the given websocket URI, then the local service, then
pipe until either ends. A ``disconnect`` for the session's uuid, or stopping the rule, ends it.
Sessions outlive a management reconnect: they have their own websockets.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator
from contextlib import aclosing
from pathlib import Path

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from hostd.tunnelrules import Connect, Disconnect, Tunnel, parse_action, split_target
from hostd.uplink import BackoffFactory
from relayclient.backoff import Backoff
from relayclient.connect import CONNECT_ERRORS, MAX_MESSAGE, LinkState, TerminalClose, reconnecting
from relayclient.pipe import PipeStats, close_ws, pipe
from relayclient.tokens import TokenSource

log = logging.getLogger(__name__)

DIAL_TIMEOUT = 10.0  # seconds for each of the session's websocket and TCP dials
CLOSE_UNREACHABLE = 1011  # the local service refused or did not answer


def tunnel_tokens(rule: Tunnel) -> TokenSource:
    """A token file wins over a literal token: it is the one a booking system can rotate."""
    return TokenSource(path=Path(rule.token_file)) if rule.token_file else TokenSource(value=rule.token)


class TunnelLink:
    """Runs one tunnel rule until cancelled. Counters are read by the status API."""

    def __init__(
        self, rule: Tunnel, *, backoff: BackoffFactory = Backoff, healthy_after: float = 5.0
    ) -> None:
        self.rule = rule
        self.target = split_target(rule.target)  # validated when the rule was built
        self.state = LinkState()  # of the management connection; written by run() only
        self.sessions_total = 0
        self.sessions_failed = 0  # the session websocket or the local service could not be reached
        self.bytes_in = 0  # from clients to the local service, over ended sessions
        self.bytes_out = 0
        self._backoff = backoff
        self._healthy_after = healthy_after
        self._sessions: dict[str, asyncio.Task[None]] = {}  # alert uuid -> session task; owned by run()

    @property
    def live(self) -> int:
        return len(self._sessions)

    def connections(self) -> AsyncGenerator[ClientConnection, None]:
        return reconnecting(
            self.rule.access,
            tunnel_tokens(self.rule),
            backoff=self._backoff(),
            state=self.state,
            healthy_after=self._healthy_after,
        )

    async def run(self) -> None:
        """Keep the management connection up and serve its announcements until cancelled.

        A terminal close of the management connection (token mismatch, booking cancelled) ends
        the rule too: it returns with ``state`` "failed" and the reason as ``last_error``.
        """
        log.info("tunnel %s started", self.rule.id, extra={"rule": self.rule.id})
        try:
            async with aclosing(self.connections()) as links:
                async for ws in links:
                    await self._manage(ws)
                    log.info(
                        "tunnel %s management connection closed",
                        self.rule.id,
                        extra={"rule": self.rule.id, "close_code": ws.close_code, "reason": ws.close_reason},
                    )
        except TerminalClose as exc:
            log.error(
                "tunnel %s stopped: %s",
                self.rule.id,
                exc,
                extra={"rule": self.rule.id, "close_code": exc.code, "reason": exc.reason},
            )
        finally:
            if self.state.state != "failed":
                self.state.set("stopped")
            await self._end_all()

    async def _manage(self, ws: ClientConnection) -> None:
        try:
            async for message in ws:
                action = parse_action(message)
                if isinstance(action, Connect):
                    self._start(action)
                elif isinstance(action, Disconnect):
                    self._end(action.uuid)
        except ConnectionClosed:
            return
        except asyncio.CancelledError:
            await close_ws(ws)
            raise

    def _start(self, action: Connect) -> None:
        if action.uuid in self._sessions:
            return  # a repeated announcement: the session is already being served
        self.sessions_total += 1
        task = asyncio.create_task(self._session(action), name=f"tunnel:{self.rule.id}:{action.uuid}")
        self._sessions[action.uuid] = task
        task.add_done_callback(lambda _t: self._forget(action.uuid, task))

    def _forget(self, uuid: str, task: asyncio.Task[None]) -> None:
        if self._sessions.get(uuid) is task:
            del self._sessions[uuid]

    def _end(self, uuid: str) -> None:
        task = self._sessions.get(uuid)
        if task is not None:
            task.cancel()

    async def _end_all(self) -> None:
        tasks = list(self._sessions.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _session(self, action: Connect) -> None:
        # The one top-level handler of a session task: every failure is logged with its uuid.
        extra = {"rule": self.rule.id, "conn_id": action.uuid}
        try:
            ws = await connect(
                action.uri,
                max_size=MAX_MESSAGE,
                open_timeout=DIAL_TIMEOUT,
                compression=None,
                ping_interval=20,
            )
        except CONNECT_ERRORS as exc:
            self.sessions_failed += 1
            log.warning("tunnel %s: session websocket failed: %s", self.rule.id, exc, extra=extra)
            return
        host, port = self.target
        try:
            async with asyncio.timeout(DIAL_TIMEOUT):
                reader, writer = await asyncio.open_connection(host, port)
        except (OSError, TimeoutError) as exc:
            self.sessions_failed += 1
            log.warning("tunnel %s: cannot reach %s:%d: %s", self.rule.id, host, port, exc, extra=extra)
            await close_ws(ws, CLOSE_UNREACHABLE, f"cannot reach {host}:{port}")
            return
        except asyncio.CancelledError:
            await close_ws(ws)  # disconnect (or rule stop) while the local service was being dialled
            raise
        log.info("tunnel %s: session opened", self.rule.id, extra=extra)
        stats = PipeStats()
        try:
            await pipe(ws, reader, writer, stats)
        finally:
            # Also after a disconnect (cancellation): the counters stay right.
            self.bytes_in += stats.from_ws
            self.bytes_out += stats.to_ws
            log.info(
                "tunnel %s: session closed by %s after %d bytes in, %d out",
                self.rule.id,
                "disconnect" if stats.ended_by == "cancelled" else stats.ended_by,
                stats.from_ws,
                stats.to_ws,
                extra={**extra, "close_code": ws.close_code, "reason": ws.close_reason},
            )

    def status(self) -> dict[str, object]:
        return {
            "rule": self.rule.redacted(),
            "state": self.state.state,
            "last_error": self.state.last_error,
            "connects": self.state.connects,
            "live_sessions": self.live,
            "sessions": self.sessions_total,
            "failed_sessions": self.sessions_failed,
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
        }
