"""One level map and one JSON formatter for gateway, hostd and fileclient (relayclient.logs)."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Callable, Iterator

import pytest

from fileclient import logsetup
from fileclient.settings import monitor_settings
from gateway import logs as gateway_logs
from gateway.settings import from_env as gateway_from_env
from hostd import logs as hostd_logs
from hostd.settings import HostdSettings
from relayclient.logs import ACCEPTED, LEVELS, UnknownLevel, level_name, parse_level

GATEWAY_ENV = {"RELAY_AUDIENCE": "https://a.example", "RELAY_SECRET": "s", "RELAY_URL": "wss://r.example"}
MONITOR_ARGS = {"audience": "https://a.example", "topic": "t", "secret": "s"}


def _gateway_settings(name: str) -> None:
    gateway_from_env({**GATEWAY_ENV, "RELAY_LOG_LEVEL": name}, None)


def _hostd_settings(name: str) -> None:
    HostdSettings.from_env({"VW_LOG_LEVEL": name})


def _monitor_settings(name: str) -> None:
    monitor_settings({"RELAY_MONITOR_LOG_LEVEL": name}, **MONITOR_ARGS)  # type: ignore[arg-type]


def _gateway_configure(name: str) -> None:
    gateway_logs.configure(level=name, fmt="json", file="stdout")


def _hostd_configure(name: str) -> None:
    hostd_logs.configure(name, "json")


def _fileclient_configure(name: str) -> None:
    logsetup.configure(level=name, json_format=True, stream=io.StringIO())


@pytest.fixture(autouse=True)
def _keep_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


# Every way a level name enters a program: the one behaviour for an unknown name is an error that
# names the accepted levels (settings report it as a problem naming the variable).
UNKNOWN_LEVEL = [
    pytest.param(parse_level, UnknownLevel, "", id="relayclient.parse_level"),
    pytest.param(level_name, UnknownLevel, "", id="relayclient.level_name"),
    pytest.param(_gateway_settings, Exception, "RELAY_LOG_LEVEL: ", id="gateway settings"),
    pytest.param(_hostd_settings, Exception, "VW_LOG_LEVEL: ", id="hostd settings"),
    pytest.param(_monitor_settings, Exception, "RELAY_MONITOR_LOG_LEVEL: ", id="fileclient monitor settings"),
    pytest.param(_gateway_configure, UnknownLevel, "", id="gateway configure"),
    pytest.param(_hostd_configure, UnknownLevel, "", id="hostd configure"),
    pytest.param(_fileclient_configure, UnknownLevel, "", id="fileclient configure"),
]


@pytest.mark.parametrize("call, error, prefix", UNKNOWN_LEVEL)
@pytest.mark.parametrize("name", ["loud", "Level 5", "information"])
def test_an_unknown_level_is_an_error_naming_the_accepted_levels(
    call: Callable[[str], object], error: type[Exception], prefix: str, name: str
) -> None:
    with pytest.raises(error) as info:
        call(name)
    assert f"{prefix}unknown level {name!r} (use one of {ACCEPTED})" in str(info.value)


@pytest.mark.parametrize("call", [parse_level, level_name, _hostd_configure, _fileclient_configure])
def test_an_empty_level_name_is_unknown_too(call: Callable[[str], object]) -> None:
    # (settings read an empty variable as unset, so only the functions see an empty name)
    with pytest.raises(UnknownLevel, match=r"unknown level '' \(use one of trace, "):
        call("")


def test_the_accepted_levels_are_practables_and_pythons() -> None:
    assert ACCEPTED == "trace, debug, info, warn, warning, error, fatal, panic, critical"


@pytest.mark.parametrize(
    "given, number, name",
    [
        ("trace", logging.DEBUG, "debug"),
        ("DEBUG", logging.DEBUG, "debug"),
        (" info ", logging.INFO, "info"),
        ("warn", logging.WARNING, "warning"),
        ("Warning", logging.WARNING, "warning"),
        ("error", logging.ERROR, "error"),
        ("fatal", logging.CRITICAL, "critical"),
        ("panic", logging.CRITICAL, "critical"),
        ("critical", logging.CRITICAL, "critical"),
        (logging.INFO, logging.INFO, "info"),
    ],
)
def test_level_names_map_to_python_levels(given: str | int, number: int, name: str) -> None:
    assert parse_level(given) == number and level_name(given) == name
    assert set(LEVELS.values()) == {
        logging.DEBUG,
        logging.INFO,
        logging.WARNING,
        logging.ERROR,
        logging.CRITICAL,
    }


def test_an_unknown_level_number_is_refused() -> None:
    with pytest.raises(UnknownLevel, match="unknown level 25"):
        parse_level(25)


def _record(**extra: object) -> logging.LogRecord:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        exc_info = sys.exc_info()
    record = logging.LogRecord("relay.x", logging.WARNING, __file__, 1, "hello %s", ("you",), exc_info)
    record.__dict__.update(extra)
    return record


# Each program keeps its own keys, from the one formatter.
FORMATS = [
    pytest.param(
        gateway_logs.json_formatter("r1"),
        {"time", "level", "logger", "msg", "replica", "topic", "other", "exc"},
        "exc",
        id="gateway",
    ),
    pytest.param(
        hostd_logs.json_formatter(), {"time", "level", "logger", "msg", "topic", "exc"}, "exc", id="hostd"
    ),
    pytest.param(
        logsetup.json_formatter(), {"time", "level", "logger", "msg", "error"}, "error", id="fileclient"
    ),
]


@pytest.mark.parametrize("formatter, keys, exc_key", FORMATS)
def test_each_program_keeps_its_json_keys(formatter: logging.Formatter, keys: set[str], exc_key: str) -> None:
    entry = json.loads(formatter.format(_record(topic="lab1", other=3, _private=1)))
    assert set(entry) == keys
    assert (entry["level"], entry["logger"], entry["msg"]) == ("warning", "relay.x", "hello you")
    assert entry["time"].endswith("Z") and "RuntimeError: boom" in entry[exc_key]


def test_gateway_leaves_an_empty_replica_out() -> None:
    assert "replica" not in json.loads(gateway_logs.json_formatter().format(_record()))
