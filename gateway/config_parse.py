"""Go-style parsing of durations and booleans, as practable's viper settings accept them."""

from __future__ import annotations

import re
from typing import Final

_UNITS: Final = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_PART: Final = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")


def parse_duration(text: str) -> float:
    """Parse ``300ms``, ``1.5h`` or ``2m45s`` into seconds; a bare ``0`` is zero.

    Raises:
        ValueError: the text is not a Go duration (a unit is required, as in Go).
    """
    text = text.strip()
    sign = -1.0 if text.startswith("-") else 1.0
    body = text[1:] if text[:1] in ("+", "-") else text  # Go takes one sign at most
    if body == "0":
        return 0.0
    pos, total = 0, 0.0
    while pos < len(body):
        match = _PART.match(body, pos)
        if match is None:
            raise ValueError(f"invalid duration {text!r} (use e.g. 300ms, 5s, 1m30s)")
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if not body:
        raise ValueError("empty duration")
    return sign * total


_SIZE: Final = re.compile(r"(\d+)\s*([KMG]i?B?|B)?", re.IGNORECASE)
_SIZE_UNITS: Final = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def parse_size(text: str) -> int:
    """Parse a byte count: ``1048576``, ``512KiB``, ``64MiB``, ``1G`` (binary units, any case).

    Raises:
        ValueError: not a whole number of bytes with an optional unit.
    """
    match = _SIZE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"invalid size {text!r} (use e.g. 1048576, 512KiB, 64MiB, 1GiB)")
    unit = (match.group(2) or "")[:1].lower()
    return int(match.group(1)) * _SIZE_UNITS[unit]


def parse_bool(text: str) -> bool:
    """Parse Go's strconv.ParseBool forms (1/t/true/0/f/false, any case)."""
    value = text.strip().lower()
    if value in ("1", "t", "true", "yes", "on"):
        return True
    if value in ("0", "f", "false", "no", "off", ""):
        return False
    raise ValueError(f"invalid boolean {text!r} (use true or false)")
