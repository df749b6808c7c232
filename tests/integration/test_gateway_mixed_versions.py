"""Rolling upgrades: a code written into the shared KV by a replica of another version redeems here.

The grant JSON is put into the code bucket directly, as a newer (one more field) or an older
(fewer fields) replica would have written it.
"""

from __future__ import annotations

import asyncio
import json
import time

import nats
import pytest
from conftest import GatewayHandle
from relaytest import open_ws
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from gateway.codes import new_code

pytestmark = pytest.mark.integration


async def put_code(gw: GatewayHandle, grant_json: bytes) -> str:
    """Store ``grant_json`` under a fresh code, as another replica's access API would."""
    nc = await nats.connect(gw.settings.nats_url)
    try:
        kv = await nc.jetstream().key_value(f"{gw.settings.nats_root}_codes")
        code = new_code()
        await kv.create(code, grant_json)
    finally:
        await nc.close()
    return code


def grant_json(topic: str, **fields: object) -> bytes:
    base: dict[str, object] = {
        "topic": topic,
        "prefix": "session",
        "scopes": ["read", "write"],
        "booking_id": "bk-mixed",
        "expires_at": int(time.time()) + 300,
        "minted_at": time.time(),
    }
    return json.dumps({**base, **fields}).encode()


async def relays_through_code(gw: GatewayHandle, topic: str, code: str) -> None:
    reader = await open_ws(gw.session_url(topic), gw.mint(topic, scopes=("read",)))
    writer = await connect(f"{gw.relay_url}/session/{topic}?code={code}")
    await writer.send("from the other version's code")
    assert await asyncio.wait_for(reader.recv(), 5) == "from the other version's code"
    await writer.close()
    await reader.close()


async def test_a_grant_with_a_field_from_a_newer_replica_redeems(gateway: GatewayHandle) -> None:
    code = await put_code(gateway, grant_json("newer", region="eu-1", quota={"rate": 5}))
    await relays_through_code(gateway, "newer", code)


async def test_a_grant_without_the_fields_an_older_replica_did_not_know_redeems(
    gateway: GatewayHandle,
) -> None:
    code = await put_code(gateway, grant_json("older"))  # no issued_at, not_before, salt, alert, pair
    await relays_through_code(gateway, "older", code)


@pytest.mark.parametrize(
    "raw",
    [b"\x00not json", grant_json("bad", scopes="read"), json.dumps({"prefix": "session"}).encode()],
    ids=["undecodable", "wrong-type", "no-topic"],
)
async def test_an_unreadable_grant_closes_4500_not_500(gateway: GatewayHandle, raw: bytes) -> None:
    code = await put_code(gateway, raw)
    ws = await connect(f"{gateway.relay_url}/session/bad?code={code}")
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(ws.recv(), 5)
    assert (ws.close_code, ws.close_reason) == (4500, "invalid code")
