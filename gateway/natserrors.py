"""One map from nats-py's exceptions to Relay's (as httpx maps httpcore's).

Every NATS call in the adapters runs inside ``nats_errors("what was being done")``; nothing
else in the gateway catches nats-py exceptions. Answers about one key (not found, wrong
revision) are not failures: they pass through untranslated for the caller to handle.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

import nats.errors
import nats.js.errors

from gateway.errors import BusUnavailable

# What a NATS operation may raise when the server or the network misbehaves.
NATS_ERRORS: tuple[type[BaseException], ...] = (nats.errors.Error, OSError, TimeoutError)

# JetStream's answers to a write naming a revision that is no longer the last one.
WRONG_LAST_SEQUENCE: Final = (10071, 10164)

# Answers about a key, for the caller: KeyNotFoundError also stands for a deleted key.
_KEY_ANSWERS: Final = (
    nats.js.errors.KeyNotFoundError,
    nats.js.errors.KeyDeletedError,
    nats.js.errors.KeyWrongLastSequenceError,
)

# The stream behind a bucket is not there: its API says 404 (stream not found), or nothing
# answers a publish to its subjects or a direct get.
_MISSING: Final = (
    nats.js.errors.NotFoundError,  # BucketNotFoundError included
    nats.js.errors.NoStreamResponseError,
    nats.errors.NoRespondersError,
)


class BucketMissing(BusUnavailable):
    """A JetStream bucket (stream) is gone, e.g. a memory bucket after a NATS restart.

    Whoever owns the bucket may re-create it and try again.
    """


def is_key_answer(exc: BaseException) -> bool:
    """True for nats-py's answers about one key, which callers handle themselves."""
    if isinstance(exc, _KEY_ANSWERS):
        return True
    return isinstance(exc, nats.js.errors.APIError) and exc.err_code in WRONG_LAST_SEQUENCE


def translate(what: str, exc: BaseException) -> BusUnavailable:
    """The Relay exception standing for nats-py's ``exc`` raised while doing ``what``."""
    reason = f"{what}: {type(exc).__name__}"
    if isinstance(exc, _MISSING):
        return BucketMissing(reason)
    status = getattr(exc, "code", None) if isinstance(exc, nats.js.errors.APIError) else None
    if status:
        return BusUnavailable(f"{reason} {status}")
    return BusUnavailable(reason)


@contextmanager
def nats_errors(what: str) -> Iterator[None]:
    """Translate a nats-py failure of ``what`` into :class:`BusUnavailable`.

    Raises:
        BucketMissing: the bucket's stream is gone (re-create it).
        BusUnavailable: NATS refused or could not do ``what``.
    """
    try:
        yield
    except NATS_ERRORS as exc:
        if is_key_answer(exc):
            raise
        raise translate(what, exc) from exc
