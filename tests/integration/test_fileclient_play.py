"""fileclient's link, player and log writer through a real gateway, with an echo peer on the topic."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from conftest import GatewayHandle
from relaytest import TIMEOUT_UNIT, open_ws
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from fileclient.clock import LoopClock
from fileclient.link import Link, OnMessage
from fileclient.logwriter import LogWriter, Mode, Output
from fileclient.player import Player, PlayStats
from fileclient.playfile import parse
from relayclient.tokens import TokenSource

pytestmark = pytest.mark.integration

DATA = Path(__file__).parents[1] / "unit" / "fileclient" / "data"
STAMP = re.compile(r"^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z\] ")
PROBE = "__fileclient_probe__"


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


@contextlib.asynccontextmanager
async def echo_peer(
    gateway: GatewayHandle, topic: str, on_heard: Callable[[str | bytes], None] | None = None
) -> AsyncIterator[list[str | bytes]]:
    """A second client on the topic that sends every message back; yields what it received."""
    ws = await open_ws(gateway.session_url(topic), gateway.mint(topic, booking_id="echo"))
    heard: list[str | bytes] = []

    async def echo() -> None:
        with contextlib.suppress(ConnectionClosed):
            async for message in ws:
                heard.append(message)
                if on_heard is not None:
                    on_heard(message)
                await ws.send(message)

    task = asyncio.create_task(echo())
    try:
        yield heard
    finally:
        await ws.close()
        await task


class Gate:
    """Passes messages on once a probe has come back, so a test starts when its link is really joined."""

    def __init__(self) -> None:
        self.target: OnMessage | None = None
        self.ready = asyncio.Event()

    def __call__(self, at_ns: int, data: str | bytes) -> None:
        if data == PROBE:
            self.ready.set()
        elif self.target is not None and self.ready.is_set():
            self.target(at_ns, data)


async def until_ready(gate: Gate, send_probe: object) -> None:
    """Send probes until one comes back (each try waits 200 ms; 10 s in all)."""
    assert callable(send_probe)
    async with asyncio.timeout(10 * TIMEOUT_UNIT):
        while not gate.ready.is_set():
            await send_probe()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(gate.ready.wait(), 0.2)


@contextlib.asynccontextmanager
async def joined_link(gateway: GatewayHandle, topic: str, gate: Gate) -> AsyncIterator[Link]:
    link = Link(
        access_url=gateway.session_url(topic),
        tokens=TokenSource(value=gateway.mint(topic, booking_id="player")),
        on_message=gate,
    )
    task = asyncio.create_task(link.run())
    try:
        await until_ready(gate, lambda: link.send(PROBE))
        yield link
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def play_through_gateway(gateway: GatewayHandle, text: str, log_path: Path) -> PlayStats:
    """Play ``text`` against an echo peer and log to ``log_path`` in text mode."""
    topic = f"play-{log_path.parent.name}"
    gate = Gate()
    output = Output(log_path)
    async with echo_peer(gateway, topic), joined_link(gateway, topic, gate) as link:
        player = Player(
            script=parse(text), send=link.send, writer=LogWriter(output, Mode.TEXT), clock=LoopClock()
        )
        gate.target = player.on_message
        stats = await player.play()
    output.close()
    return stats


def logged(path: Path) -> list[str]:
    lines = path.read_text().splitlines()
    assert all(STAMP.match(line) for line in lines), lines
    return [STAMP.sub("", line) for line in lines]


async def test_reference_test_play_gives_the_expected_36_lines(
    gateway: GatewayHandle, tmp_path: Path
) -> None:
    log_path = tmp_path / "test.log"
    stats = await play_through_gateway(gateway, (DATA / "test.play").read_text(), log_path)
    assert_reference_log(logged(log_path))
    assert stats.timed_out == 1 and stats.unsent == 0


async def test_filters_choose_what_is_logged(gateway: GatewayHandle, tmp_path: Path) -> None:
    script = (
        "|accept> ^keep\n"
        "|deny> secret\n"
        "keep 1\n"
        "drop 2\n"
        "keep secret 3\n"
        "keep 4\n"
        "<'^keep 4',1,10s>\n"  # the echoes are in: only now change the filter
        "|reset>\n"
        "anything 5\n"
        "<'^anything 5',1,10s>\n"
    )
    log_path = tmp_path / "filters.log"
    stats = await play_through_gateway(gateway, script, log_path)
    assert logged(log_path) == ["keep 1", "keep 4", "anything 5"]
    assert stats.filtered == 2


async def test_condition_that_matches_sends_as_soon_as_the_count_is_reached(
    gateway: GatewayHandle, tmp_path: Path
) -> None:
    script = "foo 1\nfoo 2\nbar\n<'^foo',2,30s> done\n<'^done$',1,30s>\n"
    loop = asyncio.get_running_loop()
    started = loop.time()
    stats = await play_through_gateway(gateway, script, tmp_path / "cond.log")
    assert stats.satisfied == 2 and stats.timed_out == 0
    assert loop.time() - started < 10 * TIMEOUT_UNIT  # nowhere near the 30 s timeouts
    assert logged(tmp_path / "cond.log") == ["foo 1", "foo 2", "bar", "done"]


async def test_condition_that_times_out_sends_after_exactly_its_timeout(
    gateway: GatewayHandle, tmp_path: Path
) -> None:
    topic = "timeout"
    gate = Gate()
    loop = asyncio.get_running_loop()
    late = loop.create_future()

    def heard(message: str | bytes) -> None:
        if message == "late" and not late.done():
            late.set_result(loop.time())

    async with echo_peer(gateway, topic, heard), joined_link(gateway, topic, gate) as link:
        player = Player(
            script=parse("<'never',1,300ms> late\n<'^late$',1,10s>\n"),
            send=link.send,
            writer=LogWriter(Output(tmp_path / "t.log"), Mode.TEXT),
            clock=LoopClock(),
        )
        gate.target = player.on_message
        started = loop.time()
        stats = await player.play()
        elapsed = await late - started
    assert stats.timed_out == 1 and stats.satisfied == 1
    assert 0.3 <= elapsed < 0.3 + 0.2 * TIMEOUT_UNIT  # not rounded up to a 1 s polling interval


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (Mode.TEXT, ["hello", "two\nlines", base64.b64encode(b"\x00\x01bin").decode()]),
        (Mode.BASE64, [base64.b64encode(m).decode() for m in (b"hello", b"two\nlines", b"\x00\x01bin")]),
    ],
)
async def test_log_line_modes(
    gateway: GatewayHandle, tmp_path: Path, mode: Mode, expected: list[str]
) -> None:
    path = tmp_path / "modes.log"
    await log_messages(gateway, path, mode, ["hello", "two\nlines", b"\x00\x01bin"])
    text = path.read_text()
    if mode is Mode.TEXT:
        entries = re.split(r"(?m)^(?=\[\d{4}-)", text)[1:]  # text mode keeps embedded newlines
        assert [STAMP.sub("", e).removesuffix("\n") for e in entries] == expected
    else:
        assert logged(path) == expected


async def test_log_raw_mode_concatenates_payloads(gateway: GatewayHandle, tmp_path: Path) -> None:
    path = tmp_path / "video.ts"
    await log_messages(gateway, path, Mode.BINARY, [b"0123456789", b"abcdefghij"])
    assert path.read_bytes() == b"0123456789abcdefghij"


async def log_messages(gateway: GatewayHandle, path: Path, mode: Mode, messages: list[str | bytes]) -> None:
    """Log a topic with a Link while a writer connection sends ``messages``; return once all are written."""
    topic = f"log-{mode}"
    gate = Gate()
    output = Output(path)
    writer = LogWriter(output, mode)
    seen = asyncio.Event()
    count = 0

    def record(at_ns: int, data: str | bytes) -> None:
        nonlocal count
        writer.message(at_ns, data)
        count += 1
        if count == len(messages):
            seen.set()

    gate.target = record
    link = Link(
        access_url=gateway.session_url(topic), tokens=TokenSource(value=gateway.mint(topic)), on_message=gate
    )
    task = asyncio.create_task(link.run())
    sender: ClientConnection = await open_ws(
        gateway.session_url(topic), gateway.mint(topic, scopes=("write",))
    )
    try:
        await until_ready(gate, lambda: sender.send(PROBE))
        for message in messages:
            await sender.send(message)
        await asyncio.wait_for(seen.wait(), 10 * TIMEOUT_UNIT)
    finally:
        await sender.close()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        output.close()
