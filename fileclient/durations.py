"""Go-style durations (``300ms``, ``1.5h``, ``2m45s``) and booleans for flags, env and play files.

Pure: no I/O. A unit is required, as in Go; only a bare ``0`` may omit it.
"""

from __future__ import annotations

import re
from typing import Final

_UNITS: Final = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_PART: Final = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_UNITLESS: Final = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


class DurationError(ValueError):
    """The text is not a Go duration; the message says why in words a user can act on."""


def parse_duration(text: str) -> float:
    """Parse a Go duration into seconds.

    Args:
        text: e.g. ``300ms``, ``1.5s``, ``2m45s``, ``1h5.3m0.5s`` or a bare ``0``.

    Returns:
        The duration in seconds (negative if the text starts with ``-``).

    Raises:
        DurationError: empty, unit-less (``0.1``) or otherwise not a Go duration.
    """
    raw = text.strip()
    body = raw.lstrip("+-")
    sign = -1.0 if raw.startswith("-") else 1.0
    if body == "0":
        return 0.0
    if not body:
        raise DurationError("empty duration")
    if _UNITLESS.fullmatch(raw):
        raise DurationError(f"duration {raw!r} has no unit; write e.g. {body}s or {body}ms")
    total, pos = 0.0, 0
    while pos < len(body):
        match = _PART.match(body, pos)
        if match is None:
            raise DurationError(f"invalid duration {raw!r} (use e.g. 300ms, 1.5s, 2m45s)")
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    return sign * total


def parse_bool(text: str) -> bool:
    """Parse Go's ``strconv.ParseBool`` spellings (``1/t/true/0/f/false``, any case).

    Raises:
        ValueError: any other spelling.
    """
    value = text.strip().lower()
    if value in ("1", "t", "true"):
        return True
    if value in ("0", "f", "false"):
        return False
    raise ValueError(f"invalid boolean {text!r} (use true or false)")
