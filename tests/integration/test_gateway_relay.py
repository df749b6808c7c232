"""The websocket relay against a real nats-server, with one and two gateway replicas."""

from __future__ import annotations

import asyncio
import os
from urllib.parse import urlsplit

import pytest
from conftest import GatewayFactory, GatewayHandle
from relaytest import assert_quiet, open_ws, request_uri
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

pytestmark = pytest.mark.integration


async def test_access_returns_relay_url_with_one_time_code(gateway: GatewayHandle) -> None:
    uri = await request_uri(gateway.session_url("123"), gateway.mint("123"))
    assert uri.startswith(f"{gateway.relay_url}/session/123?code=")
    assert len(uri.rsplit("code=", 1)[1]) >= 22  # >= 128 bits in URL-safe base64


async def test_writer_on_one_replica_reaches_reader_on_another(gateway_factory: GatewayFactory) -> None:
    a = await gateway_factory()
    b = await gateway_factory(audience=a.audience)
    reader = await open_ws(b.session_url("lab1"), a.mint("lab1", scopes=("read",)))
    writer = await open_ws(a.session_url("lab1"), a.mint("lab1", scopes=("write",)))
    await writer.send("hello from A")  # at once: open means B already listens for A
    assert await asyncio.wait_for(reader.recv(), 5) == "hello from A"
    await writer.close()
    await reader.close()


@pytest.mark.parametrize("replicas", [1, 2])
async def test_a_reader_never_misses_a_message_sent_right_after_its_open(
    gateway_factory: GatewayFactory, replicas: int
) -> None:
    """The promise, from the client's side: once open_ws returns, nothing sent later is lost.

    The writer is connected first, so the reader's open is the last step before the send; there
    is no wait between them, and the check is repeated on fresh topics to catch a rare race.
    """
    a = await gateway_factory()
    b = a if replicas == 1 else await gateway_factory(audience=a.audience)
    for i in range(20):
        topic = f"promise-{i}"
        writer = await open_ws(a.session_url(topic), a.mint(topic, scopes=("write",)))
        reader = await open_ws(b.session_url(topic), a.mint(topic, scopes=("read",)))
        await writer.send(f"first {i}")
        assert await asyncio.wait_for(reader.recv(), 5) == f"first {i}"
        await writer.close()
        await reader.close()


async def test_one_code_presented_to_two_replicas_connects_exactly_once(
    gateway_factory: GatewayFactory,
) -> None:
    a = await gateway_factory()
    b = await gateway_factory(audience=a.audience)
    uri = await request_uri(a.session_url("race"), a.mint("race"))
    query = urlsplit(uri).query
    urls = [f"{a.relay_url}/session/race?{query}", f"{b.relay_url}/session/race?{query}"]

    async def attempt(url: str) -> int | None:
        ws = await connect(url)
        try:
            await asyncio.wait_for(ws.recv(), 1.0)
        except ConnectionClosed:
            return ws.close_code  # refused: closed at once with a code
        except TimeoutError:
            await ws.close()
            return None  # accepted and open
        raise AssertionError("no message expected")

    outcomes = await asyncio.gather(*(attempt(url) for url in urls))
    assert sorted(outcomes, key=str) == sorted([None, 4500], key=str)


async def test_reused_code_is_refused_with_4500(gateway: GatewayHandle) -> None:
    uri = await request_uri(gateway.session_url("t"), gateway.mint("t"))
    first = await connect(uri)
    second = await connect(uri)
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(second.recv(), 5)
    assert second.close_code == 4500
    assert second.close_reason == "invalid code"
    await first.close()


async def test_code_for_another_topic_is_refused(gateway: GatewayHandle) -> None:
    uri = await request_uri(gateway.session_url("456"), gateway.mint("456"))
    ws = await connect(uri.replace("/session/456", "/session/123"))
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(ws.recv(), 5)
    assert ws.close_code == 4501


async def test_missing_code_is_refused(gateway: GatewayHandle) -> None:
    ws = await connect(f"{gateway.relay_url}/session/x")
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(ws.recv(), 5)
    assert (ws.close_code, ws.close_reason) == (4500, "missing code")


async def test_other_connection_types_get_404_before_upgrade(gateway: GatewayHandle) -> None:
    from websockets.exceptions import InvalidStatus

    with pytest.raises(InvalidStatus) as info:
        await connect(f"{gateway.relay_url}/shell/x?code=abc")
    assert info.value.response.status_code == 404


async def test_read_only_connection_cannot_send(gateway: GatewayHandle) -> None:
    reader = await open_ws(gateway.session_url("ro"), gateway.mint("ro", scopes=("read",)))
    other = await open_ws(gateway.session_url("ro"), gateway.mint("ro"))
    await reader.send("should be discarded")
    await other.send("from writer")
    assert await asyncio.wait_for(reader.recv(), 5) == "from writer"
    await assert_quiet(other)
    await reader.close()
    await other.close()


async def test_write_only_connection_receives_nothing(gateway: GatewayHandle) -> None:
    write_only = await open_ws(gateway.session_url("wo"), gateway.mint("wo", scopes=("write",)))
    peer = await open_ws(gateway.session_url("wo"), gateway.mint("wo"))
    await write_only.send("to peer")
    assert await asyncio.wait_for(peer.recv(), 5) == "to peer"
    await peer.send("to everyone")
    await assert_quiet(write_only)
    await write_only.close()
    await peer.close()


async def test_sender_never_receives_its_own_message(gateway: GatewayHandle) -> None:
    one = await open_ws(gateway.session_url("echo"), gateway.mint("echo"))
    two = await open_ws(gateway.session_url("echo"), gateway.mint("echo"))
    await one.send("a")
    assert await asyncio.wait_for(two.recv(), 5) == "a"
    await two.send("b")
    # Had "a" been echoed, it would be queued for `one` ahead of "b".
    assert await asyncio.wait_for(one.recv(), 5) == "b"
    await one.close()
    await two.close()


@pytest.mark.parametrize("replicas", [1, 2])
async def test_text_stays_text_and_binary_stays_binary(
    gateway_factory: GatewayFactory, replicas: int
) -> None:
    a = await gateway_factory()
    b = a if replicas == 1 else await gateway_factory(audience=a.audience)
    reader = await open_ws(b.session_url("types"), a.mint("types", scopes=("read",)))
    writer = await open_ws(a.session_url("types"), a.mint("types", scopes=("write",)))
    await writer.send("text ✓")
    await writer.send(b"\x00\x01binary")
    await writer.send("")
    await writer.send(b"")
    got = [await asyncio.wait_for(reader.recv(), 5) for _ in range(4)]
    assert got == ["text ✓", b"\x00\x01binary", "", b""]
    assert [type(m) for m in got] == [str, bytes, str, bytes]


@pytest.mark.parametrize("replicas", [1, 2])
async def test_burst_of_1000_arrives_as_1000_separate_messages(
    gateway_factory: GatewayFactory, replicas: int
) -> None:
    a = await gateway_factory()
    b = a if replicas == 1 else await gateway_factory(audience=a.audience)
    reader = await open_ws(b.session_url("burst"), a.mint("burst", scopes=("read",)))
    writer = await open_ws(a.session_url("burst"), a.mint("burst", scopes=("write",)))
    for i in range(1000):
        await writer.send(f'{{"n":{i}}}')
    got = [await asyncio.wait_for(reader.recv(), 5) for _ in range(1000)]
    assert got == [f'{{"n":{i}}}' for i in range(1000)]


async def test_10_mib_passes_and_one_byte_more_closes_1009(gateway_factory: GatewayFactory) -> None:
    a = await gateway_factory()
    b = await gateway_factory(audience=a.audience)
    reader = await open_ws(b.session_url("big"), a.mint("big", scopes=("read",)))
    writer = await open_ws(a.session_url("big"), a.mint("big", scopes=("write",)))
    payload = os.urandom(10 * 1024 * 1024)
    await writer.send(payload)
    assert await asyncio.wait_for(reader.recv(), 20) == payload
    with pytest.raises(ConnectionClosed):  # the gateway closes while (or right after) we send
        await writer.send(payload + b"x")
        await asyncio.wait_for(writer.recv(), 20)
    assert writer.close_code == 1009
    await assert_quiet(reader)


async def test_connection_closes_when_token_expires(gateway: GatewayHandle) -> None:
    short = await open_ws(gateway.session_url("exp"), gateway.mint("exp", lifetime=2))
    longer = await open_ws(gateway.session_url("exp"), gateway.mint("exp", lifetime=60))
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(short.recv(), 10)
    assert (short.close_code, short.close_reason) == (4502, "session expired")
    await longer.send("still here")  # the longer token's connection is unaffected
    await longer.ping()
    assert longer.close_code is None
    await longer.close()


INJECTION_TOPICS = ["a.b", "a.*", "a.>", "a", "a b", "a/b", "a~2Eb", "ünïcødé", "*", ">", "a..b", "a%2Eb"]


async def test_injection_topics_are_isolated(gateway_factory: GatewayFactory) -> None:
    a = await gateway_factory()
    b = await gateway_factory(audience=a.audience)
    readers = {t: await open_ws(b.session_url(t), a.mint(t, scopes=("read",))) for t in INJECTION_TOPICS}
    writers = {t: await open_ws(a.session_url(t), a.mint(t, scopes=("write",))) for t in INJECTION_TOPICS}
    for topic, writer in writers.items():
        await writer.send(f"for {topic}")
    for topic, reader in readers.items():
        assert await asyncio.wait_for(reader.recv(), 5) == f"for {topic}"
    for reader in readers.values():
        await assert_quiet(reader, 0.1)


async def test_stalled_reader_loses_messages_healthy_reader_loses_none(
    gateway_factory: GatewayFactory,
) -> None:
    gw = await gateway_factory(buffer_size=4)
    # max_queue=1 and a small read limit: the stalled client stops reading from its socket early.
    stalled = await open_ws(gw.session_url("slow"), gw.mint("slow", scopes=("read",)), max_queue=1)
    healthy = await open_ws(gw.session_url("slow"), gw.mint("slow", scopes=("read",)))
    writer = await open_ws(gw.session_url("slow"), gw.mint("slow", scopes=("write",)))
    chunk = 256 * 1024
    count = 120  # 30 MiB: far more than the socket buffers between the gateway and the stalled client
    for i in range(count):
        await writer.send(i.to_bytes(4, "big") + bytes(chunk))
        got = await asyncio.wait_for(healthy.recv(), 10)  # lockstep: the healthy reader is never behind
        assert int.from_bytes(got[:4], "big") == i
    services = gw.gateway.services  # type: ignore[union-attr]
    stalled_session = next(
        s for s in services.hub.sessions() if s.can_read and s.counters.messages_out < count
    )
    assert stalled_session.counters.dropped > 0
    received = 0
    while True:
        try:
            await asyncio.wait_for(stalled.recv(), 1.0)
            received += 1
        except TimeoutError:
            break
    assert received < count
    await writer.send(b"after")  # the stalled reader still gets fresh messages once it reads again
    assert await asyncio.wait_for(stalled.recv(), 5) == b"after"


async def test_shutdown_closes_connections_with_1012(gateway: GatewayHandle) -> None:
    ws = await open_ws(gateway.session_url("bye"), gateway.mint("bye"))
    await gateway.stop()
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(ws.recv(), 10)
    assert ws.close_code == 1012
