"""Tunnel rules, jump's control messages, JUMP_HOST_* settings, config, local API and session bookkeeping.

No sockets: the local API runs over httpx's ASGI transport and sessions are stand-ins.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from hostd.cli import render
from hostd.config import parse
from hostd.control import Control
from hostd.localapi import ApiOptions, LocalApi, create_app
from hostd.router import Router
from hostd.rules import RuleError
from hostd.settings import ConfigError, HostdSettings
from hostd.tunnel import TunnelLink, tunnel_tokens
from hostd.tunnelrules import DEFAULT_TARGET, Connect, Disconnect, Tunnel, parse_action, split_target
from relayclient.backoff import Backoff

ACCESS = "http://relay.example/api/v1/connect/lab1"
UUID = "3f2b1c4e-0000-4000-8000-000000000001"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            json.dumps({"action": "connect", "uri": "ws://r/connect/lab1/u?code=c", "uuid": UUID}),
            Connect(uri="ws://r/connect/lab1/u?code=c", uuid=UUID),
        ),
        (
            b'{"action":"connect","uri":"wss://r/connect/lab1/u?code=c","uuid":"a"}',
            Connect(uri="wss://r/connect/lab1/u?code=c", uuid="a"),
        ),
        (json.dumps({"action": "disconnect", "uri": "", "uuid": UUID}), Disconnect(uuid=UUID)),
        ('{"action":"connect","uri":"","uuid":"a"}', None),  # jump's host ignored an empty uri too
        ('{"action":"connect","uri":"http://r/x","uuid":"a"}', None),
        ('{"action":"connect","uri":"ws://r/x"}', None),  # no uuid: no way to end it later
        ('{"action":"reboot","uri":"ws://r/x","uuid":"a"}', None),
        ("[1,2]", None),
        ("not json", None),
        (b"\xff\xfe", None),
    ],
)
def test_parse_action(message: str | bytes, expected: Connect | Disconnect | None) -> None:
    assert parse_action(message) == expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("127.0.0.1:22", ("127.0.0.1", 22)),
        ("localhost:2222", ("localhost", 2222)),
        ("[::1]:22", ("::1", 22)),
        ("2200", ("127.0.0.1", 2200)),
    ],
)
def test_split_target(target: str, expected: tuple[str, int]) -> None:
    assert split_target(target) == expected


@pytest.mark.parametrize("target", ["host:0", "host:70000", "host:ssh", "host:", ""])
def test_split_target_refuses_bad_ports(target: str) -> None:
    with pytest.raises(RuleError, match="port"):
        split_target(target)


def test_tunnel_from_json_defaults_the_target_to_local_sshd() -> None:
    rule = Tunnel.from_json({"id": "ssh", "access": ACCESS, "token": "jwt"})
    assert rule == Tunnel(id="ssh", access=ACCESS, token="jwt", target=DEFAULT_TARGET)
    assert DEFAULT_TARGET == "127.0.0.1:22"
    assert rule.redacted() == {"id": "ssh", "access": ACCESS, "target": DEFAULT_TARGET, "token": "<set>"}


def test_tunnel_from_json_lists_every_problem() -> None:
    with pytest.raises(RuleError) as caught:
        Tunnel.from_json({"id": "ssh", "access": "ws://r/x", "target": "x:y"})
    message = str(caught.value)
    assert "access must be an http(s) URL" in message
    assert "token or token_file is required" in message
    assert "must be host:port" in message


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ([], "JSON object"),
        ({"id": "ssh", "access": ACCESS, "token": "t", "port": 22}, "unknown keys"),
        ({"id": "ssh", "access": ACCESS, "token": 5}, "must be a string"),
    ],
)
def test_tunnel_from_json_refuses_malformed_bodies(body: object, match: str) -> None:
    with pytest.raises(RuleError, match=match):
        Tunnel.from_json(body)


def test_token_file_wins_and_is_re_read(tmp_path: Path) -> None:
    path = tmp_path / "host.jwt"
    path.write_text("one\n")
    tokens = tunnel_tokens(Tunnel(id="ssh", access=ACCESS, token="literal", token_file=str(path)))
    assert tokens.read() == "one"
    path.write_text("two")
    assert tokens.read() == "two"
    assert tunnel_tokens(Tunnel(id="ssh", access=ACCESS, token="literal")).read() == "literal"


def test_config_tunnels_resolve_relative_token_files(tmp_path: Path) -> None:
    config = parse(
        {"tunnels": [{"id": "ssh", "access": ACCESS, "token_file": "host.jwt", "target": "127.0.0.1:2222"}]},
        base=tmp_path,
    )
    assert config.tunnels == (
        Tunnel(id="ssh", access=ACCESS, token_file=str(tmp_path / "host.jwt"), target="127.0.0.1:2222"),
    )


def test_config_tunnel_problems_are_reported_together() -> None:
    with pytest.raises(ConfigError) as caught:
        parse(
            {
                "tunnels": [
                    {"id": "a", "access": ACCESS, "token": "t"},
                    {"id": "a", "access": ACCESS, "token": "t"},
                    {"id": "b", "access": ACCESS},
                ]
            }
        )
    assert "duplicate tunnel id 'a'" in str(caught.value)
    assert "tunnel 2: tunnel b: token or token_file is required" in str(caught.value)
    with pytest.raises(ConfigError, match="tunnels must be a list"):
        parse({"tunnels": {"id": "a"}})


def test_jump_host_environment_makes_one_tunnel() -> None:
    settings = HostdSettings.from_env(
        {"JUMP_HOST_ACCESS": ACCESS, "JUMP_HOST_TOKEN": "jwt", "JUMP_HOST_LOCAL_PORT": "2222"}
    )
    assert settings.jump_tunnel() == Tunnel(id="jump", access=ACCESS, token="jwt", target="localhost:2222")
    default = HostdSettings.from_env({"JUMP_HOST_ACCESS": ACCESS, "JUMP_HOST_TOKEN": "jwt"})
    assert default.jump_tunnel() is not None and default.jump_tunnel().target == "localhost:22"  # type: ignore[union-attr]
    assert HostdSettings.from_env({}).jump_tunnel() is None


@pytest.mark.parametrize(
    ("environ", "match"),
    [
        ({"JUMP_HOST_ACCESS": ACCESS}, "must be set together"),
        ({"JUMP_HOST_TOKEN": "jwt"}, "must be set together"),
        ({"JUMP_HOST_ACCESS": "ws://r/x", "JUMP_HOST_TOKEN": "jwt"}, "access must be an http"),
        ({"JUMP_HOST_ACCESS": ACCESS, "JUMP_HOST_TOKEN": "jwt", "JUMP_HOST_LOCAL_PORT": "ssh"}, "number"),
        ({"JUMP_HOST_ACCESS": ACCESS, "JUMP_HOST_TOKEN": "jwt", "JUMP_HOST_LOCAL_PORT": "0"}, "port"),
    ],
)
def test_jump_host_environment_problems(environ: dict[str, str], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        HostdSettings.from_env(environ)


def test_status_rendering_shows_tunnels() -> None:
    text = render(
        {
            "tunnels": {
                "ssh": {
                    "rule": {"access": ACCESS, "target": "127.0.0.1:22"},
                    "state": "connected",
                    "live_sessions": 2,
                    "sessions": 5,
                    "failed_sessions": 1,
                    "connects": 1,
                    "last_error": "AccessError: refused",
                }
            }
        }
    )
    assert f"  ssh: connected  {ACCESS} -> 127.0.0.1:22  live=2 sessions=5 failed=1 connects=1" in text
    assert "      last error: AccessError: refused" in text
    assert "tunnels:\n  (none)" in render({})


class HeldSessions(TunnelLink):
    """A link whose sessions just wait to be ended, so the bookkeeping is tested without sockets."""

    def __init__(self) -> None:
        super().__init__(Tunnel(id="ssh", access=ACCESS, token="t"))
        self.started: list[str] = []
        self.ended: list[str] = []

    async def _session(self, action: Connect) -> None:
        self.started.append(action.uuid)
        try:
            await asyncio.Event().wait()
        finally:
            self.ended.append(action.uuid)


async def test_connect_starts_one_session_per_uuid_and_disconnect_ends_it() -> None:
    link = HeldSessions()
    link._start(Connect(uri="ws://r/connect/lab1/a?code=1", uuid="a"))
    link._start(Connect(uri="ws://r/connect/lab1/b?code=2", uuid="b"))
    link._start(Connect(uri="ws://r/connect/lab1/a?code=1", uuid="a"))  # repeated: ignored
    await asyncio.sleep(0)  # let the session tasks start
    assert (link.started, link.live, link.sessions_total) == (["a", "b"], 2, 2)
    link._end("a")
    link._end("unknown")  # a disconnect for a session we never had: nothing happens
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert (link.ended, link.live) == (["a"], 1)
    await link._end_all()
    assert (sorted(link.ended), link.live) == (["a", "b"], 0)
    assert link.status()["live_sessions"] == 0


@pytest.fixture
async def api() -> AsyncIterator[tuple[httpx.AsyncClient, Control]]:
    # A backoff long enough that no management connection is attempted twice during a test.
    control = Control(Router(), backoff=lambda: Backoff(minimum=30.0, maximum=30.0, jitter=0))
    app = create_app(LocalApi(control, control.router, ApiOptions(ts_idle=0.001, ts_max_frame=1000)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hostd") as client:
        yield client, control
    await control.close()


async def test_local_api_adds_lists_gets_and_deletes_tunnels(api: tuple[httpx.AsyncClient, Control]) -> None:
    client, control = api
    rule = {"id": "ssh", "access": "http://127.0.0.1:9/api/v1/connect/lab1", "token": "secret.jwt"}
    reply = await client.put("/api/tunnels", json=rule)
    assert reply.status_code == 200
    assert reply.json() == {**rule, "token": "<set>", "target": "127.0.0.1:22"}
    assert control.tunnel("ssh") is not None
    listed = (await client.get("/api/tunnels")).json()
    assert listed == (await client.get("/api/tunnels/all")).json()
    assert "secret.jwt" not in json.dumps(listed)
    one = (await client.get("/api/tunnels/ssh")).json()
    assert one["rule"]["id"] == "ssh" and one["live_sessions"] == 0
    status = (await client.get("/api/status")).json()
    assert status["tunnels"]["ssh"]["rule"]["token"] == "<set>"
    assert (await client.delete("/api/tunnels/ssh")).json() == "ssh"
    assert control.tunnel("ssh") is None
    assert (await client.get("/api/tunnels/ssh")).status_code == 404
    assert (await client.delete("/api/tunnels/ssh")).status_code == 404


async def test_local_api_refuses_bad_tunnels_and_deletes_all(api: tuple[httpx.AsyncClient, Control]) -> None:
    client, control = api
    reply = await client.post("/api/tunnels", json={"id": "ssh", "access": "ws://x"})
    assert reply.status_code == 400 and "access must be an http(s) URL" in reply.text
    reply = await client.post("/api/tunnels", json={"id": "all", "access": ACCESS, "token": "t"})
    assert reply.status_code == 400 and "reserved" in reply.text
    for name in ("a", "b"):
        await client.put("/api/tunnels", json={"id": name, "access": ACCESS, "token": "t"})
    assert sorted((await client.get("/api/tunnels")).json()) == ["a", "b"]
    assert (await client.delete("/api/tunnels/all")).json() == "deleteAll"
    assert (await client.get("/api/tunnels")).json() == {}
    assert control.tunnel("a") is None
