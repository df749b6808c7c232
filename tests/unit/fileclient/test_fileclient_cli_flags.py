"""Each fileclient option is declared once: a command's parameters are its settings function's arguments."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import pytest
import typer.main

from fileclient import settings
from fileclient.cli import Runners, build_app


def unused(_settings: object) -> int:
    return 0


SETTINGS: dict[str, Callable[..., object]] = {
    "log": settings.log_settings,
    "play": settings.play_settings,
    "monitor": settings.monitor_settings,
    "ssh-proxy": settings.ssh_proxy_settings,
    "forward": settings.forward_settings,
}


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_command_parameter_is_an_argument_of_its_settings_function(name: str) -> None:
    app = build_app({}, Runners(log=unused, play=unused, monitor=unused, ssh_proxy=unused, forward=unused))
    group = typer.main.get_command(app)
    command = group.commands[name]  # type: ignore[attr-defined]
    declared = {param.name for param in command.params}
    accepted = set(inspect.signature(SETTINGS[name]).parameters) - {"environ"}
    assert declared == accepted
