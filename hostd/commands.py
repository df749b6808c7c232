"""The websocket JSON control API of reference 8.6 (``VW_API``): one command in, one reply out.

Pure apart from applying the command through ``Control``. Replies use the original's shapes.
"""

from __future__ import annotations

import json
from typing import Final

from hostd.control import Control
from hostd.rules import ALL, DELETE_ALL, EMPTY_DESTINATION, Destination, RuleError, Stream, go_json

API_RULE: Final = "apiRule"
API_TOPIC: Final = "api"
UNRECOGNISED: Final = go_json({"error": "unrecognised Command"})


def api_rule(url: str) -> Destination:
    return Destination(id=API_RULE, stream=API_TOPIC, destination=url)


def _error(message: str) -> str:
    return go_json({"error": message})


async def handle(text: str | bytes, control: Control) -> str:
    """Apply one command and return the reply text."""
    try:
        command = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        return UNRECOGNISED
    if not isinstance(command, dict):
        return UNRECOGNISED
    verb, what, which = command.get("verb"), command.get("what"), command.get("which") or ""
    if verb == "healthcheck":
        return go_json({"healthcheck": "ok"})
    if what == "destination":
        return await _destination(verb, which, command, control)
    if what == "stream":
        return _stream(verb, which, command, control)
    return UNRECOGNISED


async def _destination(verb: object, which: str, command: dict[str, object], control: Control) -> str:
    rules = control.rules
    if verb == "add":
        try:
            rule = Destination.from_json(command.get("rule"))
        except RuleError as exc:
            return _error(str(exc))
        if rule.id == API_RULE:
            return _error("cannot replace apiRule")
        await control.put_destination(rule)
        return go_json(rule.to_json())
    if verb == "list":
        if which == ALL:
            return go_json(rules.destinations_json())
        return go_json(rules.destinations.get(which, EMPTY_DESTINATION).to_json())
    if verb == "delete" and which:
        if which == API_RULE:
            return _error("cannot delete apiRule")
        if which in (ALL, DELETE_ALL):
            # Unlike the original, the control channel itself stays up: no drop, no lost reply.
            for rule_id in [key for key in rules.destinations if key != API_RULE]:
                await control.delete_destination(rule_id)
            return go_json({"deleted": DELETE_ALL})
        await control.delete_destination(which)
        return go_json({"deleted": which})
    return UNRECOGNISED


def _stream(verb: object, which: str, command: dict[str, object], control: Control) -> str:
    if verb == "add":
        try:
            rule = Stream.from_json(command.get("rule"))
        except RuleError as exc:
            return _error(str(exc))
        control.put_stream(rule)
        return go_json(rule.to_json())
    if verb == "list" and which:
        if which == ALL:
            return go_json(control.rules.streams_json())
        feeds = control.rules.streams.get(which)
        return go_json({"feeds": list(feeds) if feeds is not None else None})
    if verb == "delete" and which:
        control.delete_stream(which)
        return go_json({"deleted": DELETE_ALL if which in (ALL, DELETE_ALL) else which})
    return UNRECOGNISED
