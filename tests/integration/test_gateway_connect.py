"""jump-compatible ssh relaying in the gateway (issue 5), without sshd: the protocol itself."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import time
import uuid
from urllib.parse import urlsplit

import httpx
import pytest
from conftest import GatewayFactory, GatewayHandle
from relaytest import request_uri
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

pytestmark = pytest.mark.integration

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def connect_url(gw: GatewayHandle, host_id: str) -> str:
    return f"{gw.access_base}/api/v1/connect/{host_id}"


def token(gw: GatewayHandle, host_id: str, scope: str, **kwargs: object) -> str:
    kwargs.setdefault("booking_id", None)
    return gw.mint(host_id, scopes=(scope,), prefix="connect", **kwargs)  # type: ignore[arg-type]


async def open_host(gw: GatewayHandle, host_id: str) -> ClientConnection:
    return await connect(await request_uri(connect_url(gw, host_id), token(gw, host_id, "host")))


async def next_action(mgmt: ClientConnection) -> dict[str, str]:
    message = await asyncio.wait_for(mgmt.recv(), 5)
    assert isinstance(message, str)
    return dict(json.loads(message))


@pytest.mark.parametrize(
    ("scopes", "host_id", "message"),
    [
        (("read", "write"), "123", "missing client, host or stats scope"),
        (("host", "client"), "123", "can only have client or host scope, not both"),
        (("stats",), "123", "path not valid for stats scope"),
        (("host",), "stats", "path not valid without stats scope"),
    ],
)
async def test_access_refusals_use_jumps_messages(
    gateway: GatewayHandle, scopes: tuple[str, ...], host_id: str, message: str
) -> None:
    tok = gateway.mint(host_id, scopes=scopes, prefix="connect", booking_id=None)
    async with httpx.AsyncClient() as http:
        reply = await http.post(connect_url(gateway, host_id), headers={"Authorization": tok})
    assert (reply.status_code, reply.text) == (
        401,
        json.dumps({"code": "401", "message": message}, separators=(",", ":")) + "\n",
    )


async def test_host_and_client_uris(gateway: GatewayHandle) -> None:
    host = await request_uri(connect_url(gateway, "123"), token(gateway, "123", "host"))
    assert re.fullmatch(rf"{gateway.relay_url}/connect/123\?code=\S+", host)
    first = await request_uri(connect_url(gateway, "123"), token(gateway, "123", "client"))
    second = await request_uri(connect_url(gateway, "123"), token(gateway, "123", "client"))
    assert re.fullmatch(rf"{gateway.relay_url}/connect/123/{UUID}\?code=\S+", first)
    assert first.split("?")[0] != second.split("?")[0]


async def test_client_on_b_reaches_host_on_a_server_speaks_first(gateway_factory: GatewayFactory) -> None:
    a = await gateway_factory()
    b = await gateway_factory(audience=a.audience)
    mgmt = await open_host(a, "lab")
    client_uri = await request_uri(connect_url(b, "lab"), token(b, "lab", "client"))
    client = await connect(client_uri)
    await client.send(b"SSH-2.0-client\r\n")  # before the host has spoken: held by the relay
    action = await next_action(mgmt)
    assert action["action"] == "connect" and re.fullmatch(UUID, action["uuid"])
    # The host is sent to the client's own pair path (on whichever replica minted the code).
    assert urlsplit(action["uri"]).path == urlsplit(client_uri).path
    host_side = await connect(action["uri"].replace(b.relay_url, a.relay_url))  # any replica will do
    await host_side.send(b"SSH-2.0-OpenSSH\r\n")
    assert await asyncio.wait_for(client.recv(), 5) == b"SSH-2.0-OpenSSH\r\n"
    assert await asyncio.wait_for(host_side.recv(), 5) == b"SSH-2.0-client\r\n"
    await client.close()
    ended = await next_action(mgmt)
    assert ended == {"action": "disconnect", "uri": "", "uuid": action["uuid"]}
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(host_side.recv(), 5)
    assert host_side.close_reason == "peer disconnected"


async def test_two_clients_get_separate_pairs(gateway: GatewayHandle) -> None:
    mgmt = await open_host(gateway, "lab2")
    clients = [
        await connect(await request_uri(connect_url(gateway, "lab2"), token(gateway, "lab2", "client")))
        for _ in range(2)
    ]
    actions = [await next_action(mgmt) for _ in range(2)]
    assert actions[0]["uuid"] != actions[1]["uuid"]
    host_sides = [await connect(action["uri"]) for action in actions]
    for i, side in enumerate(host_sides):
        await side.send(f"banner {i}".encode())
    got = sorted([await asyncio.wait_for(c.recv(), 5) for c in clients])
    assert got == [b"banner 0", b"banner 1"]


async def test_a_pair_loses_nothing_with_a_slow_reader_across_replicas(
    gateway_factory: GatewayFactory,
) -> None:
    a = await gateway_factory(buffer_size=8)
    b = await gateway_factory(audience=a.audience, buffer_size=8)
    mgmt = await open_host(a, "bulk")
    client = await connect(await request_uri(connect_url(b, "bulk"), token(b, "bulk", "client")), max_queue=2)
    host_side = await connect((await next_action(mgmt))["uri"])
    chunks = [os.urandom(65535) for _ in range(300)]  # ~19 MiB, far past every buffer on the way
    expected = hashlib.sha256(b"".join(chunks)).hexdigest()

    async def send_all() -> None:
        for chunk in chunks:
            await host_side.send(chunk)

    sender = asyncio.create_task(send_all())
    digest = hashlib.sha256()
    received = 0
    while received < len(chunks) * 65535:
        data = await asyncio.wait_for(client.recv(), 10)
        assert isinstance(data, bytes)
        digest.update(data)
        received += len(data)
        if received < 2 * 1024 * 1024:
            await asyncio.sleep(0.001)  # a slow reader at first: the relay must push back, not drop
    await sender
    assert digest.hexdigest() == expected


async def test_deny_ends_a_connect_pair(gateway: GatewayHandle) -> None:
    BOOKING = f"bk-connect-{uuid.uuid4()}"  # the deny list outlives a test: never reuse a booking id
    mgmt = await open_host(gateway, "lab3")
    client = await connect(
        await request_uri(connect_url(gateway, "lab3"), token(gateway, "lab3", "client", booking_id=BOOKING))
    )
    host_side = await connect((await next_action(mgmt))["uri"])
    await host_side.send(b"hello")
    assert await asyncio.wait_for(client.recv(), 5) == b"hello"
    admin = gateway.mint("admin", scopes=("relay:admin",))
    async with httpx.AsyncClient() as http:
        reply = await http.post(
            f"{gateway.access_base}/bids/deny?bid={BOOKING}&exp={int(time.time()) + 600}",
            headers={"Authorization": admin},
        )
    assert reply.status_code == 204
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(client.recv(), 5)
    assert client.close_code == 4503
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(host_side.recv(), 5)  # the host side follows its peer


async def test_client_leaving_before_the_host_speaks_is_noticed(gateway: GatewayHandle) -> None:
    mgmt = await open_host(gateway, "lab4")
    client = await connect(await request_uri(connect_url(gateway, "lab4"), token(gateway, "lab4", "client")))
    await client.send(b"SSH-2.0-client\r\n")  # held: the host never answers
    action = await next_action(mgmt)
    await client.close()
    assert await next_action(mgmt) == {"action": "disconnect", "uri": "", "uuid": action["uuid"]}


async def test_the_host_sides_error_reaches_the_client_across_replicas(
    gateway_factory: GatewayFactory,
) -> None:
    a = await gateway_factory()
    b = await gateway_factory(audience=a.audience)
    mgmt = await open_host(a, "lab5")
    client = await connect(await request_uri(connect_url(b, "lab5"), token(b, "lab5", "client")))
    host_side = await connect((await next_action(mgmt))["uri"].replace(b.relay_url, a.relay_url))
    await host_side.close(code=1011, reason="cannot reach 127.0.0.1:22")  # as hostd does
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(client.recv(), 5)
    assert (client.close_code, client.close_reason) == (1011, "cannot reach 127.0.0.1:22")
