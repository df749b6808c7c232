"""Limits at the edge that need no sockets: code syntax, byte bounds, subject and key sizes."""

from __future__ import annotations

import pytest

from gateway.bookings import booking_key
from gateway.codes import MemoryCodeStore, check_code_syntax, new_code
from gateway.errors import CodeRejected
from gateway.subjects import session_subject
from gateway.wire import (
    CONNECT_SUFFIX_BYTES,
    MAX_BOOKING_ID_BYTES,
    MAX_HOST_ID_BYTES,
    MAX_TOPIC_BYTES,
    CloseCode,
    fits,
)

NATS_CONTROL_LINE = 4096


@pytest.mark.parametrize(
    "code",
    ["", "é" * 43, "abc\u0661", "ab cd", "a.b", "a\n", "a" * 129, "abc%20", "ＡＢＣ"],
)
def test_code_syntax_refuses_non_ascii_overlong_and_empty(code: str) -> None:
    with pytest.raises(CodeRejected) as info:
        check_code_syntax(code)
    assert info.value.close_code == CloseCode.BAD_CODE


@pytest.mark.parametrize("code", ["a", "A-z_09", "a" * 128])
def test_code_syntax_accepts_the_url_safe_alphabet_up_to_128(code: str) -> None:
    check_code_syntax(code)


def test_minted_codes_pass_the_syntax_check() -> None:
    check_code_syntax(new_code())


async def test_memory_store_refuses_a_non_ascii_code_as_bad_code() -> None:
    store = MemoryCodeStore()
    with pytest.raises(CodeRejected):
        await store.redeem("é" * 43)


@pytest.mark.parametrize(
    ("value", "limit", "expected"),
    [("a" * 4, 4, True), ("a" * 5, 4, False), ("éé", 4, True), ("ééa", 4, False), ("\ud800", 8, False)],
)
def test_fits_counts_utf8_bytes_and_refuses_lone_surrogates(value: str, limit: int, expected: bool) -> None:
    assert fits(value, limit) is expected


def test_a_clients_connect_topic_at_the_host_id_limit_is_at_the_topic_limit() -> None:
    topic = "h" * MAX_HOST_ID_BYTES + "/" + "u" * 36 + "s" * 36
    assert len(topic.encode()) == MAX_HOST_ID_BYTES + CONNECT_SUFFIX_BYTES == MAX_TOPIC_BYTES


def test_the_longest_subject_and_kv_key_fit_natss_control_line() -> None:
    # Worst cases: every topic byte escaped (~HH), every booking id byte in base64.
    subject = session_subject("relay", "\u00ff" * (MAX_TOPIC_BYTES // 2), binary=True)
    key = "$KV.relay_bookings." + booking_key("allow", "\u00ff" * (MAX_BOOKING_ID_BYTES // 2))
    assert len(subject) + len(key) < NATS_CONTROL_LINE // 2
