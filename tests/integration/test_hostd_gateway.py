"""hostd against a real gateway: video through ffmpeg, data both ways, restarts, token rotation."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from conftest import GatewayHandle, StartHostd, eventually
from websockets.asyncio.client import ClientConnection, connect

from hostd.config import HostConfig
from hostd.daemon import Daemon
from hostd.rules import Destination
from hostd.uplink import Uplink
from relayclient.connect import open_session

pytestmark = pytest.mark.integration


def uplink(daemon: Daemon, rule_id: str) -> Uplink:
    found = daemon.control.uplink(rule_id)
    assert found is not None
    return found


async def connected(daemon: Daemon, rule_id: str, connects: int = 1) -> None:
    link = uplink(daemon, rule_id)
    await eventually(
        lambda: link.state.state == "connected" and link.state.connects >= connects,
        timeout=10,
        what=f"{rule_id} connected ({link.state.last_error})",
    )


async def remote_user(
    gateway: GatewayHandle, topic: str, scopes: tuple[str, ...] = ("read", "write")
) -> ClientConnection:
    async with httpx.AsyncClient() as http:
        return await open_session(http, gateway.session_url(topic), gateway.mint(topic, scopes=scopes))


def destination(gateway: GatewayHandle, rule_id: str, feed: str, topic: str, **extra: str) -> Destination:
    token = "" if "token_file" in extra else gateway.mint(topic, booking_id=f"lab-{rule_id}")
    return Destination(id=rule_id, stream=feed, destination=gateway.session_url(topic), token=token, **extra)


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs the ffmpeg Debian package (./dev.sh test)")
async def test_ffmpeg_video_reaches_a_remote_reader_as_a_valid_mpegts_stream(
    gateway: GatewayHandle, start_hostd: StartHostd, tmp_path: Path
) -> None:
    daemon = await start_hostd(
        HostConfig(destinations=(destination(gateway, "video", "video", "lab-video"),))
    )
    reader = await remote_user(gateway, "lab-video", scopes=("read",))
    await connected(daemon, "video")
    ffmpeg = await asyncio.create_subprocess_exec(
        *(
            "ffmpeg",
            "-hide_banner",
            "-loglevel",
            "error",
            "-re",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=320x240:rate=25",
        ),
        *("-t", "2", "-f", "mpegts", "-codec:v", "mpeg1video", "-b:v", "400k", "-bf", "0"),
        f"http://127.0.0.1:{daemon.port}/ts/video",
        stderr=subprocess.PIPE,
    )
    messages: list[bytes] = []
    try:
        async with asyncio.timeout(30):
            _, (_, ffmpeg_err) = await asyncio.gather(
                _collect(reader, messages, until=ffmpeg), ffmpeg.communicate()
            )
    finally:
        await reader.close()
    assert ffmpeg.returncode == 0, ffmpeg_err.decode()
    assert len(messages) >= 25 and all(isinstance(m, bytes) for m in messages)
    recorded = tmp_path / "received.ts"
    recorded.write_bytes(b"".join(messages))
    probe = await asyncio.create_subprocess_exec(
        *("ffprobe", "-v", "error", "-count_frames", "-show_entries", "stream=codec_name,nb_read_frames"),
        *("-of", "csv=p=0", str(recorded)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(probe.communicate(), 60)
    assert probe.returncode == 0 and err == b"", err.decode()
    codec, frames = out.decode().split()[0].split(",")  # stream line (repeated per program)
    assert codec == "mpeg1video" and int(frames) >= 40  # 2 s at 25 fps, a couple may trail


async def _collect(
    reader: ClientConnection, messages: list[bytes], *, until: asyncio.subprocess.Process
) -> None:
    """Read until ffmpeg has exited and the relay has been quiet for a moment."""
    while True:
        try:
            async with asyncio.timeout(1.0):
                message = await reader.recv()
        except TimeoutError:
            if until.returncode is not None:
                return
            continue
        messages.append(message if isinstance(message, bytes) else message.encode())


async def test_local_client_and_remote_user_exchange_messages_both_ways_across_a_gateway_restart(
    gateway: GatewayHandle, start_hostd: StartHostd
) -> None:
    daemon = await start_hostd(HostConfig(destinations=(destination(gateway, "data", "data", "lab-data"),)))
    await connected(daemon, "data")
    async with connect(f"ws://127.0.0.1:{daemon.port}/ws/data") as local:
        await _exchange(gateway, local, "before")

        await gateway.stop()
        await eventually(
            lambda: uplink(daemon, "data").state.state != "connected", what="link noticed the stop"
        )
        await gateway.start()
        await connected(daemon, "data", connects=2)  # reconnected by itself

        await _exchange(gateway, local, "after")


async def _exchange(gateway: GatewayHandle, local: ClientConnection, tag: str) -> None:
    remote = await remote_user(gateway, "lab-data")
    try:
        await local.send(f"from lab {tag}")
        assert await asyncio.wait_for(remote.recv(), 5) == f"from lab {tag}"  # text stays text
        await remote.send(f"to lab {tag}".encode())
        assert await asyncio.wait_for(local.recv(), 5) == f"to lab {tag}".encode()  # binary stays binary
    finally:
        await remote.close()


async def test_a_rotated_token_file_is_used_on_the_next_reconnect(
    gateway: GatewayHandle, start_hostd: StartHostd, tmp_path: Path
) -> None:
    token_file = tmp_path / "data.jwt"
    token_file.write_text(gateway.mint("lab-rot", lifetime=-60) + "\n")  # already expired
    rule = destination(gateway, "rot", "data", "lab-rot", token_file=str(token_file))
    daemon = await start_hostd(HostConfig(destinations=(rule,)))
    link = uplink(daemon, "rot")
    await eventually(lambda: link.state.state == "retrying" and link.state.connects == 0, what="refused")
    assert "access refused" in link.state.last_error

    token_file.write_text(gateway.mint("lab-rot"))  # the booking system rotates the token
    await connected(daemon, "rot")
    async with connect(f"ws://127.0.0.1:{daemon.port}/ws/data") as local:
        remote = await remote_user(gateway, "lab-rot")
        try:
            await local.send("fresh token works")
            assert await asyncio.wait_for(remote.recv(), 5) == "fresh token works"
        finally:
            await remote.close()
