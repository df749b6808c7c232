"""The log filter of a play script: which received messages get written.

Pure. Semantics as practable: no patterns pass everything; a deny match drops; an accept match
passes; anything else drops (so deny-only filters drop everything, as in the original).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fileclient.playfile import FilterCommand, FilterVerb


@dataclass(slots=True)
class Filter:
    """Accept and deny patterns, keyed by their source text (duplicates collapse)."""

    accept: dict[str, re.Pattern[str]] = field(default_factory=dict)  # owned by the player
    deny: dict[str, re.Pattern[str]] = field(default_factory=dict)  # owned by the player

    def apply(self, command: FilterCommand) -> None:
        """Add a pattern, or clear every pattern on reset."""
        if command.verb is FilterVerb.RESET or command.pattern is None:
            self.accept.clear()
            self.deny.clear()
        elif command.verb is FilterVerb.ACCEPT:
            self.accept[command.pattern.pattern] = command.pattern
        else:
            self.deny[command.pattern.pattern] = command.pattern

    def passes(self, text: str) -> bool:
        """Return whether a received message (as logged text) should be written."""
        if not self.accept and not self.deny:
            return True
        if any(p.search(text) for p in self.deny.values()):
            return False
        return any(p.search(text) for p in self.accept.values())
