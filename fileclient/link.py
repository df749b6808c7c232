"""One reconnecting relay session for fileclient: received messages go to a callback, sends go out
on whichever connection is up now.

Built on ``relayclient.connect.reconnecting`` (the access flow hostd uses too); no server imports.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from relayclient.backoff import Backoff
from relayclient.connect import LinkState, reconnecting
from relayclient.tokens import TokenSource

log = logging.getLogger(__name__)

OnMessage = Callable[[int, str | bytes], None]  # (receive time in ns since the epoch, payload)


class Link:
    """Keeps a session to ``access_url`` up until cancelled; ``connected`` is set while one is."""

    def __init__(
        self,
        *,
        access_url: str,
        tokens: TokenSource,
        on_message: OnMessage,
        wall: Callable[[], int] = time.time_ns,
        backoff: Backoff | None = None,
        healthy_after: float = 5.0,
        state: LinkState | None = None,
    ) -> None:
        self.access_url = access_url
        self.state = state or LinkState()
        self.connected = asyncio.Event()  # set by run() while a connection is open
        self._tokens = tokens
        self._on_message = on_message
        self._wall = wall
        self._backoff = backoff
        self._healthy_after = healthy_after
        self._ws: ClientConnection | None = None  # owned by run(); send() only borrows it

    async def run(self) -> None:
        """Connect, deliver messages, reconnect when the connection ends; returns only if cancelled."""
        # reconnecting() is an async generator; close it (and its open connection) on cancel.
        sessions = reconnecting(
            self.access_url,
            self._tokens,
            backoff=self._backoff,
            state=self.state,
            healthy_after=self._healthy_after,
        )
        async with contextlib.aclosing(sessions):
            async for ws in sessions:
                log.info("connected to %s", self.access_url)
                self._ws = ws
                self.connected.set()
                try:
                    async for data in ws:
                        self._on_message(self._wall(), data)
                    log.info("connection closed (%s %s)", ws.close_code, ws.close_reason)
                except ConnectionClosed as exc:
                    log.warning("connection lost: %s", exc)
                finally:
                    self._ws = None
                    self.connected.clear()

    async def send(self, data: str | bytes) -> bool:
        """Send on the current connection, waiting for one if none is up.

        Returns:
            False if the connection closed while sending (the message is lost, as on the relay).
        """
        while self._ws is None:
            await self.connected.wait()
            await asyncio.sleep(0)  # let run() publish the connection it just set the event for
        try:
            await self._ws.send(data)
        except ConnectionClosed as exc:
            log.warning("message not sent, connection closed: %s", exc)
            return False
        return True
