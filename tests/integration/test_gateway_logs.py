"""Connection events are logged as one JSON line each, and never carry a token or a code."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from conftest import GatewayHandle
from relaytest import eventually, request_uri
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from gateway.logs import json_formatter

pytestmark = pytest.mark.integration


async def test_connection_events_are_json_lines_without_secrets(
    gateway: GatewayHandle, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    token = gateway.mint("logged", booking_id="bk-log")
    uri = await request_uri(gateway.session_url("logged"), token)
    code = uri.rsplit("code=", 1)[1]
    ws = await connect(uri)
    await ws.close()
    reused = await connect(uri)  # the same code again: refused
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(reused.recv(), 5)

    def events() -> list[dict[str, object]]:
        lines = [json_formatter("replica-x").format(r) for r in caplog.records]
        return [e for e in map(json.loads, lines) if e.get("event") == "connection"]

    await eventually(lambda: len(events()) >= 3, what="three connection events")
    by_outcome = {str(e["outcome"]): e for e in events()}
    assert set(by_outcome) >= {"open", "closed", "refused"}
    opened, closed = by_outcome["open"], by_outcome["closed"]
    assert opened["conn_id"] == closed["conn_id"] and opened["booking_id"] == "bk-log"
    assert closed["closed_by"] == "client" and closed["close_code"] == 1000
    assert by_outcome["refused"]["close_code"] == 4500
    assert all(e["replica"] == "replica-x" and e["topic"] == "logged" for e in events())
    everything = "\n".join(json_formatter().format(r) for r in caplog.records)
    assert token not in everything
    assert code not in everything
    assert gateway.secret not in everything
