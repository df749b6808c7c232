"""Topic -> NATS subject mapping.

Pure. The mapping is injective and its output is a single NATS token made only of
``[A-Za-z0-9_-]`` and ``~``: whatever a topic contains ('.', '*', '>', spaces, unicode,
'/'), it can never subscribe to or publish on another topic's subjects.
"""

from __future__ import annotations

from typing import Final

_SAFE: Final = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_ESCAPE: Final = tuple(f"~{b:02X}" for b in range(256))

TEXT_SUFFIX: Final = "t"  # last subject token: the relayed message was a text frame
BINARY_SUFFIX: Final = "b"  # ... or a binary frame


def encode_topic(topic: str) -> str:
    """Encode a topic as one NATS subject token.

    Bytes of the topic's UTF-8 form in ``[A-Za-z0-9_-]`` stand for themselves; every other
    byte, '~' included, becomes ``~HH``. Because '~' is always escaped the encoding is
    injective, and the alphabet excludes '.', '*', '>' and white space.
    """
    if not topic:
        raise ValueError("empty topic")
    return "".join(chr(b) if b in _SAFE else _ESCAPE[b] for b in topic.encode("utf-8"))


def decode_topic(token: str) -> str:
    """Invert :func:`encode_topic` (for tools that watch subjects)."""
    out = bytearray()
    i = 0
    while i < len(token):
        if token[i] == "~":
            out.append(int(token[i + 1 : i + 3], 16))
            i += 3
        else:
            out.append(ord(token[i]))
            i += 1
    return out.decode("utf-8")


def session_subject(root: str, topic: str, *, binary: bool) -> str:
    """Subject a message of ``topic`` is published on."""
    return f"{root}.s.{encode_topic(topic)}.{BINARY_SUFFIX if binary else TEXT_SUFFIX}"


def session_filter(root: str, topic: str) -> str:
    """Subscription covering both frame types of exactly one topic."""
    return f"{root}.s.{encode_topic(topic)}.*"
