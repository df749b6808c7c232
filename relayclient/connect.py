"""Open websocket sessions through the access flow, once or forever.

``reconnecting()`` is the loop hostd and fileclient share: get a URL, dial it, hand the
connection to the caller, and when it ends wait (with backoff) and do it all again, re-reading
the token each time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass, field

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidHandshake, InvalidURI

from relayclient.access import AccessError, access_client, request_uri
from relayclient.backoff import Backoff
from relayclient.tokens import TokenSource, TokenUnavailable

log = logging.getLogger(__name__)

MAX_MESSAGE = 10 * 1024 * 1024  # bytes; the gateway's limit

# Close codes after which reconnecting cannot help (README, "Close codes"): the loop stops.
TERMINAL_CLOSES: dict[int, str] = {
    4501: "the token does not allow this connection",
    4503: "booking cancelled",
}

# Anything that means "this attempt failed, try again later".
CONNECT_ERRORS: tuple[type[BaseException], ...] = (
    AccessError,
    TokenUnavailable,
    OSError,
    InvalidHandshake,
    InvalidURI,
    TimeoutError,
)


async def open_session(
    http: httpx.AsyncClient,
    access_url: str,
    token: str,
    *,
    max_size: int | None = MAX_MESSAGE,
    open_timeout: float = 10.0,
) -> ClientConnection:
    """Request a one-time URL and dial it; the caller owns (and closes) the connection."""
    uri = await request_uri(http, access_url, token)
    return await connect(
        uri, max_size=max_size, open_timeout=open_timeout, compression=None, ping_interval=20
    )


class TerminalClose(Exception):
    """The relay closed the connection with a code that retrying cannot fix (``TERMINAL_CLOSES``).

    ``str()`` is one line naming the code, the relay's reason and what it means.
    """

    def __init__(self, code: int, reason: str, *, message: str = "") -> None:
        self.code = code
        self.reason = reason
        meaning = TERMINAL_CLOSES.get(code, "")
        said = reason or meaning
        if reason and meaning and meaning.lower() not in reason.lower():
            said = f"{reason} ({meaning})"
        super().__init__(message or f"relay closed the connection: {code} {said}; not reconnecting")


@dataclass(slots=True)
class LinkState:
    """What a reconnecting link is doing now, for status displays.

    ``last_error`` is the latest failure; it is cleared when a connection is up again, so a
    status display never shows a problem that has gone away.
    """

    state: str = "starting"  # starting | connecting | connected | retrying | failed | stopped
    last_error: str = ""
    connects: int = 0
    listeners: list[Callable[[LinkState], None]] = field(default_factory=list)

    def set(self, state: str, error: str = "") -> None:
        self.state = state
        if error:
            self.last_error = error
        elif state == "connected":
            self.last_error = ""
        for listener in self.listeners:
            listener(self)


async def reconnecting(
    access_url: str,
    tokens: TokenSource,
    *,
    backoff: Backoff | None = None,
    state: LinkState | None = None,
    healthy_after: float = 5.0,
    max_size: int | None = MAX_MESSAGE,
) -> AsyncGenerator[ClientConnection]:
    """Yield a fresh connection each time the previous one ends, until a terminal close.

    The body of the caller's ``async for`` runs while a connection is up; when it returns (or
    the connection drops) the connection is closed and the loop reconnects. A connection that
    lived at least ``healthy_after`` seconds resets the backoff, so a gateway restart is
    followed by an immediate reconnect, while a gateway that keeps refusing is retried at
    1, 2, 4 ... 10 s. The token is read again for every attempt.

    Raises:
        TerminalClose: the relay closed a connection with a code in ``TERMINAL_CLOSES`` (token
            mismatch, booking cancelled), or refused a token that cannot change (not a file) because
            its booking is deny-listed; ``state`` is then "failed" with the reason as last error.
    """
    async with access_client(access_url) as http:

        async def dial() -> ClientConnection:
            try:
                return await open_session(http, access_url, tokens.read(), max_size=max_size)
            except AccessError as exc:
                if exc.denied and tokens.path is None:  # only a token file can bring a new booking
                    raise TerminalClose(
                        4503, "booking cancelled", message=f"{exc} (booking cancelled); not reconnecting"
                    ) from exc
                raise

        async for ws in _redial(dial, access_url, backoff=backoff, state=state, healthy_after=healthy_after):
            yield ws


async def reconnecting_direct(
    url: str,
    *,
    backoff: Backoff | None = None,
    state: LinkState | None = None,
    healthy_after: float = 5.0,
    max_size: int | None = MAX_MESSAGE,
) -> AsyncGenerator[ClientConnection]:
    """Like :func:`reconnecting`, dialling a ``ws://`` URL directly (no access step, no token)."""

    async def dial() -> ClientConnection:
        return await connect(url, max_size=max_size, open_timeout=10.0, compression=None, ping_interval=20)

    async for ws in _redial(dial, url, backoff=backoff, state=state, healthy_after=healthy_after):
        yield ws


async def _redial(
    dial: Callable[[], Awaitable[ClientConnection]],
    label: str,
    *,
    backoff: Backoff | None,
    state: LinkState | None,
    healthy_after: float,
) -> AsyncGenerator[ClientConnection]:
    backoff = backoff or Backoff()
    state = state or LinkState()
    loop = asyncio.get_running_loop()
    while True:
        state.set("connecting")
        try:
            ws = await dial()
        except TerminalClose as refused:
            state.set("failed", str(refused))
            log.warning("%s: %s", label, refused)
            raise
        except CONNECT_ERRORS as exc:
            delay = backoff.next_delay()
            state.set("retrying", f"{type(exc).__name__}: {exc}")
            log.info("connect to %s failed (%s); retrying in %.1fs", label, exc, delay)
            await asyncio.sleep(delay)
            continue
        state.connects += 1
        state.set("connected")
        started = loop.time()
        try:
            yield ws
        finally:
            await ws.close()
        if ws.close_code in TERMINAL_CLOSES:
            ended = TerminalClose(ws.close_code, ws.close_reason or "")
            state.set("failed", str(ended))
            log.warning("%s: %s", label, ended)
            raise ended
        if ws.close_code is not None and ws.close_code not in (1000, 1001):
            state.set("retrying", f"closed {ws.close_code} {ws.close_reason}")
        if loop.time() - started >= healthy_after:
            backoff.reset()
        else:
            await asyncio.sleep(backoff.next_delay())
