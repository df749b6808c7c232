"""Go-style durations and booleans for fileclient's flags, variables and play files.

Thin re-export: the one parser lives in ``tokentool.durations`` (its docstring states the rule).
"""

from __future__ import annotations

from tokentool.durations import DurationError, parse_bool, parse_duration

__all__ = ["DurationError", "parse_bool", "parse_duration"]
