"""Compose the production services: NATS connection, bus, code store and hub."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from gateway.errors import BusUnavailable
from gateway.hub import Hub
from gateway.natsbus import NATS_ERRORS, NatsBus, connect_nats
from gateway.natsstore import KvCodeStore
from gateway.services import Services
from gateway.settings import GatewaySettings

log = logging.getLogger(__name__)

HEADROOM = 4096  # bytes of NATS framing and headers beside the largest relayed message


@asynccontextmanager
async def nats_services(settings: GatewaySettings, servers: list[str]) -> AsyncIterator[Services]:
    """Connect to NATS and build the services; drain the connection on exit.

    Raises:
        BusUnavailable: NATS or JetStream unreachable, or its max_payload too small.
    """
    nc = await connect_nats(servers, name=f"relay-gateway-{settings.replica_id}")
    try:
        if nc.max_payload < settings.max_message + HEADROOM:
            raise BusUnavailable(
                f"NATS max_payload is {nc.max_payload} bytes; Relay needs at least "
                f"{settings.max_message + HEADROOM} (set max_payload in nats-server.conf)"
            )
        codes = await KvCodeStore.open(
            nc, root=settings.nats_root, ttl=settings.code_ttl, replicas=settings.kv_replicas
        )
        bus = NatsBus(nc, root=settings.nats_root)
        services = Services(
            settings=settings,
            bus=bus,
            hub=Hub(bus),
            codes=codes,
            clock=time.time,
            ready=lambda: bool(nc.is_connected),
        )
        yield services
    finally:
        try:
            await nc.drain()
        except NATS_ERRORS:
            log.debug("NATS drain failed", exc_info=True)
