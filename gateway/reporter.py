"""The stats topic: a cluster-wide report for this replica's readers of topic ``stats``.

Every replica with local readers of ``stats`` reports to them itself (never through the bus,
so nobody gets a report twice): every ``stats_every`` seconds, and promptly after any
``{"cmd":"update"}`` on the topic, at most once per ``MIN_INTERVAL``.
"""

from __future__ import annotations

import asyncio
import logging

from gateway.errors import BusUnavailable
from gateway.services import Services
from gateway.session import Message
from gateway.stats import STATS_TOPIC, is_update_command, stats_report

log = logging.getLogger(__name__)

MIN_INTERVAL = 0.5  # seconds between two reports
GATHER_TIMEOUT = 0.25  # seconds to wait for other replicas' records


class StatsReporter:
    def __init__(self, services: Services, *, every: float) -> None:
        self._services = services
        self._every = every
        self._update = asyncio.Event()
        services.hub.set_tap(STATS_TOPIC, self._observe)

    def _observe(self, message: Message) -> None:
        if is_update_command(message):
            self._update.set()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        last = -MIN_INTERVAL
        while True:
            try:
                await asyncio.wait_for(self._update.wait(), self._every)
            except TimeoutError:
                pass
            self._update.clear()
            hub = self._services.hub
            if not hub.has_readers(STATS_TOPIC):
                continue
            pause = last + MIN_INTERVAL - loop.time()
            if pause > 0:
                await asyncio.sleep(pause)
            try:
                records = await self._services.all_records(GATHER_TIMEOUT)
            except BusUnavailable as exc:
                log.warning("stats report without other replicas: %s", exc.reason)
                records = self._services.local_records()
            hub.deliver_local(STATS_TOPIC, stats_report(records, self._services.clock()))
            last = loop.time()
