"""Prometheus metrics of one replica, in a registry of its own (several apps may share a process).

Traffic counters are read from the sessions at scrape time, so the per-message path pays
nothing for them. Labels stay bounded: no topic or booking id is ever a label.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from gateway.budget import MemoryBudget
from gateway.session import DropReason, Session

DELAY_BUCKETS = (0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)


class _Totals:
    """Counters of connections that have closed, added to the live ones at scrape time."""

    def __init__(self) -> None:
        self.messages_in = 0
        self.messages_out = 0
        self.bytes_in = 0
        self.bytes_out = 0
        self.dropped = 0
        self.drops: dict[str, int] = dict.fromkeys(DropReason, 0)
        self.unsent = 0


class _TrafficCollector(Collector):
    def __init__(
        self, sessions: Callable[[], Iterable[Session]], totals: _Totals, budget: MemoryBudget | None
    ) -> None:
        self._sessions = sessions
        self._totals = totals
        self._budget = budget

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        t = self._totals
        msg_in, msg_out, b_in, b_out, dropped = (
            t.messages_in,
            t.messages_out,
            t.bytes_in,
            t.bytes_out,
            t.dropped,
        )
        drops = dict(t.drops)
        unsent = t.unsent
        connections = 0
        for session in self._sessions():
            c = session.counters
            connections += 1
            msg_in += c.messages_in
            msg_out += c.messages_out
            b_in += c.bytes_in
            b_out += c.bytes_out
            for reason, n in c.drops.items():
                drops[reason] = drops.get(reason, 0) + n
            unsent += c.unsent
        gauge = GaugeMetricFamily("relay_connections", "Open websocket connections", labels=["prefix"])
        gauge.add_metric(["session"], connections)
        yield gauge
        messages = CounterMetricFamily(
            "relay_messages", "Messages received from (in) and written to (out) clients", labels=["direction"]
        )
        messages.add_metric(["in"], msg_in)
        messages.add_metric(["out"], msg_out)
        yield messages
        sizes = CounterMetricFamily("relay_bytes", "Payload bytes from and to clients", labels=["direction"])
        sizes.add_metric(["in"], b_in)
        sizes.add_metric(["out"], b_out)
        yield sizes
        del dropped  # the total is the sum of the reasons
        family = CounterMetricFamily(
            "relay_dropped_messages", "Messages a reader did not get, by reason", labels=["reason"]
        )
        for reason, n in sorted(drops.items()):
            family.add_metric([reason], n)
        yield family
        yield CounterMetricFamily(
            "relay_unsent_messages", "Messages that could not reach the other replicas", value=unsent
        )
        if self._budget is not None:
            b = self._budget
            used = GaugeMetricFamily("relay_memory_bytes", "Bytes held for relaying", labels=["kind"])
            used.add_metric(["used"], b.used)
            used.add_metric(["peak"], b.peak)
            used.add_metric(["limit"], b.limit)
            yield used


class Metrics:
    def __init__(self, sessions: Callable[[], Iterable[Session]], budget: MemoryBudget | None = None) -> None:
        self.registry = CollectorRegistry()
        self._totals = _Totals()
        self.registry.register(_TrafficCollector(sessions, self._totals, budget))
        self.access_requests = Counter(
            "relay_access_requests", "Access API requests by outcome", ["outcome"], registry=self.registry
        )
        self.redemptions = Counter(
            "relay_code_redemptions",
            "Websocket code redemptions by outcome",
            ["outcome"],
            registry=self.registry,
        )
        self.denies = Counter("relay_denies", "Bookings denied through this replica", registry=self.registry)
        self.revocations = Counter(
            "relay_revoked_connections",
            "Connections closed because their booking was denied",
            registry=self.registry,
        )
        self.relay_delay = Histogram(
            "relay_delay_seconds",
            "Sampled delay from receipt on one replica to fan-out on another",
            buckets=DELAY_BUCKETS,
            registry=self.registry,
        )

    def session_closed(self, session: Session) -> None:
        c, t = session.counters, self._totals
        t.messages_in += c.messages_in
        t.messages_out += c.messages_out
        t.bytes_in += c.bytes_in
        t.bytes_out += c.bytes_out
        t.dropped += c.dropped
        for reason, n in c.drops.items():
            t.drops[reason] = t.drops.get(reason, 0) + n
        t.unsent += c.unsent
