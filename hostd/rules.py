"""The rule model of the local API: destinations and streams, as practable's ``relay host`` has them.

Pure: no I/O, no asyncio. Also owns the exact JSON shapes of reference 8.2 (Go's encoding/json:
compact, map keys sorted, ``<``, ``>``, ``&`` escaped), so the API layer only moves bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

DELETE_ALL: Final = "deleteAll"  # reserved id/stream name (reference 8.2)
ALL: Final = "all"  # the path segment of the delete-all and list-all routes
STREAM_PREFIX: Final = "stream/"
FEED_PATTERN: Final = re.compile(r"^[a-zA-Z0-9\-/]+$")  # as the original's /ts and /ws routes


class RuleError(ValueError):
    """A rule body is malformed; the API answers 500 with this text, as the original."""


def go_json(value: object) -> str:
    """Encode like Go's ``json.Marshal``: compact, sorted map keys, HTML characters escaped."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=False)
    # Safe on the whole text: these characters can only occur inside JSON strings.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _sorted(mapping: Mapping[str, Any]) -> dict[str, Any]:
    return {key: mapping[key] for key in sorted(mapping)}


@dataclass(frozen=True, slots=True, kw_only=True)
class Destination:
    """Connect the local ``stream`` (a feed or a ``stream/...``) to one remote websocket.

    With ``token`` or ``token_file`` set, ``destination`` is the access URL of a session
    (``https://.../session/<topic>``); without, it is a ``ws://``/``wss://`` URL dialled directly.
    """

    id: str
    stream: str
    destination: str
    token: str = ""
    file: str = ""  # append every payload sent to this path, if set
    token_file: str = ""  # new in hostd: re-read at every reconnect

    @property
    def authenticated(self) -> bool:
        return bool(self.token or self.token_file)

    def to_json(self) -> dict[str, str]:
        """The five keys of the original, in its order; ``token_file`` only when used."""
        body = {
            "id": self.id,
            "stream": self.stream,
            "destination": self.destination,
            "token": self.token,
            "file": self.file,
        }
        if self.token_file:
            body["token_file"] = self.token_file
        return body

    def redacted(self) -> dict[str, str]:
        """As ``to_json`` but without the token itself (for status output and logs)."""
        body = self.to_json()
        if self.token:
            body["token"] = "<set>"
        return body

    @classmethod
    def from_json(cls, data: object) -> Destination:
        """Build a rule from a decoded API/config body; leading ``/`` of stream trimmed.

        Raises:
            RuleError: not an object, or a field is not a string.
        """
        if not isinstance(data, dict):
            raise RuleError("destination rule must be a JSON object")
        fields: dict[str, str] = {}
        for key in ("id", "stream", "destination", "token", "file", "token_file"):
            value = data.get(key, "")
            if value is None:
                value = ""
            if not isinstance(value, str):
                raise RuleError(f"destination field {key!r} must be a string")
            fields[key] = value
        fields["stream"] = fields["stream"].lstrip("/")
        return cls(**fields)


EMPTY_DESTINATION: Final = Destination(id="", stream="", destination="")


@dataclass(frozen=True, slots=True, kw_only=True)
class Stream:
    """A ``stream/...`` name whose subscribers get the messages of every listed feed."""

    stream: str
    feeds: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"stream": self.stream, "feeds": list(self.feeds)}

    @classmethod
    def from_json(cls, data: object) -> Stream:
        """Build a stream rule from a decoded body; leading ``/`` of the name trimmed.

        Raises:
            RuleError: not an object, or fields of the wrong type.
        """
        if not isinstance(data, dict):
            raise RuleError("stream rule must be a JSON object")
        name = data.get("stream", "")
        feeds = data.get("feeds") or []
        if not isinstance(name, str):
            raise RuleError("stream field 'stream' must be a string")
        if not isinstance(feeds, list) or not all(isinstance(feed, str) for feed in feeds):
            raise RuleError("stream field 'feeds' must be a list of strings")
        return cls(stream=name.lstrip("/"), feeds=tuple(feed.lstrip("/") for feed in feeds))


def parse_body(raw: bytes) -> object:
    """Decode a JSON request body.

    Raises:
        RuleError: the body is not JSON.
    """
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RuleError(str(exc)) from exc


class Rules:
    """The current destinations and streams. Owned by the daemon's ``Control``; not thread-safe."""

    def __init__(self) -> None:
        self.destinations: dict[str, Destination] = {}
        self.streams: dict[str, tuple[str, ...]] = {}

    def put_destination(self, rule: Destination) -> bool:
        """Add or replace; returns False (and changes nothing) for the reserved id ``deleteAll``."""
        if rule.id == DELETE_ALL:
            return False
        self.destinations[rule.id] = rule
        return True

    def delete_destination(self, rule_id: str) -> list[str]:
        """Delete one rule, or all for ``deleteAll``/``all``; returns the ids removed."""
        if rule_id in (DELETE_ALL, ALL):
            removed = list(self.destinations)
            self.destinations.clear()
            return removed
        return [rule_id] if self.destinations.pop(rule_id, None) is not None else []

    def put_stream(self, rule: Stream) -> bool:
        if rule.stream == DELETE_ALL:
            return False
        self.streams[rule.stream] = rule.feeds
        return True

    def delete_stream(self, name: str) -> list[str]:
        if name in (DELETE_ALL, ALL):
            removed = list(self.streams)
            self.streams.clear()
            return removed
        return [name] if self.streams.pop(name, None) is not None else []

    def destinations_json(self) -> dict[str, dict[str, str]]:
        return _sorted({key: rule.to_json() for key, rule in self.destinations.items()})

    def streams_json(self) -> dict[str, list[str]]:
        return _sorted({key: list(feeds) for key, feeds in self.streams.items()})
