"""Gateway settings from RELAY_* variables and flags, and the Go-style value parsers."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from gateway.config_parse import parse_bool, parse_duration
from gateway.settings import ConfigError, GatewaySettings, from_env

REQUIRED = {
    "RELAY_AUDIENCE": "https://access.example.io",
    "RELAY_SECRET": "s3cret",
    "RELAY_URL": "wss://r.io",
}


def env(**extra: str) -> dict[str, str]:
    return {**REQUIRED, **{f"RELAY_{k.upper()}": v for k, v in extra.items()}}


def problems(environ: dict[str, str], overrides: dict[str, object] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as info:
        from_env(environ, overrides)
    return str(info.value).splitlines()


def test_missing_audience_secret_and_url_are_listed_together() -> None:
    assert problems({}) == [
        "You must set RELAY_AUDIENCE (or --audience)",
        "You must set RELAY_SECRET (or --secret)",
        "You must set RELAY_URL (or --url)",
    ]


def test_empty_required_variable_counts_as_missing() -> None:
    assert problems({**REQUIRED, "RELAY_SECRET": ""}) == ["You must set RELAY_SECRET (or --secret)"]


def test_missing_and_invalid_settings_are_reported_in_one_error() -> None:
    lines = problems({"RELAY_SECRET": "x", "RELAY_PORT_ACCESS": "abc", "RELAY_CODE_TTL": "5"})
    assert lines[:2] == ["You must set RELAY_AUDIENCE (or --audience)", "You must set RELAY_URL (or --url)"]
    assert any(line.startswith("RELAY_PORT_ACCESS: ") for line in lines)
    assert any(line.startswith("RELAY_CODE_TTL: invalid duration '5'") for line in lines)
    assert len(lines) == 4


def test_defaults() -> None:
    s = from_env(REQUIRED)
    assert (s.audience, s.secret, s.url) == ("https://access.example.io", "s3cret", "wss://r.io")
    assert (s.host, s.port_access, s.port_relay) == ("127.0.0.1", 3000, 3001)
    assert not s.single_port
    assert (s.buffer_size, s.allow_no_booking_id, s.log_level, s.log_format) == (
        128,
        False,
        "warning",
        "json",
    )
    assert (s.code_ttl, s.ping_interval, s.pong_wait, s.stats_every) == (30.0, 54.0, 60.0, 5.0)
    assert (s.nats_url, s.nats_root, s.kv_replicas, s.nats_data_dir) == ("", "relay", 0, None)
    assert s.replica_id


def test_secret_is_not_in_repr() -> None:
    assert "s3cret" not in repr(from_env(REQUIRED))


def test_go_durations_are_parsed_to_seconds() -> None:
    s = from_env(
        env(code_ttl="1m30s", ping_interval="500ms", pong_wait="1.5m", shutdown_grace="0", tidy_every="2h")
    )
    assert (s.code_ttl, s.ping_interval, s.pong_wait) == (90.0, 0.5, 90.0)
    assert (s.shutdown_grace, s.tidy_every) == (0.0, 7200.0)


@pytest.mark.parametrize(("text", "expected"), [("true", True), ("T", True), ("1", True), ("FALSE", False)])
def test_go_bools_are_parsed(text: str, expected: bool) -> None:
    assert from_env(env(allow_no_booking_id=text)).allow_no_booking_id is expected


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("port_access", "abc", "RELAY_PORT_ACCESS: invalid literal"),
        ("port_relay", "70000", "RELAY_PORT_RELAY: must be a port number 0-65535 (got '70000')"),
        ("allow_no_booking_id", "maybe", "RELAY_ALLOW_NO_BOOKING_ID: invalid boolean 'maybe'"),
        ("code_ttl", "500ms", "RELAY_CODE_TTL: must be at least 1s (got '500ms')"),
        ("ping_interval", "1x", "RELAY_PING_INTERVAL: invalid duration '1x'"),
        ("pong_wait", "0", "RELAY_PONG_WAIT: must be positive (got '0')"),
        ("log_format", "xml", "RELAY_LOG_FORMAT: must be json or text (got 'xml')"),
        ("nats_root", "a.b", "RELAY_NATS_ROOT: must be alphanumeric (got 'a.b')"),
        ("kv_replicas", "7", "RELAY_KV_REPLICAS: must be 0-5 (0 = auto) (got '7')"),
        ("max_message", "10", "RELAY_MAX_MESSAGE: must be 1 KiB-64 MiB (got '10')"),
        ("buffer_bytes", "100", "RELAY_BUFFER_BYTES: must be at least 1024 (got '100')"),
        ("shutdown_grace", "-1s", "RELAY_SHUTDOWN_GRACE: must not be negative (got '-1s')"),
        ("replica_id", "  ", "RELAY_REPLICA_ID: must not be empty (got '  ')"),
        ("buffer_size", "lots", "RELAY_BUFFER_SIZE: not an integer (got 'lots')"),
        ("log_level", "loud", "RELAY_LOG_LEVEL: unknown level 'loud'"),
    ],
)
def test_invalid_values_are_named(name: str, value: str, expected: str) -> None:
    lines = problems(env(**{name: value}))
    assert len(lines) == 1 and lines[0].startswith(expected), lines


@pytest.mark.parametrize(("given", "used"), [("0", 256), ("513", 256), ("-3", 256), ("1", 1), ("512", 512)])
def test_buffer_size_outside_1_to_512_becomes_256_inside_is_kept(
    given: str, used: int, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="gateway.settings"):
        assert from_env(env(buffer_size=given)).buffer_size == used
    assert ("outside 1..512" in caplog.text) is (used != int(given))


def test_overrides_beat_environment_and_none_overrides_are_ignored() -> None:
    s = from_env(
        env(port_access="5000", host="0.0.0.0", audience="https://env"),
        {"port_access": 4000, "host": None, "audience": "https://flag", "code_ttl": 12.0},
    )
    assert (s.port_access, s.host, s.audience, s.code_ttl) == (4000, "0.0.0.0", "https://flag", 12.0)


def test_overrides_supply_required_settings() -> None:
    s = from_env({}, {"audience": "a", "secret": "b", "url": "c"})
    assert (s.audience, s.secret, s.url) == ("a", "b", "c")


def test_overrides_are_checked_too() -> None:
    assert problems(REQUIRED, {"port_access": 70000}) == [
        "RELAY_PORT_ACCESS: must be a port number 0-65535 (got 70000)"
    ]


@pytest.mark.parametrize(
    ("given", "level"),
    [
        ("trace", "debug"),
        ("DEBUG", "debug"),
        ("info", "info"),
        ("warn", "warning"),
        ("Warning", "warning"),
        ("error", "error"),
        ("fatal", "critical"),
        ("panic", "critical"),
        (" critical ", "critical"),
    ],
)
def test_log_level_names_map_to_python_levels(given: str, level: str) -> None:
    assert from_env(env(log_level=given)).log_level == level


def test_other_values_are_typed() -> None:
    s = from_env(
        env(nats_data_dir="/var/lib/relay", port_relay="3000", log_format=" TEXT ", stats_every="0.2s")
    )
    assert s.nats_data_dir == Path("/var/lib/relay")
    assert s.single_port and s.log_format == "text"
    assert s.stats_every == 1.0  # practable's floor


def test_settings_are_frozen() -> None:
    s = from_env(REQUIRED)
    assert isinstance(s, GatewaySettings)
    with pytest.raises(AttributeError):
        s.port_access = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("0", 0.0),
        ("-0", 0.0),
        ("0s", 0.0),
        ("300ms", 0.3),
        ("5s", 5.0),
        ("1.5h", 5400.0),
        ("2m45s", 165.0),
        ("1h2m3s4ms", 3723.004),
        (".5s", 0.5),
        ("1.s", 1.0),
        ("10us", 1e-5),
        ("10µs", 1e-5),
        ("10μs", 1e-5),
        ("100ns", 1e-7),
        ("+5s", 5.0),
        ("-1m", -60.0),
        (" 5s ", 5.0),
    ],
)
def test_parse_duration_accepts_go_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "-", "+", "5", "00", "s", "1x", "1 s", "1s5", "1.2.3s", "abc", "1d"])
def test_parse_duration_refuses_what_go_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize("text", ["--5s", "+-5s", "-+5s"])
def test_parse_duration_refuses_repeated_signs(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize("text", ["1", "t", "T", "true", "TRUE", "True", " true "])
def test_parse_bool_true_forms(text: str) -> None:
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["0", "f", "F", "false", "FALSE", "False"])
def test_parse_bool_false_forms(text: str) -> None:
    assert parse_bool(text) is False


@pytest.mark.parametrize("text", ["2", "maybe", "truth", "y", "-1"])
def test_parse_bool_refuses_other_words(text: str) -> None:
    with pytest.raises(ValueError, match="invalid boolean"):
        parse_bool(text)
