from __future__ import annotations

import pytest

from fileclient.durations import DurationError, parse_bool, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("300ms", 0.3),
        ("1.5h", 5400.0),
        ("2m45s", 165.0),
        ("1h5.3m0.5s", 3918.5),
        ("10us", 1e-5),
        ("10µs", 1e-5),
        ("7ns", 7e-9),
        ("0", 0.0),
        ("-1s", -1.0),
        (".5s", 0.5),
    ],
)
def test_go_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("text", "reason"), [("", "empty"), ("0.1", "no unit"), ("5", "no unit"), ("1x", "invalid")]
)
def test_bad_durations(text: str, reason: str) -> None:
    with pytest.raises(DurationError, match=reason):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "value"), [("true", True), ("T", True), ("1", True), ("false", False), ("0", False)]
)
def test_go_bools(text: str, value: bool) -> None:
    assert parse_bool(text) is value


def test_bad_bool() -> None:
    with pytest.raises(ValueError, match="invalid boolean"):
        parse_bool("yes please")
