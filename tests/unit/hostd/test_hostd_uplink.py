from __future__ import annotations

from pathlib import Path

from hostd.cli import render
from hostd.rules import Destination
from hostd.uplink import Recorder, token_source


def test_token_file_wins_over_a_literal_and_is_re_read(tmp_path: Path) -> None:
    path = tmp_path / "t.jwt"
    path.write_text("first\n")
    tokens = token_source(
        Destination(id="a", stream="s", destination="https://x", token="lit", token_file=str(path))
    )
    assert tokens.read() == "first"
    path.write_text("second")
    assert tokens.read() == "second"


def test_literal_token_without_a_file() -> None:
    assert token_source(Destination(id="a", stream="s", destination="https://x", token="lit")).read() == "lit"


def test_recorder_appends_raw_payloads(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    path.write_bytes(b"old content")
    recorder = Recorder(path)
    recorder.write(b"\x00\x01")
    recorder.write("text")
    recorder.close()
    assert path.read_bytes() == b"\x00\x01text"


def test_recorder_that_cannot_open_reports_and_ignores_writes(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path / "missing-dir" / "out.bin")
    recorder.write(b"x")
    assert "FileNotFoundError" in recorder.error


def test_status_rendering_puts_destination_state_and_error_first() -> None:
    body = {
        "uptime": 3.0,
        "destinations": {
            "cam": {
                "rule": {"stream": "video", "destination": "https://x/session/t"},
                "state": "retrying",
                "last_error": "AccessError: access refused: HTTP 401",
                "connects": 2,
                "sent": 10,
                "received": 1,
                "dropped": 4,
            }
        },
        "streams": {},
        "feeds": {"video": {"messages": 14, "bytes": 1400, "dropped": {"no_subscriber": 4}}},
    }
    lines = render(body).splitlines()
    assert lines[2].startswith("  cam: retrying  video -> https://x/session/t  connects=2")
    assert lines[3] == "      last error: AccessError: access refused: HTTP 401"
    assert "  video: 14 messages, 1400 bytes, no_subscriber=4" in lines
