"""Go-style duration and boolean parsing, and the human duration format."""

from __future__ import annotations

import pytest

from tokentool.durations import format_duration, parse_go_bool, parse_go_duration, parse_lifetime


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("300ms", 0.3),
        ("1.5h", 5400),
        ("2m45s", 165),
        ("1h30m", 5400),
        ("-1h", -3600),
        ("+5s", 5),
        ("0", 0),
        ("1µs", 1e-6),
        ("10ns", 1e-8),
        (".5s", 0.5),
    ],
)
def test_parse_go_duration(text: str, seconds: float) -> None:
    assert parse_go_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "5", "1d", "h", "1h 30m", "1.h.", "-", "5sec"])
def test_parse_go_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_go_duration(text)


@pytest.mark.parametrize(
    ("text", "seconds"), [("3600", 3600), (" 60 ", 60), ("1h", 3600), ("90.9s", 90), ("-5", -5)]
)
def test_parse_lifetime(text: str, seconds: int) -> None:
    assert parse_lifetime(text) == seconds


@pytest.mark.parametrize(
    ("text", "value"), [("true", True), ("T", True), ("1", True), ("FALSE", False), ("f", False)]
)
def test_parse_go_bool(text: str, value: bool) -> None:
    assert parse_go_bool(text) is value


@pytest.mark.parametrize("text", ["yes", "", "2", "on"])
def test_parse_go_bool_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_go_bool(text)


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
    ],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text
