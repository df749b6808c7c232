"""Reconcile: a replica that missed a revocation closes that booking's sessions and ssh pairs."""

from __future__ import annotations

import time

from gateway.bookings import MemoryBookings
from gateway.bus import InMemoryNetwork
from gateway.codes import MemoryCodeStore
from gateway.hub import Hub
from gateway.services import Services
from gateway.session import Session
from gateway.settings import GatewaySettings


def services() -> Services:
    network = InMemoryNetwork()
    settings = GatewaySettings(audience="http://a", secret="s", url="ws://a")
    return Services(
        settings=settings,
        bus=network.bus(),
        hub=Hub(network.bus()),
        connect_hub=Hub(network.bus()),
        codes=MemoryCodeStore(),
        bookings=MemoryBookings(),
    )


async def test_reconcile_closes_sessions_and_ssh_pairs_of_a_booking_denied_meanwhile() -> None:
    svc = services()
    assert svc.connect_hub is not None
    viewer = Session(topic="lab", can_read=True, can_write=False, booking_id="gone")
    client = Session(
        topic="lab/u1salt", can_read=True, can_write=True, booking_id="gone", lossless=True, pair="u1"
    )
    host = Session(
        topic="lab/u1salt", can_read=True, can_write=True, booking_id="gone", lossless=True, pair="u1"
    )
    other = Session(topic="lab2", can_read=True, can_write=True, booking_id="kept")
    await svc.hub.join(viewer)
    await svc.hub.join(other)
    await svc.connect_hub.join(client)
    await svc.connect_hub.join(host)
    await svc.bookings.deny("gone", int(time.time()) + 60)  # written by another replica: no revocation here
    assert await svc.reconcile() == 3
    for session in (viewer, client, host):
        assert session.close_request == (4503, "booking cancelled")
    assert other.close_request is None


async def test_reconcile_with_nothing_denied_closes_nothing() -> None:
    svc = services()
    s = Session(topic="lab", can_read=True, can_write=True, booking_id="b")
    await svc.hub.join(s)
    assert await svc.reconcile() == 0 and s.close_request is None
