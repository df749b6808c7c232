"""One map from nats-py's exceptions to Relay's (as httpx maps httpcore's).

Every NATS call in the adapters runs inside ``nats_errors("what was being done")``; nothing
else in the gateway catches nats-py exceptions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import nats.errors

from gateway.errors import BusUnavailable

# What a NATS operation may raise when the server or the network misbehaves.
NATS_ERRORS: tuple[type[BaseException], ...] = (nats.errors.Error, OSError, TimeoutError)


@contextmanager
def nats_errors(what: str) -> Iterator[None]:
    """Translate a nats-py failure of ``what`` into :class:`BusUnavailable`.

    Raises:
        BusUnavailable: NATS refused or could not do ``what``.
    """
    try:
        yield
    except NATS_ERRORS as exc:
        raise BusUnavailable(f"{what}: {type(exc).__name__}") from exc
