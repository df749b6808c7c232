"""Telling a host on another replica to dial: a bus failure refuses the client instead of leaving it waiting."""

from __future__ import annotations

import pytest

from gateway.bus import InMemoryNetwork
from gateway.errors import BusUnavailable
from gateway.hub import Hub
from gateway.jump import _tell_host
from gateway.session import Session


async def test_an_alert_that_cannot_leave_is_bus_unavailable() -> None:
    network = InMemoryNetwork()
    hub = Hub(network.bus())
    network.available = False
    with pytest.raises(BusUnavailable):
        await _tell_host(hub, "lab", '{"action":"connect"}')


async def test_an_alert_to_a_host_on_this_replica_needs_no_bus() -> None:
    network = InMemoryNetwork()
    hub = Hub(network.bus())
    host = Session(topic="lab", can_read=True, can_write=True)
    await hub.join(host)
    network.available = False
    await _tell_host(hub, "lab", "hello")
    assert host.take() == "hello"
