"""Configuration parsing for the gateway: byte sizes here; durations and booleans from tokentool."""

from __future__ import annotations

import re
from typing import Final

# The one duration and boolean parser of the project (its docstring states the rule).
from tokentool.durations import parse_bool, parse_duration

__all__ = ["parse_bool", "parse_duration", "parse_size"]

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
