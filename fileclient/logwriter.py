"""Where received messages are written: a reopenable file (or stdout) in text, base64 or raw mode.

``Output.reopen()`` is what SIGHUP calls, so logrotate can ``mv log log.1; kill -HUP pid``.
Writes are synchronous and flushed per message: a log line is on disk when ``message()`` returns.
"""

from __future__ import annotations

import base64
import logging
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from fileclient.logformat import as_text, format_line

log = logging.getLogger(__name__)


class Mode(StrEnum):
    TEXT = "text"  # [time] text, binary messages as base64 (practable's text mode)
    BASE64 = "base64"  # [time] base64 of every message: one line per message, always
    BINARY = "binary"  # payloads raw and concatenated, nothing else (practable's binary mode)


def parse_mode(text: str) -> Mode:
    """Parse a mode name, trimmed and case-insensitive; ``raw`` means ``binary``.

    Raises:
        ValueError: an unknown mode.
    """
    value = text.strip().lower()
    if value == "raw":
        return Mode.BINARY
    try:
        return Mode(value)
    except ValueError:
        raise ValueError(f"unknown mode {text!r}; use text, base64 or binary") from None


class Output:
    """A byte sink: a file opened for append (reopened on demand) or a borrowed stream."""

    def __init__(self, path: Path | None, *, stream: BinaryIO | None = None) -> None:
        if path is None and stream is None:
            raise ValueError("Output needs a path or a stream")
        self.path = path  # set once; None means write to ``stream``
        self._stream = stream
        self._file: BinaryIO | None = self._open() if path is not None else None

    def _open(self) -> BinaryIO:
        assert self.path is not None
        return self.path.open("ab")

    def write(self, data: bytes) -> None:
        target = self._file if self._file is not None else self._stream
        assert target is not None
        target.write(data)
        target.flush()

    def reopen(self) -> None:
        """Close and reopen the file at the same path (a no-op for a stream).

        A failure is logged and the old file kept, so no message is lost to a bad rotation.
        """
        if self.path is None or self._file is None:
            return
        try:
            new = self._open()
        except OSError as exc:
            log.error("cannot reopen %s (%s); still writing to the old file", self.path, exc.strerror)
            return
        old, self._file = self._file, new
        old.close()
        log.info("reopened %s", self.path)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


class LogWriter:
    """Formats messages and echo comments for an ``Output`` according to a ``Mode``."""

    def __init__(self, output: Output, mode: Mode) -> None:
        self._output = output
        self._mode = mode

    @property
    def mode(self) -> Mode:
        return self._mode

    def message(self, at_ns: int, data: str | bytes) -> None:
        """Write a received message."""
        if self._mode is Mode.BINARY:
            self._output.write(data.encode() if isinstance(data, str) else data)
            return
        if self._mode is Mode.BASE64:
            raw = data.encode() if isinstance(data, str) else data
            content = base64.b64encode(raw).decode("ascii")
        else:
            content = as_text(data)
        self._output.write(format_line(at_ns, content).encode())

    def echo(self, at_ns: int, text: str) -> None:
        """Write an echo comment (``#+``) as a line; raw binary logs have no lines, so skip it."""
        if self._mode is not Mode.BINARY:
            self._output.write(format_line(at_ns, text).encode())
