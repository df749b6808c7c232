from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from fileclient.cli import EXIT_CONFIG, Runners, build_app
from fileclient.settings import LogSettings, MonitorSettings, PlaySettings

ENV = {"RELAY_CLIENT_SESSION": "http://r/session/t", "RELAY_CLIENT_TOKEN": "jwt"}


def recording_app(env: dict[str, str]) -> tuple[list[object], CliRunner, typer.Typer]:
    calls: list[object] = []

    def log(s: LogSettings) -> int:
        calls.append(s)
        return 0

    def play(s: PlaySettings) -> int:
        calls.append(s)
        return 3

    def monitor(s: MonitorSettings) -> int:
        calls.append(s)
        return 0

    return calls, CliRunner(), build_app(env, Runners(log=log, play=play, monitor=monitor))


def test_no_arguments_shows_the_commands() -> None:
    _, runner, app = recording_app({})
    result = runner.invoke(app, [])
    for name in ("log", "play", "monitor"):
        assert name in result.output


def test_log_flags_reach_the_runner() -> None:
    calls, runner, app = recording_app(ENV)
    result = runner.invoke(app, ["log", "--mode", "raw", "--file", "out.ts"])
    assert result.exit_code == 0, result.output
    (settings,) = calls
    assert isinstance(settings, LogSettings) and settings.output.file == Path("out.ts")


def test_play_exit_status_is_the_runners() -> None:
    calls, runner, app = recording_app(ENV)
    result = runner.invoke(app, ["play", "x.play", "--then-log", "--start-delay", "0s"])
    assert result.exit_code == 3
    (settings,) = calls
    assert isinstance(settings, PlaySettings) and settings.then_log and settings.start_delay == 0.0


def test_config_errors_exit_2_without_running() -> None:
    calls, runner, app = recording_app({})
    result = runner.invoke(app, ["monitor", "--interval", "1"])
    assert result.exit_code == EXIT_CONFIG and calls == []
    assert "RELAY_MONITOR_AUDIENCE" in result.output and "has no unit" in result.output
