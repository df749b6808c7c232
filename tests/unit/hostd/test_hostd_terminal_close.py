"""A terminal close ends a destination or tunnel rule's task: state "failed", the reason kept, no restart."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import pytest
from websockets.asyncio.client import ClientConnection

from hostd.control import Control
from hostd.router import Router
from hostd.rules import Destination
from hostd.tunnel import TunnelLink
from hostd.tunnelrules import Tunnel
from hostd.uplink import Uplink
from relayclient.connect import TerminalClose

DIALS = 0


async def refused(self: Uplink | TunnelLink) -> AsyncGenerator[ClientConnection, None]:
    """Stands in for relayclient's loop when the relay closed with 4503 (it raises, as reconnecting() does)."""
    global DIALS
    DIALS += 1
    ended = TerminalClose(4503, "booking cancelled")
    self.state.set("failed", str(ended))
    raise ended
    yield  # an async generator, like reconnecting()


@pytest.fixture(autouse=True)
def terminal_links(monkeypatch: pytest.MonkeyPatch) -> None:
    global DIALS
    DIALS = 0
    monkeypatch.setattr(Uplink, "connections", refused)
    monkeypatch.setattr(TunnelLink, "connections", refused)


async def ended(task_name: str) -> None:
    for task in asyncio.all_tasks():
        if task.get_name() == task_name:
            await asyncio.wait_for(task, 5)


async def test_a_destination_closed_4503_stays_failed_with_the_reason() -> None:
    control = Control(Router())
    await control.put_destination(
        Destination(id="cam", stream="s", destination="https://x/session/t", token="t")
    )
    await ended("uplink:cam")  # the rule's task returned by itself instead of reconnecting
    status = control.status()["destinations"]["cam"]  # type: ignore[index]
    assert status["state"] == "failed" and "4503 booking cancelled" in status["last_error"]
    assert DIALS == 1
    await control.close()


async def test_a_tunnel_closed_4503_stays_failed_with_the_reason() -> None:
    control = Control(Router())
    await control.put_tunnel(Tunnel(id="ssh", access="https://x/api/v1/connect/lab", token="t"))
    await ended("tunnel:ssh")
    status = control.status()["tunnels"]["ssh"]  # type: ignore[index]
    assert status["state"] == "failed" and "4503 booking cancelled" in status["last_error"]
    assert DIALS == 1
    await control.close()
