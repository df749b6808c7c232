"""The one log-level map and the one JSON log formatter of every Relay program.

gateway, hostd and fileclient all import this module (relayclient imports neither the server nor
its frameworks, so the import contracts let all three use it). Level names are practable's
(``trace`` .. ``panic``) plus Python's; an unknown name is an error naming the accepted ones, the
same in every program.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Collection, Mapping
from types import MappingProxyType
from typing import Final, TextIO

LEVELS: Final[Mapping[str, int]] = MappingProxyType(
    {
        "trace": logging.DEBUG,
        "debug": logging.DEBUG,
        "info": logging.INFO,
        "warn": logging.WARNING,
        "warning": logging.WARNING,
        "error": logging.ERROR,
        "fatal": logging.CRITICAL,
        "panic": logging.CRITICAL,
        "critical": logging.CRITICAL,
    }
)
ACCEPTED: Final = ", ".join(LEVELS)

TEXT_FORMAT: Final = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# Attributes every LogRecord has; anything else came in through ``extra=``.
_STANDARD: Final = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "taskName",
}


class UnknownLevel(ValueError):
    """A log level name that is not in :data:`LEVELS`; the message names the accepted ones."""

    def __init__(self, given: object) -> None:
        super().__init__(f"unknown level {given!r} (use one of {ACCEPTED})")
        self.given = given


def parse_level(value: str | int) -> int:
    """The ``logging`` level of a level name (any case, surrounding blanks ignored) or number.

    Raises:
        UnknownLevel: ``value`` is not a name in :data:`LEVELS` nor a standard ``logging`` level.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if value in LEVELS.values():
            return value
        raise UnknownLevel(value)
    level = LEVELS.get(str(value).strip().lower())
    if level is None:
        raise UnknownLevel(value)
    return level


def level_name(value: str | int) -> str:
    """Python's lower-case name for ``value``'s level: ``"warn"`` -> ``"warning"``.

    Raises:
        UnknownLevel: as :func:`parse_level`.
    """
    return logging.getLevelName(parse_level(value)).lower()


def millis_utc(record: logging.LogRecord) -> str:
    """``2024-05-01T12:00:00.123Z``: RFC 3339, UTC, milliseconds."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"


class JsonFormatter(logging.Formatter):
    """One JSON object per record: ``time``, ``level``, ``logger``, ``msg``, then extras.

    Args:
        fields: constant keys added to every line (the gateway's ``replica``); empty values are left out.
        extras: which ``extra=`` keys to copy; ``None`` copies every one not starting with ``_``.
        exc_key: the key of an exception's traceback text.
        timestamp: formats ``time`` (default :func:`millis_utc`).
    """

    def __init__(
        self,
        *,
        fields: Mapping[str, str] | None = None,
        extras: Collection[str] | None = None,
        exc_key: str = "exc",
        timestamp: Callable[[logging.LogRecord], str] = millis_utc,
    ) -> None:
        super().__init__()
        self._fields = {key: value for key, value in (fields or {}).items() if value}
        self._extras = extras
        self._exc_key = exc_key
        self._timestamp = timestamp

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": self._timestamp(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update(self._fields)
        if self._extras is None:
            entry.update(
                (key, value)
                for key, value in record.__dict__.items()
                if key not in _STANDARD and not key.startswith("_")
            )
        else:
            entry.update((key, getattr(record, key)) for key in self._extras if hasattr(record, key))
        if record.exc_info:
            entry[self._exc_key] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def install(stream: TextIO, *, level: str | int, formatter: logging.Formatter | None = None) -> int:
    """Make one handler on ``stream`` the root logger's only one; return the level set.

    ``formatter`` defaults to the plain-text development format.

    Raises:
        UnknownLevel: as :func:`parse_level` (before anything is changed).
    """
    number = parse_level(level)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter or logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(number)
    return number
