from __future__ import annotations

from pathlib import Path

import pytest
from fileclient_fakes import Sink

from fileclient.logwriter import LogWriter, Mode, Output, parse_mode

T = 1647198932 * 10**9 + 15_000_000


def test_text_mode_text_verbatim_and_binary_as_base64() -> None:
    sink = Sink()
    writer = LogWriter(Output(None, stream=sink), Mode.TEXT)
    writer.message(T, "hello")
    writer.message(T, b"\x00\x01\xff")
    writer.echo(T, "note")
    assert sink.getvalue().decode() == (
        "[2022-03-13T19:15:32.015Z] hello\n[2022-03-13T19:15:32.015Z] AAH/\n[2022-03-13T19:15:32.015Z] note\n"
    )


def test_base64_mode_encodes_text_too() -> None:
    sink = Sink()
    writer = LogWriter(Output(None, stream=sink), Mode.BASE64)
    writer.message(T, "a\nb")
    assert sink.getvalue() == b"[2022-03-13T19:15:32.015Z] YQpi\n"


def test_binary_mode_concatenates_payloads_and_skips_echoes() -> None:
    sink = Sink()
    writer = LogWriter(Output(None, stream=sink), Mode.BINARY)
    writer.message(T, b"0123456789")
    writer.echo(T, "not in a raw log")
    writer.message(T, b"abcdefghij")
    writer.message(T, "txt")
    assert sink.getvalue() == b"0123456789abcdefghijtxt"


def test_reopen_after_rename_writes_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "log"
    output = Output(path)
    output.write(b"one\n")
    path.rename(tmp_path / "log.1")
    output.write(b"two\n")  # still the renamed file until reopened
    output.reopen()
    output.write(b"three\n")
    output.close()
    assert (tmp_path / "log.1").read_bytes() == b"one\ntwo\n"
    assert path.read_bytes() == b"three\n"


def test_output_appends_to_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "log"
    path.write_bytes(b"old\n")
    output = Output(path)
    output.write(b"new\n")
    output.close()
    assert path.read_bytes() == b"old\nnew\n"


def test_failed_reopen_keeps_the_old_file(tmp_path: Path) -> None:
    directory = tmp_path / "d"
    directory.mkdir()
    output = Output(directory / "log")
    directory.rename(tmp_path / "gone")
    output.reopen()  # the directory is gone: logged, old handle kept
    output.write(b"kept\n")
    output.close()
    assert (tmp_path / "gone" / "log").read_bytes() == b"kept\n"


@pytest.mark.parametrize(
    ("text", "mode"),
    [("text", Mode.TEXT), (" TEXT ", Mode.TEXT), ("binary", Mode.BINARY), ("raw", Mode.BINARY)],
)
def test_parse_mode(text: str, mode: Mode) -> None:
    assert parse_mode(text) is mode


def test_parse_mode_rejects_unknown() -> None:
    with pytest.raises(ValueError, match="unknown mode 'jpeg'"):
        parse_mode("jpeg")
