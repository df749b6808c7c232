"""Logging setup for the gateway process: JSON lines in production, text in development."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from typing import Any, TextIO

# Attributes every LogRecord has; anything else came in through ``extra=`` and is emitted.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "taskName"}


class RateLimitedLog:
    """Log a repeated warning at most once per ``every`` seconds per key (derp's limitedLogf)."""

    def __init__(self, logger: logging.Logger, every: float = 10.0) -> None:
        self._log = logger
        self._every = every
        self._last: dict[str, float] = {}

    def warning(self, key: str, msg: str, *args: object) -> None:
        now = time.monotonic()
        if now - self._last.get(key, -1e9) >= self._every:
            self._last[key] = now
            self._log.warning(msg, *args)


_CODE = re.compile(r"([?&]code=)[^\s&\"']+")


class RedactCodes(logging.Filter):
    """Blank one-time codes out of log records: uvicorn logs each websocket request line, query
    string included, and a code must never reach a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "code=" in message:
            record.msg, record.args = _CODE.sub(r"\1<redacted>", message), None
        return True


def redact_codes(logger: logging.Logger) -> None:
    """Install :class:`RedactCodes` on ``logger`` once."""
    if not any(isinstance(f, RedactCodes) for f in logger.filters):
        logger.addFilter(RedactCodes())


class JsonFormatter(logging.Formatter):
    def __init__(self, replica: str = "") -> None:
        super().__init__()
        self._replica = replica

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if self._replica:
            entry["replica"] = self._replica
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure(*, level: str, fmt: str, file: str, replica: str = "") -> None:
    """Configure the root logger once, from settings (called only by ``__main__``)."""
    stream: TextIO
    if file.lower() == "stdout":
        stream = sys.stdout
    elif file:
        try:
            stream = open(file, "a", encoding="utf-8")
        except OSError as exc:
            print(f"warning: cannot open log file {file}: {exc.strerror}; logging to stderr", file=sys.stderr)
            stream = sys.stderr
    else:
        stream = sys.stderr
    handler = logging.StreamHandler(stream)
    if fmt == "json":
        handler.setFormatter(JsonFormatter(replica))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn logs one line per websocket handshake at INFO; keep them behind DEBUG.
    logging.getLogger("uvicorn.error").setLevel(max(root.level, logging.WARNING))
