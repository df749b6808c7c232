"""Records replicas share (deny/allow entries, revoke, pair-end and status messages) are decoded
tolerantly: unknown fields ignored, missing ones defaulted, malformed ones logged and skipped."""

from __future__ import annotations

import json
import logging

import pytest

from gateway import natsstore
from gateway.bookings import booking_key
from gateway.natscluster import decode_pair_end, decode_revoke, decode_status_reply
from gateway.natsstore import RateLimitedLog, booking_of_key, decode_booking

MALFORMED = [b"", b"not json", b"[1,2]", b'"text"', b"null", b"\xff\xfe"]


def test_booking_entry_ignores_unknown_fields() -> None:
    data = json.dumps({"bid": "b1", "exp": 123, "by": "admin", "v": 2}).encode()
    assert decode_booking(booking_key("deny", "b1"), data) == ("b1", 123)


def test_booking_entry_without_bid_takes_it_from_the_key() -> None:
    key = booking_key("allow", "bk/é 1")
    assert booking_of_key(key) == "bk/é 1"
    assert decode_booking(key, b'{"exp": 5.9}') == ("bk/é 1", 5)


@pytest.mark.parametrize(
    "data",
    [*MALFORMED, b'{"bid": "b"}', b'{"bid": "b", "exp": "soon"}', b'{"bid": 7, "exp": 1}', b'{"exp": true}'],
)
def test_malformed_booking_entry_is_skipped(data: bytes) -> None:
    assert decode_booking(booking_key("deny", "b"), data) is None


def test_revocation_message() -> None:
    assert decode_revoke(b'{"bid": "b1", "extra": 1}') == "b1"
    for data in [*MALFORMED, b"{}", b'{"bid": 3}']:
        assert decode_revoke(data) is None


def test_pair_end_message_defaults_code_and_reason() -> None:
    assert decode_pair_end(b'{"pair": "p", "code": 1011, "reason": "x", "new": 1}') == ("p", 1011, "x")
    assert decode_pair_end(b'{"pair": "p"}') == ("p", 1000, "peer disconnected")
    for data in [*MALFORMED, b"{}", b'{"pair": "p", "code": "x"}', b'{"pair": 1}']:
        assert decode_pair_end(data) is None


def test_status_answer_keeps_object_records_only() -> None:
    assert decode_status_reply(b'{"replica": "r", "records": [{"a": 1}, 3, "x"], "v": 2}') == (
        "r",
        [{"a": 1}],
    )
    assert decode_status_reply(b'{"replica": "r"}') == ("r", [])
    for data in [*MALFORMED, b'{"records": []}', b'{"replica": "r", "records": {}}']:
        assert decode_status_reply(data) is None


def test_malformed_records_are_logged_once_per_period_without_traceback(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(natsstore, "limited", RateLimitedLog(natsstore.log, every=60))
    caplog.set_level(logging.WARNING)
    for _ in range(20):
        assert decode_revoke(b"garbage") is None
    assert [r.getMessage() for r in caplog.records] == ["ignoring malformed revocation message"]
    assert caplog.records[0].exc_info is None
