"""Tunnel rules (expose a local TCP service, e.g. sshd, through the relay) and jump's control messages.

Pure: no I/O, no asyncio. A tunnel keeps one management connection on ``access``
(``…/api/v1/connect/<host_id>``, a host-scope token); the relay announces each client there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Final

from hostd.rules import RuleError

DEFAULT_TARGET: Final = "127.0.0.1:22"
JUMP_RULE_ID: Final = "jump"  # the tunnel made from JUMP_HOST_* at start-up


def split_target(target: str) -> tuple[str, int]:
    """``host:port`` (``[v6]:port`` too) → (host, port); a bare port means localhost.

    Raises:
        RuleError: no valid port.
    """
    host, sep, port = target.rpartition(":")
    if not sep:
        host, port = "127.0.0.1", target
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise RuleError(f"tunnel target {target!r} must be host:port with a port from 1 to 65535")
    return host, int(port)


@dataclass(frozen=True, slots=True, kw_only=True)
class Tunnel:
    """Clients of ``access`` reach ``target`` on this machine, one TCP connection per session."""

    id: str
    access: str  # the host's access URL, .../api/v1/connect/<host_id>
    target: str = DEFAULT_TARGET  # host:port of the local service
    token: str = ""
    token_file: str = ""  # re-read at every reconnect of the management connection; wins over token

    def problems(self) -> list[str]:
        """Every reason this rule cannot run (empty when it can)."""
        found = []
        if not self.id:
            found.append("tunnel id is required")
        if not self.access.startswith(("http://", "https://")):
            found.append(f"tunnel {self.id}: access must be an http(s) URL (.../api/v1/connect/<host_id>)")
        if not (self.token or self.token_file):
            found.append(f"tunnel {self.id}: token or token_file is required")
        try:
            split_target(self.target)
        except RuleError as exc:
            found.append(f"tunnel {self.id}: {exc}")
        return found

    def to_json(self) -> dict[str, str]:
        body = {"id": self.id, "access": self.access, "target": self.target, "token": self.token}
        if self.token_file:
            body["token_file"] = self.token_file
        return body

    def redacted(self) -> dict[str, str]:
        body = self.to_json()
        if self.token:
            body["token"] = "<set>"
        return body

    @classmethod
    def from_json(cls, data: object) -> Tunnel:
        """Build and validate a rule from a decoded API/config body.

        Raises:
            RuleError: not an object, unknown keys, fields of the wrong type, or an invalid rule.
        """
        if not isinstance(data, dict):
            raise RuleError("tunnel rule must be a JSON object")
        unknown = set(data) - {"id", "access", "target", "token", "token_file"}
        if unknown:
            raise RuleError(f"tunnel rule has unknown keys {sorted(unknown)}")
        fields: dict[str, str] = {}
        for key in ("id", "access", "target", "token", "token_file"):
            value = data.get(key) or ""
            if not isinstance(value, str):
                raise RuleError(f"tunnel field {key!r} must be a string")
            fields[key] = value
        rule = cls(**{**fields, "target": fields["target"] or DEFAULT_TARGET})
        problems = rule.problems()
        if problems:
            raise RuleError("; ".join(problems))
        return rule


@dataclass(frozen=True, slots=True)
class Connect:
    """A client is waiting: dial ``uri`` (no access step), then the local service."""

    uri: str
    uuid: str


@dataclass(frozen=True, slots=True)
class Disconnect:
    """The client side of session ``uuid`` ended (jump's host ignored this; we close the session)."""

    uuid: str


def parse_action(message: str | bytes) -> Connect | Disconnect | None:
    """Decode one management message (reference 11.3); anything unusable is None (ignored)."""
    try:
        raw = json.loads(message)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(raw, dict):
        return None
    action, uri, uuid = raw.get("action"), raw.get("uri"), raw.get("uuid")
    if not isinstance(uuid, str) or not uuid:
        return None
    if action == "connect" and isinstance(uri, str) and uri.startswith(("ws://", "wss://")):
        return Connect(uri=uri, uuid=uuid)
    if action == "disconnect":
        return Disconnect(uuid=uuid)
    return None
