"""Log formatting: one JSON object per line in production, plain text in development.

Configured once by ``__main__``; modules only call ``logging.getLogger(__name__)``.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Final

# Stable ``extra`` keys copied into every JSON record that carries them.
EXTRA_KEYS: Final = ("rule", "topic", "conn_id", "close_code", "reason", "dropped")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key in EXTRA_KEYS:
            if hasattr(record, key):
                body[key] = getattr(record, key)
        if record.exc_info:
            body["exc"] = self.formatException(record.exc_info)
        return json.dumps(body, default=str)


def configure(level: int, fmt: str) -> None:
    """Send every log record to stderr at ``level``, as JSON (``fmt == "json"``) or text."""
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # uvicorn's access log is per request: only useful when debugging.
    logging.getLogger("uvicorn.access").setLevel(max(level, logging.WARNING))
