"""Diagnostics (not the message log): text for development, one JSON object per line otherwise.

Called only from ``__main__``. Diagnostics go to stderr by default because stdout may be the log.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import TextIO

from fileclient.logformat import rfc3339nano


class JsonFormatter(logging.Formatter):
    """``{"time": RFC3339Nano, "level", "logger", "msg"}`` plus any exception text."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": rfc3339nano(int(record.created * 1e9)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def configure(*, level: int | str, json_format: bool, stream: TextIO | None = None) -> None:
    """Send every logger's records at ``level`` or above to ``stream`` (stderr) in the chosen format."""
    handler = logging.StreamHandler(stream or sys.stderr)
    if json_format:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper() if isinstance(level, str) else level)
    logging.getLogger("websockets").setLevel(max(root.level, logging.INFO))
    logging.getLogger("httpx").setLevel(max(root.level, logging.WARNING))
