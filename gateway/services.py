"""The collaborators a running gateway's routes share, built once in the app's lifespan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from gateway.bus import Bus
from gateway.codes import CodeStore
from gateway.hub import Hub
from gateway.settings import GatewaySettings


@dataclass(slots=True, kw_only=True)
class Services:
    settings: GatewaySettings
    bus: Bus
    hub: Hub
    codes: CodeStore
    clock: Callable[[], float]  # unix seconds
    ready: Callable[[], bool] = field(default=lambda: True)  # NATS connected and not draining
    draining: bool = False  # set once when shutdown starts
