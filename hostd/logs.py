"""Log formatting: one JSON object per line in production, plain text in development.

Configured once by ``__main__``; modules only call ``logging.getLogger(__name__)``. The formatter
and the level names are the ones shared by every Relay program (:mod:`relayclient.logs`).
"""

from __future__ import annotations

import logging
import sys
from typing import Final

from relayclient import logs

# Stable ``extra`` keys copied into every JSON record that carries them.
EXTRA_KEYS: Final = ("rule", "topic", "conn_id", "close_code", "reason", "dropped")


def json_formatter() -> logging.Formatter:
    """hostd's JSON lines: ``time``, ``level``, ``logger``, ``msg``, :data:`EXTRA_KEYS`, ``exc``."""
    return logs.JsonFormatter(extras=EXTRA_KEYS)


def configure(level: int | str, fmt: str) -> None:
    """Send every log record to stderr at ``level``, as JSON (``fmt == "json"``) or text.

    Raises:
        relayclient.logs.UnknownLevel: ``level`` is not a known level.
    """
    number = logs.install(sys.stderr, level=level, formatter=json_formatter() if fmt == "json" else None)
    # uvicorn's access log is per request: only useful when debugging.
    logging.getLogger("uvicorn.access").setLevel(max(number, logging.WARNING))
