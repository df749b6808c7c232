"""One-time codes: minted by the access API, redeemed once by a websocket on any replica.

Codes live in the store, never in process memory of a replica, so a code minted on A can be
redeemed on B. Single use: redemption deletes the entry naming the revision it read, which
succeeds for exactly one caller (JetStream's expected-last-sequence check).
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from typing import Protocol

from gateway.errors import CodeRejected
from gateway.grants import Grant

CODE_BYTES = 32  # 256 random bits, URL-safe base64 (43 characters)
MAX_CODE_CHARS = 128  # what a presented code may be at most; ours are 43
# ASCII only: str patterns' \w and isalnum() accept any Unicode letter, which no code contains
# and which a KV key cannot hold.
_CODE_SYNTAX = re.compile(rf"[A-Za-z0-9_-]{{1,{MAX_CODE_CHARS}}}")


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


class CodeStore(Protocol):
    async def mint(self, grant: Grant) -> str:
        """Store ``grant`` under a fresh code and return the code."""
        ...

    async def redeem(self, code: str) -> Grant:
        """Return the grant of ``code`` and make the code unusable.

        Raises:
            CodeRejected: unknown, expired or already redeemed.
            BusUnavailable: the store cannot be reached.
        """
        ...


def check_code_syntax(code: str) -> None:
    """Refuse, before any store lookup, what cannot be a code: only ``[A-Za-z0-9_-]``, 1-128 chars.

    Raises:
        CodeRejected: empty, too long, or a character outside the URL-safe base64 alphabet.
    """
    if _CODE_SYNTAX.fullmatch(code) is None:
        raise CodeRejected("invalid code")


def check_fresh(grant: Grant, ttl: float, now: float) -> Grant:
    """Refuse a grant whose code has outlived ``ttl`` (checked at redemption, not by a cleaner)."""
    if now - grant.minted_at > ttl:
        raise CodeRejected("code expired")
    return grant


class MemoryCodeStore:
    """A single-process store for unit tests."""

    def __init__(self, *, ttl: float = 30.0, clock: Callable[[], float] = time.time) -> None:
        self._ttl = ttl
        self._clock = clock
        self._grants: dict[str, Grant] = {}

    async def mint(self, grant: Grant) -> str:
        code = new_code()
        self._grants[code] = grant
        return code

    async def redeem(self, code: str) -> Grant:
        check_code_syntax(code)
        grant = self._grants.pop(code, None)
        if grant is None:
            raise CodeRejected("invalid code")
        return check_fresh(grant, self._ttl, self._clock())
