"""Diagnostics (not the message log): text for development, one JSON object per line otherwise.

Called only from ``__main__``. Diagnostics go to stderr by default because stdout may be the log.
The formatter and the level names are the ones shared by every Relay program
(:mod:`relayclient.logs`).
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from fileclient.logformat import rfc3339nano
from relayclient import logs


def _nanos(record: logging.LogRecord) -> str:
    return rfc3339nano(int(record.created * 1e9))


def json_formatter() -> logging.Formatter:
    """``{"time": RFC3339Nano, "level", "logger", "msg"}`` plus any exception text as ``error``."""
    return logs.JsonFormatter(extras=(), exc_key="error", timestamp=_nanos)


def configure(*, level: int | str, json_format: bool, stream: TextIO | None = None) -> None:
    """Send every logger's records at ``level`` or above to ``stream`` (stderr) in the chosen format.

    Raises:
        relayclient.logs.UnknownLevel: ``level`` is not a known level.
    """
    number = logs.install(
        stream or sys.stderr, level=level, formatter=json_formatter() if json_format else None
    )
    logging.getLogger("websockets").setLevel(max(number, logging.INFO))
    logging.getLogger("httpx").setLevel(max(number, logging.WARNING))
