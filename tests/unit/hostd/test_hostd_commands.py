"""The websocket JSON control API (reference 8.6), driven without sockets."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from hostd.commands import api_rule, handle
from hostd.control import Control
from hostd.router import Router
from relayclient.backoff import Backoff

RULE = {"id": "1", "stream": "data", "destination": "ws://127.0.0.1:9/x", "token": "", "file": ""}


@pytest.fixture
async def control() -> AsyncIterator[Control]:
    control = Control(Router(), backoff=lambda: Backoff(minimum=30.0, maximum=30.0, jitter=0))
    await control.put_destination(api_rule("ws://127.0.0.1:9/api"))
    yield control
    await control.close()


async def cmd(control: Control, **command: object) -> str:
    return await handle(json.dumps(command), control)


async def test_healthcheck(control: Control) -> None:
    assert await cmd(control, verb="healthcheck") == '{"healthcheck":"ok"}'


async def test_add_list_delete_destination(control: Control) -> None:
    rule_json = '{"id":"1","stream":"data","destination":"ws://127.0.0.1:9/x","token":"","file":""}'
    assert await cmd(control, verb="add", what="destination", rule=RULE) == rule_json
    assert await cmd(control, verb="list", what="destination", which="1") == rule_json
    listed = json.loads(await cmd(control, verb="list", what="destination", which="all"))
    assert sorted(listed) == ["1", "apiRule"]
    assert await cmd(control, verb="delete", what="destination", which="1") == '{"deleted":"1"}'
    assert await cmd(control, verb="list", what="destination", which="1") == (
        '{"id":"","stream":"","destination":"","token":"","file":""}'
    )


async def test_api_rule_cannot_be_deleted_and_survives_delete_all(control: Control) -> None:
    assert await cmd(control, verb="delete", what="destination", which="apiRule") == (
        '{"error":"cannot delete apiRule"}'
    )
    await cmd(control, verb="add", what="destination", rule=RULE)
    assert await cmd(control, verb="delete", what="destination", which="all") == '{"deleted":"deleteAll"}'
    assert list(control.rules.destinations) == ["apiRule"]


async def test_streams(control: Control) -> None:
    rule = {"stream": "stream/s", "feeds": ["a", "b"]}
    assert (
        await cmd(control, verb="add", what="stream", rule=rule) == '{"stream":"stream/s","feeds":["a","b"]}'
    )
    assert await cmd(control, verb="list", what="stream", which="stream/s") == '{"feeds":["a","b"]}'
    assert await cmd(control, verb="list", what="stream", which="stream/x") == '{"feeds":null}'
    assert await cmd(control, verb="list", what="stream", which="all") == '{"stream/s":["a","b"]}'
    assert await cmd(control, verb="delete", what="stream", which="all") == '{"deleted":"deleteAll"}'


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"verb":"fly"}',
        '{"verb":"list","what":"gizmo"}',
        '{"verb":"delete","what":"destination"}',
    ],
)
async def test_unrecognised_commands(control: Control, text: str) -> None:
    assert await handle(text, control) == '{"error":"unrecognised Command"}'
