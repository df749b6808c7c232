from __future__ import annotations

import logging
from pathlib import Path

import pytest

from hostd.settings import ConfigError, HostdSettings


def test_defaults_bind_loopback_on_8888() -> None:
    settings = HostdSettings.from_env({})
    assert (settings.host, settings.port, settings.api, settings.log_format) == (
        "127.0.0.1",
        8888,
        "",
        "json",
    )


def test_original_environment_names_are_read() -> None:
    settings = HostdSettings.from_env(
        {"VW_PORT": "9000", "VW_LOG_LEVEL": "debug", "VW_API": "ws://x/api", "VW_HTTPWAITMS": "2500"}
    )
    assert settings.port == 9000 and settings.log_level == logging.DEBUG
    assert settings.api == "ws://x/api" and settings.shutdown_grace == 2.5


def test_hostd_variables_and_flags_override() -> None:
    env = {
        "HOSTD_HOST": "0.0.0.0",
        "HOSTD_CONFIG": "/etc/hostd.yaml",
        "VW_PORT": "9000",
        "HOSTD_TS_IDLE_MS": "2",
    }
    settings = HostdSettings.from_env(env, port=9100, host=None)
    assert settings.host == "0.0.0.0" and settings.port == 9100
    assert settings.config == Path("/etc/hostd.yaml") and settings.ts_idle == pytest.approx(0.002)


@pytest.mark.parametrize("name, level", [("PANIC", logging.CRITICAL), ("warning", logging.WARNING)])
def test_log_levels_map_like_the_original(name: str, level: int) -> None:
    assert HostdSettings.from_env({"VW_LOG_LEVEL": name}).log_level == level


def test_an_unknown_log_level_is_a_config_error_naming_the_accepted_levels() -> None:
    with pytest.raises(ConfigError, match=r"VW_LOG_LEVEL: unknown level 'x' \(use one of trace, debug"):
        HostdSettings.from_env({"VW_LOG_LEVEL": "x"})


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as info:
        HostdSettings.from_env({"VW_PORT": "abc", "HOSTD_LOG_FORMAT": "xml", "VW_API": "http://x"})
    message = str(info.value)
    assert "VW_PORT" in message and "log format" in message and "VW_API" in message
