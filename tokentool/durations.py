"""The one Go-style duration and boolean parser of the project, and the human duration format.

Every configuration surface (gateway settings, fileclient flags and play files, relayclient's stats
reports, tokentool) parses durations and booleans here, so a value means the same thing everywhere.
``tokentool`` is a leaf package that every other package may import (see the import contracts).

Durations follow Go's ``time.ParseDuration``: an optional single sign, then one or more
``<number><unit>`` parts with units ``ns``, ``us`` (or ``µs``/``μs``), ``ms``, ``s``, ``m``, ``h``;
numbers may have a fraction (``1.5h``, ``.5s``, ``1.s``). A unit is required except for a bare ``0``
(``+0``/``-0`` too). Surrounding whitespace is ignored; anything else is an error, including
``"5"``, ``"--5s"``, ``"1 s"``, ``"5x"`` and ``""``. Values beyond Go's int64 nanoseconds
(about 292 years) are refused, as Go refuses them.

Booleans follow Go's ``strconv.ParseBool`` (``1/t/true`` and ``0/f/false``) plus ``yes/on`` and
``no/off``, which the gateway has always accepted; any case, surrounding whitespace ignored. Anything
else, including the empty string, is an error: callers that treat an empty variable as unset (as
viper does) check for that before calling.

Pure: no I/O and no environment reads.
"""

from __future__ import annotations

import math
import re
from typing import Final

_UNIT_SECONDS: Final[dict[str, float]] = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,  # Go accepts both micro signs (U+00B5 and U+03BC)
    "μs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}
_PART: Final = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_UNITLESS: Final = re.compile(r"[+-]?(\d+(?:\.\d*)?|\.\d+)")
# Go's time.Duration is int64 nanoseconds.
_MAX_SECONDS: Final = (2**63 - 1) / 1e9
TRUE_WORDS: Final = ("1", "t", "true", "yes", "on")
FALSE_WORDS: Final = ("0", "f", "false", "no", "off")
_EXAMPLES: Final = "use e.g. 300ms, 1.5s, 2m45s"


class DurationError(ValueError):
    """The text is not a Go duration; the message says why in words a user can act on."""


def parse_duration(text: str) -> float:
    """Parse a Go duration (``300ms``, ``1.5h``, ``2m45s``, ``-5s``, ``0``) into seconds.

    Args:
        text: the duration; surrounding whitespace is ignored.

    Returns:
        The duration in seconds (negative with a leading ``-``).

    Raises:
        DurationError: empty, unit-less (``5``), a repeated sign (``--5s``), an unknown unit, or
            out of Go's range.
    """
    raw = text.strip()
    body = raw[1:] if raw[:1] in ("+", "-") else raw  # one sign at most, as in Go
    sign = -1.0 if raw[:1] == "-" else 1.0
    if body == "0":
        return 0.0
    if not raw:
        raise DurationError("empty duration")
    if _UNITLESS.fullmatch(raw):
        raise DurationError(f"invalid duration {raw!r}: it has no unit; write e.g. {body}s or {body}ms")
    if not body:
        raise DurationError(f"invalid duration {raw!r} ({_EXAMPLES})")
    total, pos = 0.0, 0
    while pos < len(body):
        match = _PART.match(body, pos)
        if match is None:
            raise DurationError(f"invalid duration {raw!r} ({_EXAMPLES})")
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos = match.end()
    if total > _MAX_SECONDS:
        raise DurationError(f"invalid duration {raw!r}: out of range (at most about 292 years)")
    return sign * total


def parse_bool(text: str) -> bool:
    """Parse a boolean: Go's ``strconv.ParseBool`` spellings plus ``yes/no`` and ``on/off``, any case.

    Args:
        text: the value; surrounding whitespace is ignored.

    Returns:
        The boolean.

    Raises:
        ValueError: any other spelling, including the empty string.
    """
    value = text.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ValueError(f"invalid boolean {text!r} (use true/false, yes/no, on/off or 1/0)")


# The names tokentool used before the parser was shared.
parse_go_duration = parse_duration
parse_go_bool = parse_bool


def parse_lifetime(text: str) -> int:
    """Parse a token lifetime: whole seconds (``3600``) or a Go duration (``1h30m``).

    Args:
        text: the value from a flag or environment variable.

    Returns:
        The lifetime in whole seconds (fractions are truncated, as Go's int64 seconds are).

    Raises:
        ValueError: neither an integer nor a Go duration.
    """
    s = text.strip()
    if re.fullmatch(r"[+-]?\d+", s):
        return int(s)
    return int(parse_duration(s))


def format_duration(seconds: float) -> str:
    """Format a duration as Go prints whole seconds (``59m59s``, ``1h0m0s``, ``10s``), with days over 24h.

    Args:
        seconds: a duration; the sign is ignored and fractions are truncated.

    Returns:
        The human form, e.g. ``3m12s``; ``2d3h0m0s`` for long durations.
    """
    if not math.isfinite(seconds):
        return "forever"
    total = int(abs(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d{hours}h{minutes}m{secs}s"
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{minutes}m{secs}s"
    return f"{secs}s"
