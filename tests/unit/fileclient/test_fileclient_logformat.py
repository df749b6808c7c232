from __future__ import annotations

import pytest

from fileclient.logformat import as_text, format_line, rfc3339nano

BASE = 1647198932 * 10**9  # 2022-03-13T19:15:32Z


@pytest.mark.parametrize(
    ("ns", "stamp"),
    [
        (BASE + 15_000_000, "2022-03-13T19:15:32.015Z"),
        (BASE + 15_200_000, "2022-03-13T19:15:32.0152Z"),
        (BASE, "2022-03-13T19:15:32Z"),
        (BASE + 1, "2022-03-13T19:15:32.000000001Z"),
        (BASE + 100_000_000, "2022-03-13T19:15:32.1Z"),
    ],
)
def test_rfc3339nano_trims_trailing_zeros(ns: int, stamp: str) -> None:
    assert rfc3339nano(ns) == stamp


def test_line_format() -> None:
    assert format_line(BASE + 15_000_000, 'There was a "bright" spark') == (
        '[2022-03-13T19:15:32.015Z] There was a "bright" spark\n'
    )


def test_text_verbatim_binary_base64() -> None:
    assert as_text("a\nb") == "a\nb"
    assert as_text(b"\x00\x01\xff") == "AAH/"
