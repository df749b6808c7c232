"""Token buckets per client address, bounded in memory, and the client address itself.

Pure: no I/O, no framework; the clock is injected. A bucket holds up to ``burst`` tokens and
gains ``rate`` per second; each request takes one. At most ``max_keys`` buckets are kept: the
least recently used is evicted first, and a bucket idle long enough to be full again is the
same as no bucket, so it is dropped as soon as it reaches the front (docs/security.md).
"""

from __future__ import annotations

import ipaddress
import math
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

IPV6_PREFIX: Final = 64  # an IPv6 client is one /64: anyone holds 2**64 addresses of their own
SWEEP_PER_TAKE: Final = 2  # idle buckets looked at (and dropped) per take: O(1), amortised


@dataclass(slots=True)
class _Bucket:
    tokens: float  # as of ``at``
    at: float  # clock seconds of the last update
    refusing: bool = False  # the last take was refused (its first refusal was reported)


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    retry_after: float = 0.0  # seconds until one token is back (0 when allowed)
    first_refusal: bool = False  # the first refusal after an allowed take: worth one log line


class RateLimiter:
    """Per-key token buckets.

    Args:
        rate: tokens per second (> 0).
        burst: bucket size (>= 1).
        max_keys: buckets kept at most.
        clock: monotonic seconds.
    """

    def __init__(self, *, rate: float, burst: int, max_keys: int, clock: Callable[[], float]) -> None:
        if rate <= 0 or burst < 1 or max_keys < 1:
            raise ValueError("rate must be positive, burst and max_keys at least 1")
        self.rate = rate
        self.burst = burst
        self.max_keys = max_keys
        self._clock = clock
        self._full_after = burst / rate  # seconds of idleness that refill any bucket
        # Least recently used first. An OrderedDict, not a dict: finding and dropping the first
        # entry stays O(1) under churn (a dict's iteration skips the holes deletions leave).
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, key: str) -> Decision:
        """Take one token from ``key``'s bucket, creating it full if absent."""
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(tokens=float(self.burst), at=now)
        else:
            bucket.tokens = min(self.burst, bucket.tokens + max(0.0, now - bucket.at) * self.rate)
            bucket.at = now
            self._buckets.move_to_end(key)  # most recently used: last
        self._sweep(now)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.refusing = False
            return Decision(True)
        first = not bucket.refusing
        bucket.refusing = True
        return Decision(False, retry_after=(1.0 - bucket.tokens) / self.rate, first_refusal=first)

    def _sweep(self, now: float) -> None:
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        for _ in range(SWEEP_PER_TAKE):
            oldest = next(iter(self._buckets))
            if now - self._buckets[oldest].at < self._full_after or len(self._buckets) == 1:
                return
            del self._buckets[oldest]


def retry_after_header(seconds: float) -> str:
    """``Retry-After`` in whole seconds, at least 1 (HTTP has no fractions)."""
    return str(max(1, math.ceil(seconds)))


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted(cidrs: Sequence[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(c, strict=False) for c in cidrs)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _key(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False))
    return str(address)


def client_key(peer: str, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """The rate-limit key of a request: its peer address, or the client a trusted proxy names.

    ``X-Forwarded-For`` is read only when the peer is in ``trusted``; its entries are taken from
    the right (the nearest proxy's) and trusted proxies are skipped, so a client cannot choose
    its own key by sending the header. IPv6 clients are keyed by their /64.
    """
    address = _address(peer)
    if address is None:
        return peer[:64] or "-"  # a unix socket or test transport: one bucket for all
    if forwarded_for and any(address in net for net in trusted):
        for entry in reversed(forwarded_for.split(",")[-16:]):
            hop = _address(entry)
            if hop is None:
                break  # garbage from further left is not believed
            address = hop
            if not any(hop in net for net in trusted):
                break
    return _key(address)
