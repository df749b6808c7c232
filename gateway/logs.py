"""Logging setup for the gateway process: JSON lines in production, text in development."""

from __future__ import annotations

import logging
import re
import sys
import time
from typing import TextIO

from relayclient import logs


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


def json_formatter(replica: str = "") -> logging.Formatter:
    """The shared JSON formatter with the gateway's keys: every ``extra=`` key, ``replica`` when set."""
    return logs.JsonFormatter(fields={"replica": replica})


def configure(*, level: str, fmt: str, file: str, replica: str = "") -> None:
    """Configure the root logger once, from settings (called only by ``__main__``).

    Raises:
        relayclient.logs.UnknownLevel: ``level`` is not a known level name.
    """
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
    number = logs.install(stream, level=level, formatter=json_formatter(replica) if fmt == "json" else None)
    # uvicorn logs one line per websocket handshake at INFO; keep them behind DEBUG.
    logging.getLogger("uvicorn.error").setLevel(max(number, logging.WARNING))
