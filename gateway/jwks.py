"""A JWKS URL's keys: fetched with httpx off the event loop's critical path, cached, refreshed.

The current ``KeySet`` is replaced whole by a successful fetch and kept on any failure. An
unknown ``kid`` may ask for a refetch, but at most one starts per ``min_refetch`` seconds and
concurrent askers share it: a flood of tokens with invented kids costs the URL nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Final
from urllib.parse import urlsplit, urlunsplit

import httpx

from tokentool.keys import KeySet, KeysUnusable, keys_from_jwks

log = logging.getLogger(__name__)

MAX_JWKS_BYTES: Final = 1024 * 1024
FETCH_TIMEOUT: Final = 5.0  # seconds for one fetch, connect to last byte
UNKNOWN_KID_REFETCH: Final = 30.0  # seconds: at most one refetch per this, however many bad kids

Fetch = Callable[[str], Awaitable[bytes]]


def _without_userinfo(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]))


class JwksFetchError(Exception):
    """A fetch failed: the message is one line naming why (status, timeout, size, parse)."""


async def http_fetch(client: httpx.AsyncClient, url: str) -> bytes:
    """GET ``url`` (no redirects), refusing bodies over MAX_JWKS_BYTES.

    Raises:
        JwksFetchError: a transport error, a status other than 200, or too large a body.
    """
    try:
        async with client.stream("GET", url, timeout=FETCH_TIMEOUT) as response:
            if response.status_code != 200:
                raise JwksFetchError(f"HTTP {response.status_code}")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > MAX_JWKS_BYTES:
                    raise JwksFetchError(f"body larger than {MAX_JWKS_BYTES} bytes")
            return bytes(body)
    except httpx.HTTPError as exc:
        raise JwksFetchError(type(exc).__name__) from exc  # its text may repeat the URL


class JwksSource:
    """The keys published at one JWKS URL.

    Args:
        url: the http(s) URL (shown in logs; it must not carry credentials).
        fetch: fetches the body; ``http_fetch`` bound to a client in production.
        refresh_every: seconds between periodic refreshes (``run``).
        min_refetch: seconds between fetches asked for by unknown kids.
        clock: monotonic seconds.
    """

    def __init__(
        self,
        url: str,
        *,
        fetch: Fetch,
        refresh_every: float,
        min_refetch: float = UNKNOWN_KID_REFETCH,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self._shown = _without_userinfo(url)  # what logs say: never credentials
        self._fetch = fetch
        self.refresh_every = refresh_every
        self.min_refetch = min_refetch
        self._clock = clock
        self.keys = KeySet()  # replaced whole by a successful fetch (owned by refresh)
        self.fetches = 0  # attempts, successful or not
        self._last_attempt: float | None = None
        self._inflight: asyncio.Task[bool] | None = None
        self._failing = False  # a failure was logged; the next success is logged too

    async def refresh(self) -> bool:
        """Fetch now (joining a fetch already running); return whether the keys were renewed."""
        if self._inflight is None:
            self._inflight = asyncio.ensure_future(self._refresh())
        inflight = self._inflight
        try:
            return await asyncio.shield(inflight)
        finally:
            if inflight.done() and self._inflight is inflight:
                self._inflight = None

    async def _refresh(self) -> bool:
        self._last_attempt = self._clock()
        self.fetches += 1
        try:
            keys = keys_from_jwks(await self._fetch(self.url))
        except (JwksFetchError, KeysUnusable) as exc:
            if not self._failing:  # once per failure streak, not once per attempt
                log.warning(
                    "JWKS fetch failed; keeping the last good keys",
                    extra={"url": self._shown, "reason": str(exc), "kids": list(self.keys.kids())},
                )
            self._failing = True
            return False
        if self._failing or keys.kids() != self.keys.kids():
            log.info("JWKS keys loaded", extra={"url": self._shown, "kids": list(keys.kids())})
        self._failing = False
        self.keys = keys
        return True

    async def unknown_kid(self) -> KeySet:
        """A token named a kid we lack: refetch unless one started less than min_refetch ago."""
        if self._inflight is None and self._last_attempt is not None:
            if self._clock() - self._last_attempt < self.min_refetch:
                return self.keys
        await self.refresh()
        return self.keys

    async def run(self) -> None:
        """Refresh every ``refresh_every`` seconds until cancelled."""
        while True:
            await asyncio.sleep(self.refresh_every)
            await self.refresh()
