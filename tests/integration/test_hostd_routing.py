"""hostd routing over real sockets without a gateway: plain ws:// destinations, as the original allows."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from conftest import StartHostd, eventually
from websockets.asyncio.client import connect
from websockets.asyncio.server import Server, ServerConnection, serve

from hostd.config import HostConfig
from hostd.daemon import Daemon
from hostd.rules import Destination, Stream

pytestmark = pytest.mark.integration


@dataclass
class Remote:
    """A stand-in for the far side: records what each path receives; can refuse to read."""

    server: Server
    received: dict[str, list[str | bytes]] = field(default_factory=dict)
    peers: dict[str, ServerConnection] = field(default_factory=dict)
    stall: bool = False

    @property
    def port(self) -> int:
        return int(next(iter(self.server.sockets)).getsockname()[1])

    def url(self, path: str) -> str:
        return f"ws://127.0.0.1:{self.port}/{path}"

    def got(self, path: str) -> list[str | bytes]:
        return self.received.setdefault(path, [])


@pytest.fixture
async def remote() -> AsyncIterator[Remote]:
    holder: list[Remote] = []

    async def handler(ws: ServerConnection) -> None:
        me = holder[0]
        path = ws.request.path.lstrip("/") if ws.request else ""
        me.peers[path] = ws
        if me.stall:
            await ws.wait_closed()
            return
        async for message in ws:
            me.got(path).append(message)

    # A stalled peer pauses reading and so never sees hostd drop the TCP connection: keep its
    # close timeout short so the fixture's teardown does not wait the default 10 s.
    async with serve(handler, "127.0.0.1", 0, max_size=None, close_timeout=0.5) as server:
        holder.append(Remote(server))
        yield holder[0]


def is_connected(daemon: Daemon, rule_id: str) -> Callable[[], bool]:
    def check() -> bool:
        link = daemon.control.uplink(rule_id)
        return link is not None and link.state.state == "connected"

    return check


async def _bursts(parts: list[bytes]) -> AsyncIterator[bytes]:
    for part in parts:
        yield part
        await asyncio.sleep(0.05)  # the idle gap between ffmpeg's frame writes, which this test simulates


async def test_ts_bursts_become_binary_messages_and_a_stream_reaches_only_its_destination(
    remote: Remote, start_hostd: StartHostd
) -> None:
    config = HostConfig(
        streams=(Stream(stream="stream/front", feeds=("video0", "audio0")),),
        destinations=(
            Destination(id="front", stream="stream/front", destination=remote.url("front")),
            Destination(id="back", stream="video1", destination=remote.url("back")),
        ),
    )
    daemon = await start_hostd(config)
    await eventually(lambda: is_connected(daemon, "front")() and is_connected(daemon, "back")(), what="links")
    base = f"http://127.0.0.1:{daemon.port}"
    async with httpx.AsyncClient() as http:
        reply = await http.post(f"{base}/ts/video0", content=_bursts([b"frame-1", b"frame-2", b"frame-3"]))
        assert reply.status_code == 200
        await http.post(f"{base}/ts/audio0", content=_bursts([b"sound"]))
    await eventually(lambda: len(remote.got("front")) == 4, what="four messages at front")
    assert remote.got("front") == [b"frame-1", b"frame-2", b"frame-3", b"sound"]
    assert remote.got("back") == []


async def test_recording_file_holds_exactly_what_was_sent(
    remote: Remote, start_hostd: StartHostd, tmp_path: Path
) -> None:
    record = tmp_path / "sent.bin"
    rule = Destination(id="d", stream="data", destination=remote.url("d"), file=str(record))
    daemon = await start_hostd(HostConfig(destinations=(rule,)))
    await eventually(is_connected(daemon, "d"), what="link")
    async with connect(f"ws://127.0.0.1:{daemon.port}/ws/data") as local:
        await local.send(b"0123456789")
        await local.send("abcdefghij")
        await eventually(lambda: len(remote.got("d")) == 2, what="both messages")
    assert remote.got("d") == [b"0123456789", "abcdefghij"]
    assert record.read_bytes() == b"0123456789abcdefghij"


async def test_replacing_a_destination_switches_servers_mid_stream(
    remote: Remote, start_hostd: StartHostd
) -> None:
    daemon = await start_hostd()
    base = f"http://127.0.0.1:{daemon.port}"
    async with httpx.AsyncClient() as http, connect(f"ws://127.0.0.1:{daemon.port}/ws/feed") as local:
        await http.put(
            f"{base}/api/destinations", json={"id": "x", "stream": "feed", "destination": remote.url("one")}
        )
        await eventually(is_connected(daemon, "x"), what="first link")
        await local.send("to one")
        await eventually(lambda: remote.got("one") == ["to one"], what="first server")
        # UPDATE is not an HTTP method, but scripts written for the original send it.
        reply = await http.request(
            "UPDATE",
            f"{base}/api/destinations",
            json={"id": "x", "stream": "feed", "destination": remote.url("two")},
        )
        assert reply.status_code == 200
        await eventually(is_connected(daemon, "x"), what="second link")
        await local.send("to two")
        await eventually(lambda: remote.got("two") == ["to two"], what="second server")
    assert remote.got("one") == ["to one"]


async def test_local_clients_of_a_feed_hear_each_other_and_the_remote_with_types_kept(
    remote: Remote, start_hostd: StartHostd
) -> None:
    daemon = await start_hostd(
        HostConfig(destinations=(Destination(id="p", stream="p", destination=remote.url("p")),))
    )
    await eventually(is_connected(daemon, "p"), what="link")
    url = f"ws://127.0.0.1:{daemon.port}/ws/p"
    async with connect(url, subprotocols=["null"]) as a, connect(url) as b:  # type: ignore[list-item]
        assert a.subprotocol == "null"
        await a.send(b"\x01\x02")
        assert await asyncio.wait_for(b.recv(), 5) == b"\x01\x02"
        await remote.peers["p"].send("from afar")
        assert await asyncio.wait_for(a.recv(), 5) == "from afar"
        assert await asyncio.wait_for(b.recv(), 5) == "from afar"


async def test_unreachable_destination_never_blocks_ingest_and_drops_are_counted(
    start_hostd: StartHostd,
) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead = f"ws://127.0.0.1:{closed.getsockname()[1]}/nobody"
    daemon = await start_hostd(
        HostConfig(destinations=(Destination(id="v", stream="video", destination=dead),)), ts_max_frame=1000
    )
    async with httpx.AsyncClient() as http:
        reply = await http.post(
            f"http://127.0.0.1:{daemon.port}/ts/video", content=b"x" * 200_000, timeout=10
        )
        assert reply.status_code == 200
        status = (await http.get(f"http://127.0.0.1:{daemon.port}/api/status")).json()
    assert status["feeds"]["video"]["dropped"]["no_subscriber"] == status["feeds"]["video"]["messages"] >= 200
    assert status["destinations"]["v"]["state"] in ("retrying", "connecting")
    assert "Connect" in status["destinations"]["v"]["last_error"]


async def test_slow_destination_never_blocks_ingest_and_drops_the_oldest(
    remote: Remote, start_hostd: StartHostd
) -> None:
    remote.stall = True  # accepts, then never reads: TCP buffers fill, then hostd's queue
    daemon = await start_hostd(
        HostConfig(destinations=(Destination(id="v", stream="video", destination=remote.url("v")),)),
        ts_max_frame=100_000,
        queue_messages=8,
    )
    await eventually(is_connected(daemon, "v"), what="link")
    async with httpx.AsyncClient() as http:
        async with asyncio.timeout(20):  # the POST completes although nobody reads
            reply = await http.post(f"http://127.0.0.1:{daemon.port}/ts/video", content=b"y" * 40_000_000)
        assert reply.status_code == 200
        status = (await http.get(f"http://127.0.0.1:{daemon.port}/api/status")).json()
    assert status["feeds"]["video"]["dropped"]["queue_full"] > 0
    assert status["destinations"]["v"]["dropped"] == status["feeds"]["video"]["dropped"]["queue_full"]


async def test_vw_api_control_channel_answers_commands(remote: Remote, start_hostd: StartHostd) -> None:
    daemon = await start_hostd(api=remote.url("api"))
    await eventually(is_connected(daemon, "apiRule"), what="control channel")
    peer = remote.peers["api"]
    remote.stall = False
    await peer.send('{"verb":"healthcheck"}')
    await eventually(lambda: remote.got("api") == ['{"healthcheck":"ok"}'], what="healthcheck reply")
    await peer.send(
        json.dumps({"verb": "add", "what": "stream", "rule": {"stream": "stream/s", "feeds": ["a"]}})
    )
    await eventually(lambda: len(remote.got("api")) == 2, what="add reply")
    assert remote.got("api")[1] == '{"stream":"stream/s","feeds":["a"]}'
    assert daemon.control.rules.streams == {"stream/s": ("a",)}
