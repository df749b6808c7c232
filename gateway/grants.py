"""What a redeemed one-time code grants: the checked claims of the token that asked for it.

Pure. Serialised as compact JSON into the code store, which replicas of different versions
share during a rolling upgrade: reading ignores fields it does not know and defaults the ones
a writer left out, and anything it cannot read is an invalid code (4500), never a crash.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any

from gateway.errors import CodeRejected

REQUIRED = ("topic", "prefix", "scopes")


@dataclass(frozen=True, slots=True, kw_only=True)
class Grant:
    topic: str
    prefix: str
    scopes: tuple[str, ...]
    booking_id: str = ""
    expires_at: int = 0  # token exp, unix seconds
    not_before: int = 0  # token nbf, unix seconds (0 = none)
    issued_at: int = 0
    minted_at: float = 0.0  # when the code was minted (unix seconds); codes expire code_ttl later
    topic_salt: str = ""  # jump: appended to the topic to route a client's pair privately
    alert_host: bool = False  # jump: a client connection; alerts the host and waits for it to speak
    pair: str = ""  # jump: the alert uuid shared by a client connection and its host-side peer

    @property
    def can_read(self) -> bool:
        return "read" in self.scopes

    @property
    def can_write(self) -> bool:
        return "write" in self.scopes

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Grant:
        """Read a grant written by this or any other version of the gateway.

        Unknown fields are ignored and missing optional ones take their defaults.

        Raises:
            CodeRejected: not JSON, not an object, a required field missing or a field of the
                wrong type ("invalid code", as for an unknown code).
        """
        try:
            raw = json.loads(data)
        except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
            raise CodeRejected("invalid code") from exc
        if not isinstance(raw, dict) or any(name not in raw for name in REQUIRED):
            raise CodeRejected("invalid code")
        known: dict[str, Any] = {}
        for f in fields(cls):
            if f.name in raw:
                known[f.name] = _checked(f.name, raw[f.name])
        return cls(**known)


_STR = frozenset({"topic", "prefix", "booking_id", "topic_salt", "pair"})
_INT = frozenset({"expires_at", "not_before", "issued_at"})


def _checked(name: str, value: object) -> object:
    """``value`` as the type of field ``name`` (a new field needs a line here and in the round trip test)."""
    if name in _STR and isinstance(value, str):
        return value
    if name in _INT and isinstance(value, int) and not isinstance(value, bool):
        return value
    if name == "minted_at" and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if name == "alert_host" and isinstance(value, bool):
        return value
    if name == "scopes" and isinstance(value, list) and all(isinstance(s, str) for s in value):
        return tuple(value)
    raise CodeRejected("invalid code")
