"""ssh-proxy and forward: settings (flags over RELAY_/JUMP_ environment), exit reasons, the typer commands."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pytest
import typer
from typer.testing import CliRunner

from fileclient.cli import EXIT_CONFIG, Runners, build_app
from fileclient.settings import (
    ConfigError,
    ConnectSettings,
    ForwardSettings,
    SshProxySettings,
    forward_settings,
    ssh_proxy_settings,
)
from fileclient.tunnel import describe_end, ssh_proxy
from relayclient.pipe import PipeStats
from relayclient.tokens import TokenSource

ACCESS = "https://relay.example/api/v1/connect/lab1"
JUMP_ENV = {"JUMP_CLIENT_RELAY_SESSION": ACCESS, "JUMP_CLIENT_TOKEN": "jump.jwt"}


def test_jump_client_environment_is_enough() -> None:
    settings = ssh_proxy_settings(JUMP_ENV)
    assert settings.connect.access_url == ACCESS
    assert settings.connect.tokens == TokenSource(env_var="JUMP_CLIENT_TOKEN")
    assert settings.log_level == "warning"  # stderr is the user's terminal under ssh


def test_flags_win_and_relay_token_wins_over_jump_token(tmp_path: Path) -> None:
    env = {**JUMP_ENV, "RELAY_CLIENT_TOKEN": "relay.jwt"}
    assert ssh_proxy_settings(env).connect.tokens == TokenSource(env_var="RELAY_CLIENT_TOKEN")
    path = tmp_path / "client.jwt"
    settings = ssh_proxy_settings(
        env, access="http://other/api/v1/connect/x", token_file=str(path), verbose=True
    )
    assert settings.connect == ConnectSettings(
        access_url="http://other/api/v1/connect/x", tokens=TokenSource(path=path)
    )
    assert settings.log_level == "info"
    assert ssh_proxy_settings(env, token="flag.jwt").connect.tokens == TokenSource(value="flag.jwt")


def test_missing_access_and_token_are_reported_together() -> None:
    with pytest.raises(ConfigError) as caught:
        ssh_proxy_settings({})
    problems = str(caught.value).splitlines()
    assert len(problems) == 2
    assert "--access or JUMP_CLIENT_RELAY_SESSION" in problems[0]
    assert "JUMP_CLIENT_TOKEN" in problems[1]
    with pytest.raises(ConfigError, match="must start with http"):
        ssh_proxy_settings({**JUMP_ENV, "JUMP_CLIENT_RELAY_SESSION": "ws://relay/connect/lab1"})
    with pytest.raises(ConfigError, match="not both"):
        ssh_proxy_settings(JUMP_ENV, token="a", token_file="b")


def test_forward_defaults_to_loopback_8082() -> None:
    settings = forward_settings(JUMP_ENV)
    assert (settings.bind, settings.port) == ("127.0.0.1", 8082)
    assert forward_settings({**JUMP_ENV, "JUMP_CLIENT_LOCAL_PORT": "2222"}).port == 2222
    assert forward_settings({**JUMP_ENV, "JUMP_CLIENT_LOCAL_PORT": "2222"}, port=0, bind="::1").port == 0
    assert forward_settings(JUMP_ENV, bind="0.0.0.0").bind == "0.0.0.0"


@pytest.mark.parametrize(("environ", "port"), [({"JUMP_CLIENT_LOCAL_PORT": "ssh"}, None), ({}, 70000)])
def test_forward_port_problems(environ: dict[str, str], port: int | None) -> None:
    with pytest.raises(ConfigError, match="port"):
        forward_settings({**JUMP_ENV, **environ}, port=port)


def ended(code: int | None, reason: str = "", *, by: str = "websocket", received: int = 100) -> str | None:
    ws = SimpleNamespace(close_code=code, close_reason=reason)
    return describe_end(ws, PipeStats(from_ws=received, ended_by=by))  # type: ignore[arg-type]


def test_describe_end() -> None:
    assert ended(1000) is None
    assert ended(1001) is None
    assert ended(None, by="stream") is None  # ssh closed its side: the normal end
    assert ended(4503) == "relay closed the session (4503 booking revoked)"
    assert ended(4502) == "relay closed the session (4502 session expired)"
    assert (
        ended(1011, "cannot reach 127.0.0.1:22")
        == "relay closed the session (1011 cannot reach 127.0.0.1:22)"
    )
    assert ended(None) == "relay closed the session (None no close frame)"
    assert ended(1000, "peer disconnected", received=0) == (
        "the session ended before the lab answered (1000 peer disconnected)"
    )


class Writer:
    closed = False

    def write(self, data: bytes) -> None:
        raise AssertionError("nothing may be written")

    async def drain(self) -> None:
        return None

    def close(self) -> None:
        self.closed = True

    async def wait_closed(self) -> None:
        return None


async def test_ssh_proxy_without_a_token_fails_with_a_message_and_no_output(tmp_path: Path) -> None:
    connect = ConnectSettings(access_url=ACCESS, tokens=TokenSource(path=tmp_path / "missing.jwt"))
    stderr, writer = io.StringIO(), Writer()
    rc = await ssh_proxy(connect, reader=None, writer=writer, stderr=stderr)  # type: ignore[arg-type]
    assert rc == 1
    assert stderr.getvalue().startswith(f"fileclient ssh-proxy: cannot open a session at {ACCESS}: ")
    assert "cannot read token file" in stderr.getvalue()
    assert writer.closed


def app_with_ssh(env: dict[str, str]) -> tuple[list[object], typer.Typer]:
    calls: list[object] = []

    def record(settings: object) -> int:
        calls.append(settings)
        return 7

    def unused(settings: object) -> int:
        raise AssertionError("not this command")

    runners = Runners(log=unused, play=unused, monitor=unused, ssh_proxy=record, forward=record)
    return calls, build_app(env, runners)


def test_typer_ssh_proxy_and_forward_commands() -> None:
    calls, app = app_with_ssh(JUMP_ENV)
    runner = CliRunner()
    assert runner.invoke(app, ["ssh-proxy"]).exit_code == 7
    assert (
        runner.invoke(app, ["forward", "--port", "2200", "--access", "http://a/api/v1/connect/b"]).exit_code
        == 7
    )
    proxy, forward = calls
    assert isinstance(proxy, SshProxySettings) and proxy.connect.access_url == ACCESS
    assert isinstance(forward, ForwardSettings)
    assert (forward.port, forward.connect.access_url) == (2200, "http://a/api/v1/connect/b")


def test_typer_ssh_proxy_config_errors_exit_2() -> None:
    calls, app = app_with_ssh({})
    result = CliRunner().invoke(app, ["ssh-proxy"])
    assert result.exit_code == EXIT_CONFIG and not calls
    assert "fileclient: set --access or JUMP_CLIENT_RELAY_SESSION" in result.output


def test_ssh_commands_exist_only_when_their_runners_are_given() -> None:
    app = build_app(JUMP_ENV, Runners(log=lambda s: 0, play=lambda s: 0, monitor=lambda s: 0))
    assert CliRunner().invoke(app, ["ssh-proxy"]).exit_code == 2  # usage error: no such command
