"""What a redeemed one-time code grants: the checked claims of the token that asked for it.

Pure. Serialised as compact JSON into the code store.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


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
        raw = json.loads(data)
        raw["scopes"] = tuple(raw.get("scopes") or ())
        return cls(**raw)
