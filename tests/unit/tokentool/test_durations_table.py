"""The one table for durations and booleans, run against every place that parses them.

The rule (tokentool/durations.py): Go's time.ParseDuration and strconv.ParseBool, plus yes/on and
no/off. gateway, fileclient and relayclient re-export or call the same parser, so each row is checked
through all four entry points.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from fileclient import durations as fileclient_durations
from gateway import config_parse
from relayclient import status
from tokentool import durations
from tokentool.durations import format_duration, parse_lifetime


def _relayclient_duration(text: str) -> float:
    # relayclient's stats reports: a duration "since", so the magnitude is what counts.
    delta, never = status.parse_duration(text)
    assert not never
    return delta.total_seconds()


DURATION_PARSERS: dict[str, Callable[[str], float]] = {
    "tokentool": durations.parse_duration,
    "gateway": config_parse.parse_duration,
    "fileclient": fileclient_durations.parse_duration,
}
BOOL_PARSERS: dict[str, Callable[[str], bool]] = {
    "tokentool": durations.parse_bool,
    "gateway": config_parse.parse_bool,
    "fileclient": fileclient_durations.parse_bool,
}

VALID_DURATIONS: list[tuple[str, float]] = [
    ("300ms", 0.3),
    ("1.5h", 5400.0),
    ("2m45s", 165.0),
    ("1h30m", 5400.0),
    ("1h2m3s4ms", 3723.004),
    ("1h5.3m0.5s", 3918.5),
    ("0", 0.0),
    ("+0", 0.0),
    ("-0", 0.0),
    ("0s", 0.0),
    ("-5s", -5.0),
    ("+5s", 5.0),
    ("-1h", -3600.0),
    (".5s", 0.5),
    ("1.s", 1.0),
    ("10us", 1e-5),
    ("10µs", 1e-5),  # U+00B5 micro sign
    ("10μs", 1e-5),  # U+03BC Greek mu
    ("100ns", 1e-7),
    (" 5s ", 5.0),
]
INVALID_DURATIONS: list[tuple[str, str]] = [
    ("5", "has no unit"),
    ("0.1", "has no unit"),
    ("00", "has no unit"),
    ("--5s", "invalid"),
    ("+-5s", "invalid"),
    ("-+5s", "invalid"),
    ("", "empty"),
    ("   ", "empty"),
    ("-", "invalid"),
    ("+", "invalid"),
    ("5x", "invalid"),
    ("1d", "invalid"),
    ("s", "invalid"),
    ("1 s", "invalid"),
    ("1h 30m", "invalid"),
    ("1s5", "invalid"),
    ("1.2.3s", "invalid"),
    (".s", "invalid"),
    ("5sec", "invalid"),
    ("abc", "invalid"),
    ("3000000h", "out of range"),
]
TRUE_WORDS = ["1", "t", "T", "true", "TRUE", "True", "yes", "YES", "Yes", "on", "ON", "On", " true "]
FALSE_WORDS = ["0", "f", "F", "false", "FALSE", "False", "no", "NO", "No", "off", "OFF", "Off", " off "]
INVALID_BOOLS = ["", " ", "2", "-1", "y", "n", "maybe", "truth", "yes please", "enabled", "nope"]


@pytest.mark.parametrize("where", DURATION_PARSERS)
@pytest.mark.parametrize(("text", "seconds"), VALID_DURATIONS)
def test_valid_durations(where: str, text: str, seconds: float) -> None:
    assert DURATION_PARSERS[where](text) == pytest.approx(seconds, abs=1e-12)


@pytest.mark.parametrize(("text", "seconds"), VALID_DURATIONS)
def test_valid_durations_in_relayclient_reports(text: str, seconds: float) -> None:
    assert _relayclient_duration(text) == pytest.approx(abs(seconds), abs=1e-6)  # timedelta: µs


@pytest.mark.parametrize("where", DURATION_PARSERS)
@pytest.mark.parametrize(("text", "reason"), INVALID_DURATIONS)
def test_invalid_durations(where: str, text: str, reason: str) -> None:
    with pytest.raises(durations.DurationError, match=reason):
        DURATION_PARSERS[where](text)


@pytest.mark.parametrize(("text", "reason"), [row for row in INVALID_DURATIONS if row[0].strip()])
def test_invalid_durations_in_relayclient_reports(text: str, reason: str) -> None:
    with pytest.raises(status.ReportError, match="bad duration"):
        status.parse_duration(text)


def test_duration_error_is_a_value_error() -> None:
    assert issubclass(durations.DurationError, ValueError)
    assert fileclient_durations.DurationError is durations.DurationError


@pytest.mark.parametrize("where", BOOL_PARSERS)
@pytest.mark.parametrize("text", TRUE_WORDS)
def test_true_words(where: str, text: str) -> None:
    assert BOOL_PARSERS[where](text) is True


@pytest.mark.parametrize("where", BOOL_PARSERS)
@pytest.mark.parametrize("text", FALSE_WORDS)
def test_false_words(where: str, text: str) -> None:
    assert BOOL_PARSERS[where](text) is False


@pytest.mark.parametrize("where", BOOL_PARSERS)
@pytest.mark.parametrize("text", INVALID_BOOLS)
def test_invalid_bools(where: str, text: str) -> None:
    with pytest.raises(ValueError, match="invalid boolean"):
        BOOL_PARSERS[where](text)


def test_everyone_shares_one_parser() -> None:
    assert config_parse.parse_duration is durations.parse_duration
    assert fileclient_durations.parse_duration is durations.parse_duration
    assert config_parse.parse_bool is durations.parse_bool
    assert fileclient_durations.parse_bool is durations.parse_bool


@pytest.mark.parametrize(
    ("text", "seconds"), [("3600", 3600), (" 60 ", 60), ("1h", 3600), ("90.9s", 90), ("-5", -5)]
)
def test_parse_lifetime(text: str, seconds: int) -> None:
    assert parse_lifetime(text) == seconds


@pytest.mark.parametrize("text", ["", "5x", "1.5", "--5"])
def test_parse_lifetime_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_lifetime(text)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (10.9, "10s"),
        (192.5, "3m12s"),
        (3599, "59m59s"),
        (3600, "1h0m0s"),
        (-75, "1m15s"),
        (90061, "1d1h1m1s"),
        (float("inf"), "forever"),
    ],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text
