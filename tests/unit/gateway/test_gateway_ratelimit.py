"""Token buckets with a fake clock: burst, refill, Retry-After, one log-worthy refusal per run,
memory bounded by address count and idle eviction; and whose address a request counts against."""

from __future__ import annotations

import pytest

from gateway.ratelimit import RateLimiter, client_key, parse_trusted, retry_after_header


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limiter(clock: Clock, *, rate: float = 2.0, burst: int = 3, max_keys: int = 100) -> RateLimiter:
    return RateLimiter(rate=rate, burst=burst, max_keys=max_keys, clock=clock)


def test_a_full_bucket_allows_a_burst_then_refuses() -> None:
    clock = Clock()
    limits = limiter(clock)
    assert [limits.take("a").allowed for _ in range(4)] == [True, True, True, False]


def test_refusal_says_when_a_token_is_back_and_the_bucket_refills_at_the_rate() -> None:
    clock = Clock()
    limits = limiter(clock, rate=2.0, burst=1)
    assert limits.take("a").allowed
    refused = limits.take("a")
    assert not refused.allowed and refused.retry_after == pytest.approx(0.5)
    clock.now += 0.25
    assert limits.take("a").retry_after == pytest.approx(0.25)
    clock.now += 0.25
    assert limits.take("a").allowed


def test_refill_is_capped_at_the_burst() -> None:
    clock = Clock()
    limits = limiter(clock, rate=10.0, burst=3)
    limits.take("a")
    clock.now += 3600
    assert [limits.take("a").allowed for _ in range(4)] == [True, True, True, False]


def test_only_the_first_refusal_of_a_run_is_flagged_for_the_log() -> None:
    clock = Clock()
    limits = limiter(clock, rate=1.0, burst=1)
    limits.take("a")
    flags = [limits.take("a").first_refusal for _ in range(3)]
    assert flags == [True, False, False]
    clock.now += 1.0
    assert limits.take("a").allowed
    assert limits.take("a").first_refusal  # a new run after an allowed request


def test_addresses_have_buckets_of_their_own() -> None:
    clock = Clock()
    limits = limiter(clock, burst=1)
    assert limits.take("a").allowed and not limits.take("a").allowed
    assert limits.take("b").allowed


def test_memory_is_bounded_by_the_number_of_addresses() -> None:
    clock = Clock()
    limits = limiter(clock, rate=0.001, burst=5, max_keys=50)  # nothing refills during the test
    for n in range(10_000):
        limits.take(f"10.0.{n // 256}.{n % 256}")
        assert len(limits) <= 50
    # The least recently used went first: the latest addresses are still tracked (and spent).
    for _ in range(4):
        limits.take("10.0.39.15")
    assert not limits.take("10.0.39.15").allowed


def test_idle_buckets_are_dropped_once_they_would_be_full_again() -> None:
    clock = Clock()
    limits = limiter(clock, rate=1.0, burst=3, max_keys=1000)
    for n in range(100):
        limits.take(f"a{n}")
    assert len(limits) == 100
    clock.now += 3.0  # every bucket is full again: equivalent to no bucket
    for n in range(60):
        limits.take(f"b{n}")
    assert len(limits) == 60  # each take swept up to two idle buckets: all 100 are gone
    assert all(limits.take(f"a{n}").allowed for n in range(100))  # nothing was lost by dropping


def test_a_busy_address_is_not_swept() -> None:
    clock = Clock()
    limits = limiter(clock, rate=1.0, burst=2, max_keys=1000)
    limits.take("busy")
    limits.take("busy")
    clock.now += 0.5
    limits.take("other")
    assert not limits.take("busy").allowed  # still spent: not forgotten by the sweep


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError):
        RateLimiter(rate=0, burst=1, max_keys=1, clock=Clock())


@pytest.mark.parametrize(("seconds", "header"), [(0.01, "1"), (1.0, "1"), (1.2, "2"), (59.9, "60")])
def test_retry_after_is_whole_seconds_and_at_least_one(seconds: float, header: str) -> None:
    assert retry_after_header(seconds) == header


TRUSTED = parse_trusted(["10.0.0.0/8", "fd00::/8"])


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.5", None, (), "203.0.113.5"),
        ("203.0.113.5", "198.51.100.1", TRUSTED, "203.0.113.5"),  # an untrusted peer's header is ignored
        ("203.0.113.5", "198.51.100.1", (), "203.0.113.5"),  # no proxy configured: ignored
        ("10.1.2.3", "198.51.100.1", TRUSTED, "198.51.100.1"),
        ("10.1.2.3", "1.1.1.1, 198.51.100.1", TRUSTED, "198.51.100.1"),  # the nearest proxy's entry wins
        ("10.1.2.3", "198.51.100.1, 10.9.9.9", TRUSTED, "198.51.100.1"),  # trusted hops skipped
        ("10.1.2.3", "garbage, 198.51.100.1", TRUSTED, "198.51.100.1"),
        ("10.1.2.3", "garbage", TRUSTED, "10.1.2.3"),
        ("10.1.2.3", "", TRUSTED, "10.1.2.3"),
        ("2001:db8:1:2:3:4:5:6", None, (), "2001:db8:1:2::/64"),  # IPv6: one key per /64
        ("::ffff:192.0.2.7", None, (), "192.0.2.7"),
        ("fd00::1", "2001:db8::1", TRUSTED, "2001:db8::/64"),
    ],
)
def test_client_key(peer: str, forwarded: str | None, trusted: tuple, expected: str) -> None:  # type: ignore[type-arg]
    assert client_key(peer, forwarded, trusted) == expected
