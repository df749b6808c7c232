"""The gateway's one token verifier: the HS256 secret, public keys from files, a JWKS URL.

Every route that reads a bearer token (access, jump, admin, status) goes through ``Verifier``.
Key files are read once at start-up; a JWKS URL is refreshed in the background (gateway.jwks).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from gateway.jwks import JwksSource, http_fetch
from gateway.settings import GatewaySettings
from gateway.supervise import spawn
from tokentool.claims import Claims
from tokentool.keys import KeySet, KeysUnusable, TokenUnknownKey, keys_from_jwks, keys_from_pem, verify_token

log = logging.getLogger(__name__)

FIRST_FETCH_WAIT = 5.0  # seconds start-up waits for a JWKS URL before serving without its keys


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


class Verifier:
    """Bearer token → verified claims, with the secret and every public key this gateway holds.

    Args:
        secret: the HS256 secret ("" accepts no HS* token).
        static: keys read from RELAY_PUBLIC_KEYS and a RELAY_JWKS file.
        source: the RELAY_JWKS URL's keys, or None.
    """

    def __init__(
        self, *, secret: str, static: KeySet | None = None, source: JwksSource | None = None
    ) -> None:
        self._secret = secret
        self._static = static or KeySet()
        self.source = source
        self._merged: tuple[KeySet, KeySet] | None = None  # (source keys, merged) cache

    def keys(self) -> KeySet:
        if self.source is None:
            return self._static
        fetched = self.source.keys
        if self._merged is None or self._merged[0] is not fetched:
            self._merged = (fetched, self._static.merged(fetched))
        return self._merged[1]

    async def claims(self, token: str, *, audience: str, now: float) -> Claims:
        """Verify ``token``; a kid we lack may refetch the JWKS URL once (rate-limited there).

        Raises:
            TokenError: the token is refused (TokenUnknownKey when no key has its kid).
        """
        try:
            return verify_token(token, secret=self._secret, keys=self.keys(), audience=audience, now=now)
        except TokenUnknownKey:
            if self.source is None:
                raise
        await self.source.unknown_kid()
        return verify_token(token, secret=self._secret, keys=self.keys(), audience=audience, now=now)


def static_keys(settings: GatewaySettings) -> KeySet:
    """The keys of RELAY_PUBLIC_KEYS (PEM) and of RELAY_JWKS when it names a file.

    Raises:
        KeysUnusable: a file is unreadable or holds no usable key; the message names the setting.
    """
    keys = KeySet()
    if settings.public_keys is not None:
        keys = keys.merged(_read(settings.public_keys, "RELAY_PUBLIC_KEYS", pem=True))
    if settings.jwks and not is_url(settings.jwks):
        keys = keys.merged(_read(Path(settings.jwks), "RELAY_JWKS", pem=False))
    return keys


def _read(path: Path, setting: str, *, pem: bool) -> KeySet:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeysUnusable(f"{setting}: cannot read {path}: {exc.strerror}") from None
    try:
        found = keys_from_pem(data) if pem else keys_from_jwks(data)
    except KeysUnusable as exc:
        raise KeysUnusable(f"{setting}: {path}: {exc}") from None
    if not found.keys:
        raise KeysUnusable(f"{setting}: {path} holds no EdDSA, ES256 or RS256 signing key")
    return found


def plain_verifier(settings: GatewaySettings) -> Verifier:
    """A verifier from the secret and key files only (tests and apps built without a server)."""
    return Verifier(secret=settings.secret, static=static_keys(settings))


@asynccontextmanager
async def open_verifier(settings: GatewaySettings) -> AsyncIterator[Verifier]:
    """The verifier for a serving gateway: key files read, a JWKS URL fetched and kept fresh.

    Start-up waits up to FIRST_FETCH_WAIT for the URL; if it fails, the gateway serves anyway
    (HS256 and file keys work) and keeps retrying every refresh period.

    Raises:
        KeysUnusable: a key file cannot be used.
    """
    static = static_keys(settings)
    if not (settings.jwks and is_url(settings.jwks)):
        yield Verifier(secret=settings.secret, static=static)
        return
    if settings.jwks.lower().startswith("http://"):
        log.warning("RELAY_JWKS is plain http: anyone on the path can swap the keys (use https)")
    async with httpx.AsyncClient(follow_redirects=False, trust_env=False) as client:
        source = JwksSource(
            settings.jwks,
            fetch=lambda url: http_fetch(client, url),
            refresh_every=settings.jwks_refresh,
            min_refetch=min(settings.jwks_refresh, 30.0),
        )
        try:
            async with asyncio.timeout(FIRST_FETCH_WAIT):
                await source.refresh()
        except TimeoutError:
            log.warning("JWKS not fetched within %.0fs; serving without its keys meanwhile", FIRST_FETCH_WAIT)
        task = spawn("jwks-refresh", source.run)
        try:
            yield Verifier(secret=settings.secret, static=static, source=source)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
