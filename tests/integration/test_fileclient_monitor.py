"""The canary monitor against a real gateway: quiet while healthy, triggers its command when stopped."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from conftest import GatewayHandle
from relaytest import eventually

from fileclient.canary import Tripwire
from fileclient.monitor import CommandRunner, MintedTokens, Monitor

pytestmark = pytest.mark.integration


@contextlib.asynccontextmanager
async def running_monitor(
    gateway: GatewayHandle, marker: Path, *, threshold: float, topic: str
) -> AsyncIterator[Monitor]:
    monitor = Monitor(
        access_url=gateway.session_url(topic),
        tokens=MintedTokens(secret=gateway.secret, audience=gateway.audience, topic=topic, lifetime=600),
        tripwire=Tripwire(threshold=threshold, trigger_after=3, no_retrigger_within=60.0),
        runner=CommandRunner(("touch", str(marker))),
        interval=0.05,
        silence=0.05 + 0.5,
    )
    task = asyncio.create_task(monitor.run())
    try:
        yield monitor
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_monitor_is_quiet_while_healthy_and_triggers_when_the_gateway_stops(
    gateway: GatewayHandle, tmp_path: Path
) -> None:
    marker = tmp_path / "triggered"
    async with running_monitor(gateway, marker, threshold=0.5, topic="canary-st-data") as monitor:
        await eventually(lambda: monitor.received >= 20, timeout=10, what="20 canaries")
        assert monitor.tripwire.triggers == 0 and not marker.exists()
        p50 = monitor.window.percentile(50)
        assert p50 is not None and 0 < p50 < 0.5
        assert "p50" in monitor.status_line() and "p99" in monitor.status_line()
        await gateway.stop()
        await eventually(marker.exists, timeout=10, what="the command to run")
        assert monitor.tripwire.triggers == 1


async def test_monitor_triggers_when_latency_is_over_the_threshold(
    gateway: GatewayHandle, tmp_path: Path
) -> None:
    marker = tmp_path / "triggered"
    async with running_monitor(gateway, marker, threshold=1e-6, topic="canary-tight") as monitor:
        await eventually(marker.exists, timeout=10, what="the command to run")
        assert monitor.received >= 3 and monitor.tripwire.triggers == 1
