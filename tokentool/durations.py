"""Go-style durations and booleans, as practable's viper/cobra configuration parses them.

Pure helpers shared by the token claims (human reasons) and the CLI (flag and env parsing).
No I/O and no environment reads here.
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
_TRUE: Final = frozenset({"1", "t", "true"})
_FALSE: Final = frozenset({"0", "f", "false"})


def parse_go_duration(text: str) -> float:
    """Parse a Go duration (``300ms``, ``1.5h``, ``2m45s``, ``-1h``) into seconds.

    Args:
        text: the duration; ``"0"`` alone is allowed, as in Go.

    Returns:
        The duration in seconds.

    Raises:
        ValueError: the text is not a Go duration.
    """
    s = text.strip()
    sign = 1.0
    if s[:1] in ("+", "-"):
        sign = -1.0 if s[0] == "-" else 1.0
        s = s[1:]
    if s == "0":
        return 0.0
    if not s:
        raise ValueError(f"invalid duration {text!r}")
    total = 0.0
    pos = 0
    while pos < len(s):
        match = _PART.match(s, pos)
        if match is None:
            raise ValueError(f"invalid duration {text!r}")
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos = match.end()
    return sign * total


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
    return int(parse_go_duration(s))


def parse_go_bool(text: str) -> bool:
    """Parse a boolean as Go's ``strconv.ParseBool`` does (``true/false/1/0/t/f``, any case).

    Args:
        text: the value.

    Returns:
        The boolean.

    Raises:
        ValueError: not one of the accepted spellings.
    """
    s = text.strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError(f"invalid boolean {text!r} (use true/false, 1/0 or t/f)")


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
