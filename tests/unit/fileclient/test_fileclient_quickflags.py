"""ssh-proxy's usual command line, read without typer, gives the settings typer gives; the rest goes to typer."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import fileclient.__main__ as entry
from fileclient.cli import Runners, build_app
from fileclient.quickflags import ssh_proxy_flags
from fileclient.settings import SshProxySettings, ssh_proxy_settings

ENV = {"JUMP_CLIENT_TOKEN": "env-token"}


def unused(_settings: object) -> int:
    return 0


def typer_settings(argv: list[str]) -> SshProxySettings:
    seen: list[SshProxySettings] = []

    def record(settings: SshProxySettings) -> int:
        seen.append(settings)
        return 0

    app = build_app(ENV, Runners(log=unused, play=unused, monitor=unused, ssh_proxy=record, forward=unused))
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 0, result.output
    return seen[0]


@pytest.mark.parametrize(
    "argv",
    [
        ["ssh-proxy", "--access", "http://relay/api/v1/connect/lab", "--token-file", "/t.jwt"],
        ["ssh-proxy", "--access=http://relay/api/v1/connect/lab", "--token=abc", "-v"],
        ["ssh-proxy", "--verbose", "--access", "https://relay/x", "--connect-timeout", "5s"],
        ["ssh-proxy", "--access", "https://relay/x"],  # the token from the environment
        ["ssh-proxy", "--token", "a=b", "--access", "https://relay/x", "--connect-timeout=1m"],
    ],
)
def test_usual_command_lines_give_the_settings_typer_gives(argv: list[str]) -> None:
    flags = ssh_proxy_flags(argv)
    assert flags is not None
    quick = ssh_proxy_settings(
        ENV,
        access=flags.access,
        token=flags.token,
        token_file=flags.token_file,
        verbose=flags.verbose,
        connect_timeout=flags.connect_timeout,
    )
    assert quick == typer_settings(argv)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["forward", "--access", "a"],
        ["ssh-proxy", "--help"],
        ["ssh-proxy", "--access"],
        ["ssh-proxy", "--access", "--token", "t"],
        ["ssh-proxy", "--access", "a", "--access", "b"],
        ["ssh-proxy", "-v", "--verbose"],
        ["ssh-proxy", "--verbose=yes"],
        ["ssh-proxy", "--bogus", "x"],
        ["ssh-proxy", "positional"],
        ["ssh-proxy", "--access", "a", "--"],
    ],
)
def test_anything_else_is_left_to_typer(argv: list[str]) -> None:
    assert ssh_proxy_flags(argv) is None


def test_a_config_error_is_reported_by_the_full_command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.argv", ["fileclient", "ssh-proxy", "--token", "t"])  # no access URL
    for name in ("JUMP_CLIENT_RELAY_SESSION", "RELAY_CLIENT_TOKEN", "JUMP_CLIENT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SystemExit) as ended:
        entry.main()
    assert ended.value.code == 2
    assert "fileclient: set --access or JUMP_CLIENT_RELAY_SESSION" in capsys.readouterr().err
