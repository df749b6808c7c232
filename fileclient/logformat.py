"""How received messages look in a log: Go RFC3339Nano timestamps and ``[time] content`` lines.

Pure: callers pass times in integer nanoseconds since the epoch.
"""

from __future__ import annotations

import base64
import time


def rfc3339nano(at_ns: int) -> str:
    """Format a UTC time as Go's ``time.RFC3339Nano`` does.

    Args:
        at_ns: nanoseconds since the Unix epoch.

    Returns:
        e.g. ``2022-03-13T19:15:32.0152Z``: trailing zeros of the fraction removed, no fraction
        when it is zero.
    """
    seconds, nanos = divmod(at_ns, 1_000_000_000)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    if nanos:
        stamp += "." + f"{nanos:09d}".rstrip("0")
    return stamp + "Z"


def as_text(data: str | bytes) -> str:
    """A message as one log field: text verbatim, binary as standard padded base64."""
    return data if isinstance(data, str) else base64.b64encode(data).decode("ascii")


def format_line(at_ns: int, content: str) -> str:
    """Return ``[<RFC3339Nano>] <content>\\n``, practable's log line."""
    return f"[{rfc3339nano(at_ns)}] {content}\n"
