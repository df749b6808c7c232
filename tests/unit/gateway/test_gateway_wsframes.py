"""Frames the gateway writes directly are byte for byte what websockets would write."""

from __future__ import annotations

import pytest
from websockets.frames import Frame, Opcode

from gateway.wsproto import encoded


def websockets_frame(message: str | bytes) -> bytes:
    if isinstance(message, str):
        frame = Frame(Opcode.TEXT, message.encode())
    else:
        frame = Frame(Opcode.BINARY, message)
    return frame.serialize(mask=False)


@pytest.mark.parametrize("size", [0, 1, 125, 126, 127, 65535, 65536, 1_000_000])
def test_binary_frames_match_websockets_at_every_length_boundary(size: int) -> None:
    message = bytes(range(256)) * (size // 256) + bytes(size % 256)
    assert b"".join(encoded(message)) == websockets_frame(message)


@pytest.mark.parametrize("text", ["", "hello", "é" * 100, "日本語" * 30_000])
def test_text_frames_are_utf8_and_match_websockets(text: str) -> None:
    assert b"".join(encoded(text)) == websockets_frame(text)


def test_a_message_fanned_out_is_framed_once() -> None:
    message = b"x" * 70_000
    first = encoded(message)
    assert encoded(message) is first  # the same frame for the next reader of the same message
    other = encoded(b"y" * 70_000)
    assert other is not first and b"".join(other)[-1:] == b"y"
