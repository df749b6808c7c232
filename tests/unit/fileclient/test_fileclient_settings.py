from __future__ import annotations

from pathlib import Path

import pytest

from fileclient.logwriter import Mode
from fileclient.settings import (
    ConfigError,
    expand_command,
    log_settings,
    monitor_settings,
    play_settings,
)

BASE = {"RELAY_CLIENT_SESSION": "https://r.example/access/session/t1", "RELAY_CLIENT_TOKEN": "jwt"}


def test_log_from_practable_environment() -> None:
    env = {
        **BASE,
        "RELAY_CLIENT_MODE": " Binary ",
        "RELAY_CLIENT_FILE": "/tmp/x.ts",
        "RELAY_CLIENT_DEVELOPMENT": "t",
    }
    s = log_settings(env)
    assert s.connect.access_url == BASE["RELAY_CLIENT_SESSION"]
    assert s.connect.tokens.read(env) == "jwt"
    assert s.output.mode is Mode.BINARY and s.output.file == Path("/tmp/x.ts") and s.output.development


@pytest.mark.parametrize("file", ["", "-"])
def test_dash_or_empty_file_is_stdout(file: str) -> None:
    assert log_settings({**BASE, "RELAY_CLIENT_FILE": file}).output.file is None


def test_flags_win_over_environment() -> None:
    s = log_settings(BASE, session="http://other/session/x", token_file="/run/tok", mode="base64", file="-")
    assert s.connect.access_url == "http://other/session/x"
    assert s.connect.tokens.path == Path("/run/tok")
    assert s.output.mode is Mode.BASE64 and s.output.file is None


def test_legacy_log_file_name() -> None:
    assert log_settings({**BASE, "RELAY_CLIENT_FILE_LOG": "old.log"}).output.file == Path("old.log")


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as info:
        log_settings({"RELAY_CLIENT_MODE": "jpeg", "RELAY_CLIENT_DEVELOPMENT": "maybe"})
    problems = str(info.value).splitlines()
    assert len(problems) == 4
    assert any("RELAY_CLIENT_SESSION" in p for p in problems)
    assert any("RELAY_CLIENT_TOKEN" in p for p in problems)
    assert any("unknown mode 'jpeg'" in p for p in problems)
    assert any("RELAY_CLIENT_DEVELOPMENT" in p for p in problems)


def test_token_and_token_file_together_is_an_error() -> None:
    with pytest.raises(ConfigError, match="not both"):
        log_settings(BASE, token="a", token_file="b")


def test_session_must_be_http() -> None:
    with pytest.raises(ConfigError, match="must start with http"):
        log_settings({**BASE, "RELAY_CLIENT_SESSION": "ws://x/session/t"})


def test_play_check_needs_no_connection_and_reads_legacy_names() -> None:
    s = play_settings({"RELAY_CLIENT_FILE_PLAY": "a.play", "RELAY_CLIENT_CHECK_ONLY": "true"})
    assert s.check_only and s.connect is None and s.play_file == Path("a.play")


def test_play_defaults_and_flags() -> None:
    s = play_settings(BASE, play_file="b.play")
    assert (s.start_delay, s.force, s.then_log) == (1.0, False, False)
    s = play_settings(BASE, play_file="b.play", start_delay="0s", force=True, then_log=True)
    assert (s.start_delay, s.force, s.then_log) == (0.0, True, True)


def test_play_needs_a_file_and_a_valid_start_delay() -> None:
    with pytest.raises(ConfigError) as info:
        play_settings(BASE, start_delay="0.5")
    assert "play file" in str(info.value) and "has no unit" in str(info.value)


MON = {"RELAY_MONITOR_AUDIENCE": "https://r.example/access/", "RELAY_MONITOR_SECRET": "s"}


def test_monitor_defaults_as_practable_but_no_default_command() -> None:
    s = monitor_settings(MON)
    assert s.access_url == "https://r.example/access/session/canary-st-data"
    assert (s.threshold, s.interval, s.trigger_after, s.no_retrigger_within) == (0.2, 1.0, 3, 60.0)
    assert s.reconnect_every == 86400.0 and s.silence == pytest.approx(1.2)
    assert s.command == () and s.tokens is None and s.log_level == "warning"


def test_monitor_environment() -> None:
    env = {
        **MON,
        "RELAY_MONITOR_TOPIC": "c2",
        "RELAY_MONITOR_THRESHOLD": "50ms",
        "RELAY_MONITOR_INTERVAL": "5s",
        "RELAY_MONITOR_TRIGGER_AFTER_MISSES": "10",
        "RELAY_MONITOR_NO_RETRIGGER_WITHIN": "1m",
        "RELAY_MONITOR_COMMAND": "systemctl restart $UNIT",
        "RELAY_MONITOR_LOG_LEVEL": "warn",
        "UNIT": "relay.service",
    }
    s = monitor_settings(env)
    assert s.access_url.endswith("/session/c2") and s.topic == "c2"
    assert (s.threshold, s.interval, s.trigger_after, s.no_retrigger_within) == (0.05, 5.0, 10, 60.0)
    assert s.silence == pytest.approx(5.05)
    assert s.command == ("systemctl", "restart", "relay.service")


def test_monitor_with_a_token_needs_no_secret() -> None:
    s = monitor_settings({}, session="http://r/session/c", token="jwt")
    assert s.access_url == "http://r/session/c" and s.tokens is not None and s.tokens.read() == "jwt"


def test_monitor_problems() -> None:
    with pytest.raises(ConfigError) as info:
        monitor_settings(
            {"RELAY_MONITOR_TRIGGER_AFTER_MISSES": "x", "RELAY_MONITOR_LOG_LEVEL": "loud"}, interval="0s"
        )
    text = str(info.value)
    for needle in (
        "RELAY_MONITOR_AUDIENCE",
        "RELAY_MONITOR_SECRET",
        "not a whole number",
        "loud",
        "positive",
    ):
        assert needle in text


def test_expand_command_quotes_and_unset_variables() -> None:
    env = {"DIR": "/var/log/relay x"}
    assert expand_command('touch "${DIR}/triggered" $NOPE', env) == ("touch", "/var/log/relay x/triggered")
    with pytest.raises(ValueError):
        expand_command('echo "unbalanced', env)
