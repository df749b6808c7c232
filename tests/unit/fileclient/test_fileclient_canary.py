from __future__ import annotations

import pytest

from fileclient.canary import LatencyWindow, Tripwire, decode_ns, encode_ns
from fileclient.monitor import MintedTokens
from tokentool.claims import decode


def test_canary_payload_is_minimal_big_endian_nanoseconds() -> None:
    at = 1_658_306_108_123_456_789
    payload = encode_ns(at)
    assert payload == at.to_bytes(8, "big") and len(payload) == 8
    assert encode_ns(255) == b"\xff" and encode_ns(256) == b"\x01\x00" and encode_ns(0) == b"\x00"
    assert decode_ns(payload) == at


@pytest.mark.parametrize("data", ["text", b"", b"123456789"])
def test_non_canaries_decode_to_none(data: str | bytes) -> None:
    assert decode_ns(data) is None


def test_percentiles_nearest_rank() -> None:
    window = LatencyWindow(size=100)
    assert window.percentile(50) is None and window.last is None
    for ms in range(1, 101):
        window.add(ms / 1000)
    assert window.percentile(50) == pytest.approx(0.050)
    assert window.percentile(99) == pytest.approx(0.099)
    assert window.percentile(100) == pytest.approx(0.100)
    assert window.last == pytest.approx(0.100)


def test_window_keeps_only_the_latest_samples() -> None:
    window = LatencyWindow(size=3)
    for value in (9.0, 9.0, 9.0, 1.0, 1.0, 1.0):
        window.add(value)
    assert len(window) == 3 and window.percentile(99) == 1.0


def tripwire() -> Tripwire:
    return Tripwire(threshold=0.2, trigger_after=3, no_retrigger_within=60.0)


def test_three_late_canaries_in_a_row_trigger() -> None:
    t = tripwire()
    assert [t.canary(0.3, now) for now in (1, 2, 3)] == [False, False, True]
    assert t.triggers == 1 and t.misses == 0


def test_an_on_time_canary_resets_the_count() -> None:
    t = tripwire()
    results = [t.canary(latency, now) for now, latency in enumerate((0.3, 0.3, 0.1, 0.3, 0.3))]
    assert results == [False] * 5 and t.misses == 2


def test_silences_count_as_misses_and_mix_with_late_canaries() -> None:
    t = tripwire()
    assert not t.silence(1.0)
    assert not t.canary(0.5, 2.0)
    assert t.silence(3.0)


def test_no_retrigger_within_the_rest_period() -> None:
    t = tripwire()
    for now in (1, 2, 3):
        t.silence(now)
    assert t.triggers == 1
    assert not any(t.silence(now) for now in range(4, 63))  # resting until 63
    assert [t.silence(now) for now in (63, 64, 65)] == [False, False, True]
    assert t.triggers == 2


def test_monitor_token_matches_practable_golden_vector() -> None:
    # R:internal/monitor/monitor_test.go: exp = iat, nbf = iat - 1
    tokens = MintedTokens(
        secret="xxx000",
        audience="https://app.practable.io/ed0/access",
        topic="canary-st-data",
        lifetime=0,
        wall=lambda: 1658306108.4,
    )
    token = tokens.read()
    assert token.rsplit(".", 1)[1] == "ScP6fv_ddXs0iQ2WY6oMGafgTKv7bZsp_0sVbHe7CNY"
    assert "xxx000" not in repr(tokens) and tokens.describe() == "minted:canary-st-data"


def test_monitor_tokens_are_fresh_and_valid_for_the_lifetime() -> None:
    now = [1_700_000_000.0]
    tokens = MintedTokens(secret="s", audience="http://a", topic="t", lifetime=3600, wall=lambda: now[0])
    first = decode(tokens.read(), secret="s", audience="http://a", now=now[0])
    assert (
        first.scopes == ("read", "write")
        and first.booking_id == "relay-monitor"
        and first.prefix == "session"
    )
    assert first.expires_at == 1_700_003_600 and first.not_before == 1_699_999_999
    now[0] += 7200
    second = decode(tokens.read(), secret="s", audience="http://a", now=now[0])
    assert second.expires_at == 1_700_010_800
