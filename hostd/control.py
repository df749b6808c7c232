"""The live rule set and the tasks that serve it: one ``Uplink`` task per destination rule.

Every change (local API, control channel, config file) goes through ``Control`` so that the
rules, the router's stream map and the running connections never disagree.
"""

from __future__ import annotations

import asyncio
import logging
import time

from hostd.router import Router
from hostd.rules import ALL, DELETE_ALL, Destination, Rules, Stream
from hostd.tunnel import TunnelLink
from hostd.tunnelrules import Tunnel
from hostd.uplink import BackoffFactory, Uplink
from relayclient.backoff import Backoff

log = logging.getLogger(__name__)


class Control:
    """Owned by the daemon; all methods run on the event loop."""

    def __init__(
        self,
        router: Router,
        *,
        backoff: BackoffFactory = Backoff,
        healthy_after: float = 5.0,
        feeds: tuple[str, ...] = (),
    ) -> None:
        self.router = router
        self.rules = Rules()
        self.feeds = feeds  # declared in the config file, shown in status even when idle
        self.started = time.time()
        self._backoff = backoff
        self._healthy_after = healthy_after
        self._uplinks: dict[str, tuple[Uplink, asyncio.Task[None]]] = {}
        self._tunnels: dict[str, tuple[TunnelLink, asyncio.Task[None]]] = {}

    async def put_destination(self, rule: Destination) -> bool:
        """Add or replace a rule; an existing connection with the same id is closed first."""
        if not self.rules.put_destination(rule):
            return False
        await self._stop(rule.id)
        uplink = Uplink(
            rule,
            self.router,
            backoff=self._backoff,
            healthy_after=self._healthy_after,
        )
        task = asyncio.create_task(self._run(uplink), name=f"uplink:{rule.id}")
        self._uplinks[rule.id] = (uplink, task)
        return True

    async def delete_destination(self, rule_id: str) -> list[str]:
        removed = self.rules.delete_destination(rule_id)
        for key in removed:
            await self._stop(key)
        return removed

    def put_stream(self, rule: Stream) -> bool:
        changed = self.rules.put_stream(rule)
        self.router.set_streams(self.rules.streams)
        return changed

    def delete_stream(self, name: str) -> list[str]:
        removed = self.rules.delete_stream(name)
        self.router.set_streams(self.rules.streams)
        return removed

    async def put_tunnel(self, rule: Tunnel) -> bool:
        """Add or replace a tunnel; replacing one ends its live sessions. False for reserved ids."""
        if rule.id in (DELETE_ALL, ALL):
            return False
        await self._stop_tunnel(rule.id)
        link = TunnelLink(rule, backoff=self._backoff, healthy_after=self._healthy_after)
        task = asyncio.create_task(self._run_tunnel(link), name=f"tunnel:{rule.id}")
        self._tunnels[rule.id] = (link, task)
        return True

    async def delete_tunnel(self, rule_id: str) -> list[str]:
        """Delete one tunnel, or all for ``deleteAll``/``all``; returns the ids removed."""
        removed = list(self._tunnels) if rule_id in (DELETE_ALL, ALL) else [rule_id]
        removed = [key for key in removed if key in self._tunnels]
        for key in removed:
            await self._stop_tunnel(key)
        return removed

    def tunnel(self, rule_id: str) -> TunnelLink | None:
        entry = self._tunnels.get(rule_id)
        return entry[0] if entry else None

    def tunnels_json(self) -> dict[str, dict[str, str]]:
        """The tunnel rules, tokens redacted (a new API: no compatibility reason to echo them)."""
        return {key: self._tunnels[key][0].rule.redacted() for key in sorted(self._tunnels)}

    async def close(self) -> None:
        """Stop every connection (shutdown)."""
        for key in list(self._uplinks):
            await self._stop(key)
        for key in list(self._tunnels):
            await self._stop_tunnel(key)

    def uplink(self, rule_id: str) -> Uplink | None:
        entry = self._uplinks.get(rule_id)
        return entry[0] if entry else None

    def status(self) -> dict[str, object]:
        """Everything ``hostd status`` prints; never contains a token."""
        feeds = self.router.stats_json()
        for feed in self.feeds:
            feeds.setdefault(feed, {"messages": 0, "bytes": 0, "dropped": {}})
        return {
            "uptime": round(time.time() - self.started, 1),
            "streams": self.rules.streams_json(),
            "destinations": {key: self._uplinks[key][0].status() for key in sorted(self._uplinks)},
            "feeds": {key: feeds[key] for key in sorted(feeds)},
            "tunnels": {key: self._tunnels[key][0].status() for key in sorted(self._tunnels)},
        }

    async def _stop(self, rule_id: str) -> None:
        entry = self._uplinks.pop(rule_id, None)
        if entry is None:
            return
        uplink, task = entry
        task.cancel()
        current = asyncio.current_task()
        try:
            await task
        except asyncio.CancelledError:
            if current is not None and current.cancelling():
                raise  # we are being cancelled ourselves, not just the uplink
        finally:
            uplink.state.set("stopped")  # also when the task was cancelled before it ever ran

    async def _stop_tunnel(self, rule_id: str) -> None:
        entry = self._tunnels.pop(rule_id, None)
        if entry is None:
            return
        link, task = entry
        task.cancel()
        current = asyncio.current_task()
        try:
            await task
        except asyncio.CancelledError:
            if current is not None and current.cancelling():
                raise
        finally:
            link.state.set("stopped")

    async def _run_tunnel(self, link: TunnelLink) -> None:
        # The one top-level handler of a tunnel task, as for uplinks.
        while True:
            try:
                await link.run()
                return  # the relay ended the rule for good (state "failed")
            except Exception as exc:
                link.state.set("retrying", f"internal error: {exc!r}")
                log.exception("tunnel %s crashed; restarting in 1s", link.rule.id)
                await asyncio.sleep(1.0)

    async def _run(self, uplink: Uplink) -> None:
        # The one top-level handler of an uplink task: a bug must not end the rule silently.
        while True:
            try:
                await uplink.run()
                return  # the relay ended the rule for good (state "failed")
            except Exception as exc:
                uplink.state.set("retrying", f"internal error: {exc!r}")
                log.exception("destination %s crashed; restarting in 1s", uplink.rule.id)
                await asyncio.sleep(1.0)
