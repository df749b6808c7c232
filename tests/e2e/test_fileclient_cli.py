"""The installed ``fileclient`` console script, configured by environment as in production."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from conftest import GatewayHandle
from relaytest import TIMEOUT_UNIT, eventually, open_ws
from websockets.exceptions import ConnectionClosed

pytestmark = pytest.mark.e2e

FILECLIENT = Path(sys.executable).parent / "fileclient"
DATA = Path(__file__).parents[1] / "unit" / "fileclient" / "data"
STAMP = re.compile(r"^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z\] ")


# Echo comments are written when the script reaches them, received lines when they arrive; the file
# leaves only 1 ms between sending "ah" and the next echo comment, less than a round trip through a
# relay and NATS. So the two streams are compared separately here; the exact interleaving is checked
# with simulated time in tests/unit/fileclient/test_fileclient_player.py.
ECHOES = frozenset({"echo comment", "start set filter", "done set filter", "reset"})


def assert_reference_log(lines: list[str]) -> None:
    expected = (DATA / "test.expected").read_text().splitlines()
    assert len(lines) == len(expected) == 36, lines
    assert [x for x in lines if x not in ECHOES] == [x for x in expected if x not in ECHOES]
    assert [x for x in lines if x in ECHOES] == [x for x in expected if x in ECHOES]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RELAY_CLIENT_", "RELAY_MONITOR_"))}
    env.update(extra)
    return env


def test_check_lists_every_bad_line_with_number_and_reason(tmp_path: Path) -> None:
    play = tmp_path / "bad.play"
    play.write_text("hello\n[0.1] x\n# ok\n<'ok',x,1s> y\n|q> z\n[1s]\n")
    result = subprocess.run(
        [str(FILECLIENT), "play", "--check", str(play)],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == f"{play}:2: bad delay: invalid duration '0.1': it has no unit; write e.g. 0.1s or 0.1ms: [0.1] x"
    )
    assert lines[1].startswith(f"{play}:4: condition count 'x' must be a whole number")
    assert lines[2].startswith(f"{play}:5: unknown filter command 'q'")
    assert lines[3] == f"{play}: 3 bad line(s) of 6"


def test_check_by_legacy_environment_accepts_the_reference_file() -> None:
    env = clean_env(RELAY_CLIENT_FILE_PLAY=str(DATA / "test.play"), RELAY_CLIENT_CHECK_ONLY="true")
    result = subprocess.run(
        [str(FILECLIENT), "play"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("test.play: ok")


def test_missing_settings_are_all_reported() -> None:
    result = subprocess.run(
        [str(FILECLIENT), "log", "--mode", "jpeg"],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "RELAY_CLIENT_SESSION" in result.stderr
    assert "RELAY_CLIENT_TOKEN" in result.stderr
    assert "unknown mode 'jpeg'" in result.stderr


def contains(path: Path, text: str) -> bool:
    return path.exists() and text in path.read_text()


@contextlib.asynccontextmanager
async def echo_peer(gateway: GatewayHandle, topic: str) -> AsyncIterator[None]:
    ws = await open_ws(gateway.session_url(topic), gateway.mint(topic, booking_id="echo"))

    async def echo() -> None:
        with contextlib.suppress(ConnectionClosed):
            async for message in ws:
                await ws.send(message)

    task = asyncio.create_task(echo())  # open_ws returned: the gateway already relays to it
    try:
        yield
    finally:
        await ws.close()
        await task


async def test_play_the_reference_file_prints_the_36_lines(gateway: GatewayHandle) -> None:
    topic = "e2e-play"
    env = clean_env(RELAY_CLIENT_SESSION=gateway.session_url(topic), RELAY_CLIENT_TOKEN=gateway.mint(topic))
    async with echo_peer(gateway, topic):
        proc = await asyncio.create_subprocess_exec(
            str(FILECLIENT),
            "play",
            str(DATA / "test.play"),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(), 60 * TIMEOUT_UNIT)
    assert proc.returncode == 0, err.decode()
    lines = out.decode().splitlines()
    assert all(STAMP.match(line) for line in lines), lines
    assert_reference_log([STAMP.sub("", line) for line in lines])


async def test_log_reopens_its_file_on_sighup_after_a_rename(gateway: GatewayHandle, tmp_path: Path) -> None:
    topic = "e2e-log"
    log = tmp_path / "relay.log"
    env = clean_env(
        RELAY_CLIENT_SESSION=gateway.session_url(topic),
        RELAY_CLIENT_TOKEN=gateway.mint(topic, scopes=("read",)),
        RELAY_CLIENT_FILE=str(log),
    )
    proc = await asyncio.create_subprocess_exec(str(FILECLIENT), "log", env=env, stderr=subprocess.PIPE)
    sender = await open_ws(gateway.session_url(topic), gateway.mint(topic, scopes=("write",)))
    counter = 0

    async def sent_and_logged(prefix: str, path: Path) -> bool:
        nonlocal counter
        counter += 1
        await sender.send(f"{prefix} {counter}")
        return contains(path, prefix)

    try:
        await eventually(lambda: sent_and_logged("before", log), timeout=20, what="logger connected")
        await sender.send("sync")  # messages keep their order: once "sync" is logged, every "before" is
        await eventually(lambda: contains(log, "] sync\n"), what="sync logged")
        log.rename(tmp_path / "relay.log.1")
        proc.send_signal(signal.SIGHUP)
        await eventually(lambda: sent_and_logged("after", log), timeout=20, what="new file written")
    finally:
        await sender.close()
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 0, err.decode()
    new_lines = [STAMP.sub("", line) for line in log.read_text().splitlines()]
    assert new_lines and all(line.startswith("after ") for line in new_lines)
    old = (tmp_path / "relay.log.1").read_text()
    assert "] before " in old and "] sync\n" in old  # early "after" lines may be here too
    assert "reopened" in err.decode()


async def test_monitor_runs_its_command_when_latency_is_over_threshold(
    gateway: GatewayHandle, tmp_path: Path
) -> None:
    marker = tmp_path / "triggered"
    env = clean_env(
        RELAY_MONITOR_AUDIENCE=gateway.audience,
        RELAY_MONITOR_SECRET=gateway.secret,
        RELAY_MONITOR_INTERVAL="50ms",
        RELAY_MONITOR_THRESHOLD="1us",
        RELAY_MONITOR_COMMAND="touch ${MARKER}",
        RELAY_MONITOR_LOG_LEVEL="info",
        MARKER=str(marker),
    )
    proc = await asyncio.create_subprocess_exec(
        str(FILECLIENT), "monitor", "--no-status", env=env, stderr=subprocess.PIPE
    )
    try:
        await eventually(marker.exists, timeout=20, what="the monitor command")
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 0, err.decode()
    assert '"level": "error"' in err.decode()  # the trigger is logged as JSON


async def ended(proc: asyncio.subprocess.Process, timeout: float = 20) -> tuple[bytes, bytes]:
    """The output of ``proc`` once it exits by itself within ``timeout`` (scaled); else kill it.

    Raises:
        TimeoutError: it did not end in time (it has been killed).
    """
    try:
        return await asyncio.wait_for(proc.communicate(), timeout * TIMEOUT_UNIT)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.communicate()


async def deny_booking(gateway: GatewayHandle, booking_id: str) -> None:
    admin = {"Authorization": gateway.mint("admin", scopes=("relay:admin",))}
    exp = int(time.time()) + 600
    async with httpx.AsyncClient(base_url=gateway.access_base) as http:
        reply = await http.post(f"/bids/deny?bid={booking_id}&exp={exp}", headers=admin)
    assert reply.status_code == 204, reply.text


async def test_log_exits_with_the_reason_when_the_booking_is_cancelled(gateway: GatewayHandle) -> None:
    topic = "e2e-log-denied"
    env = clean_env(
        RELAY_CLIENT_SESSION=gateway.session_url(topic),
        RELAY_CLIENT_TOKEN=gateway.mint(topic, scopes=("read",), booking_id="bk-log-denied"),
    )
    proc = await asyncio.create_subprocess_exec(
        str(FILECLIENT), "log", env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    services = gateway.gateway.services if gateway.gateway else None
    assert services is not None
    try:
        await eventually(lambda: services.hub.subscribed(topic), timeout=20, what="logger connected")
        await deny_booking(gateway, "bk-log-denied")
    except BaseException:
        proc.kill()
        await proc.communicate()
        raise
    _, err = await ended(proc)  # ends by itself
    stderr = err.decode()
    assert proc.returncode == 1, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("fileclient log:")]
    assert len(lines) == 1 and "4503 booking cancelled" in lines[0], stderr
    assert "Traceback" not in stderr


def connect_access(gateway: GatewayHandle, host_id: str) -> tuple[str, str]:
    """The jump access URL of ``host_id`` and a client token for it."""
    token = gateway.mint(host_id, scopes=("client",), prefix="connect", booking_id="bk-ssh")
    return f"{gateway.access_base}/api/v1/connect/{host_id}", token


async def test_ssh_proxy_gives_up_when_no_host_agent_answers(gateway: GatewayHandle) -> None:
    access, token = connect_access(gateway, "e2e-no-such-lab")
    proc = await asyncio.create_subprocess_exec(
        str(FILECLIENT),
        "ssh-proxy",
        "--access",
        access,
        "--token",
        token,
        "--connect-timeout",
        "500ms",
        env=clean_env(),
        stdin=subprocess.PIPE,  # held open and silent, as ssh's before the lab's banner
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = await ended(proc)  # ends by itself
    stderr = err.decode()
    assert proc.returncode == 1, stderr
    assert stderr.strip() == (
        "fileclient ssh-proxy: the lab did not answer within 0.5s"
        " (is its host agent running and connected to the relay?)"
    )
    assert out == b""


async def test_ssh_proxy_with_stdin_from_dev_null_prints_no_traceback(gateway: GatewayHandle) -> None:
    access, token = connect_access(gateway, "e2e-no-such-lab-null")
    proc = await asyncio.create_subprocess_exec(
        str(FILECLIENT),
        "ssh-proxy",
        "--access",
        access,
        "--token",
        token,
        "--connect-timeout",
        "5s",
        env=clean_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _, err = await ended(proc)
    stderr = err.decode()
    assert "Traceback" not in stderr and "ERROR asyncio" not in stderr, stderr
    assert proc.returncode == 0, stderr  # stdin ended at once: ssh's side closed, nothing went wrong


async def test_log_with_a_cancelled_booking_exits_instead_of_retrying(gateway: GatewayHandle) -> None:
    topic = "e2e-log-denied-early"
    await deny_booking(gateway, "bk-log-denied-early")
    env = clean_env(
        RELAY_CLIENT_SESSION=gateway.session_url(topic),
        RELAY_CLIENT_TOKEN=gateway.mint(topic, scopes=("read",), booking_id="bk-log-denied-early"),
    )
    proc = await asyncio.create_subprocess_exec(
        str(FILECLIENT), "log", env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    _, err = await ended(proc)  # ends by itself
    stderr = err.decode()
    assert proc.returncode == 1, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("fileclient log:")]
    assert len(lines) == 1 and "deny-listed" in lines[0] and "not reconnecting" in lines[0], stderr
    assert "Traceback" not in stderr


async def test_play_with_a_cancelled_booking_exits_with_the_reason(gateway: GatewayHandle) -> None:
    topic = "e2e-play-denied"
    await deny_booking(gateway, "bk-play-denied")
    env = clean_env(
        RELAY_CLIENT_SESSION=gateway.session_url(topic),
        RELAY_CLIENT_TOKEN=gateway.mint(topic, booking_id="bk-play-denied"),
    )
    proc = await asyncio.create_subprocess_exec(
        str(FILECLIENT),
        "play",
        str(DATA / "test.play"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _, err = await ended(proc)  # ends by itself
    stderr = err.decode()
    assert proc.returncode == 1, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("fileclient play:")]
    assert len(lines) == 1 and "deny-listed" in lines[0], stderr
    assert "Traceback" not in stderr
