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
BATCH_SUFFIX: Final = "m"  # ... or several messages framed together (natsbus.encode_batch)
CHUNK_SUFFIX: Final = "p"  # ... or a part of a message larger than max_payload (gateway.chunks)


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


SESSION_KIND: Final = "s"  # session topics (reference 5)
CONNECT_KIND: Final = "c"  # connect (ssh) topics (reference 11): a namespace of their own


def session_subject(root: str, topic: str, *, binary: bool, kind: str = SESSION_KIND) -> str:
    """Subject a message of ``topic`` is published on."""
    return f"{root}.{kind}.{encode_topic(topic)}.{BINARY_SUFFIX if binary else TEXT_SUFFIX}"


def session_filter(root: str, topic: str, kind: str = SESSION_KIND) -> str:
    """Subscription covering both frame types of exactly one topic."""
    return f"{root}.{kind}.{encode_topic(topic)}.*"


def topic_of_subject(subject: str) -> tuple[str, str] | None:
    """(kind, topic) of a relayed message's subject, or None for other subjects."""
    parts = subject.split(".")
    if len(parts) != 4 or parts[1] not in (SESSION_KIND, CONNECT_KIND):
        return None
    try:
        return parts[1], decode_topic(parts[2])
    except (ValueError, UnicodeDecodeError):
        return None
