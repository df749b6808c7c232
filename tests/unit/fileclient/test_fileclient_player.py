from __future__ import annotations

import re
from pathlib import Path

import pytest
from fileclient_fakes import SimClock, Sink

from fileclient.logwriter import LogWriter, Mode, Output
from fileclient.player import Player
from fileclient.playfile import parse

DATA = Path(__file__).parent / "data"
STAMP = re.compile(r"^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z\] ")


def make_player(text: str, *, echo_after: float | None = 0.0005) -> tuple[Player, SimClock, Sink, list[str]]:
    """A player whose peer echoes every sent message back after ``echo_after`` simulated seconds."""
    clock = SimClock()
    sink = Sink()
    sent: list[str] = []
    holder: list[Player] = []

    async def send(message: str) -> bool:
        sent.append(message)
        if echo_after is not None:
            clock.call_later(echo_after, lambda: holder[0].on_message(clock.wall_ns(), message))
        return True

    player = Player(
        script=parse(text),
        send=send,
        writer=LogWriter(Output(None, stream=sink), Mode.TEXT),
        clock=clock,
        wall=clock.wall_ns,
    )
    holder.append(player)
    return player, clock, sink, sent


def logged(sink: Sink) -> list[str]:
    lines = sink.getvalue().decode().splitlines()
    assert all(STAMP.match(line) for line in lines)
    return [STAMP.sub("", line) for line in lines]


async def test_reference_test_play_against_an_echo_peer_gives_the_36_lines() -> None:
    text = (DATA / "test.play").read_text()
    player, clock, sink, _ = make_player(text)
    script = parse(text)
    pauses = sum(getattr(step, "delay", 0.0) + getattr(step, "timeout", 0.0) for _, step in script.steps)
    start = clock.now
    stats = await player.play()
    assert logged(sink) == (DATA / "test.expected").read_text().splitlines()
    assert stats.timed_out == 1 and stats.satisfied == 0
    assert clock.now - start == pytest.approx(pauses, abs=1e-6)  # delays plus the timed-out condition


async def test_condition_that_matches_sends_when_the_count_is_reached() -> None:
    text = "one\nfoo two\nfoo three\n<'^foo',2,10s> done\n"
    player, clock, sink, sent = make_player(text)
    start = clock.now
    stats = await player.play()
    assert sent == ["one", "foo two", "foo three", "done"]
    assert stats.satisfied == 1
    # both echoes had arrived 0.5 ms after they were sent, well before the 10 s timeout
    assert clock.now - start < 0.01


async def test_condition_that_times_out_still_sends() -> None:
    player, clock, _, sent = make_player("<'never',1,250ms> anyway\n", echo_after=None)
    start = clock.now
    stats = await player.play()
    assert sent == ["anyway"] and stats.timed_out == 1
    assert clock.now - start == pytest.approx(0.25)


async def test_echo_comments_bypass_filters_and_silent_ones_are_not_logged() -> None:
    player, _, sink, _ = make_player("|+> ^keep\n#+ visible\n# hidden\nkeep me\ndrop me\n[1s]\n")
    stats = await player.play()
    assert logged(sink) == ["visible", "keep me"]
    assert stats.filtered == 1 and stats.logged == 1


async def test_conditions_count_messages_the_filter_drops() -> None:
    player, _, sink, sent = make_player("|deny> .\nfoo\n<'foo',1,1s> after\n[1s]\n", echo_after=0.5)
    stats = await player.play()
    assert sent == ["foo", "after"] and stats.satisfied == 1
    assert logged(sink) == []


async def test_unsent_messages_are_counted() -> None:
    clock = SimClock()

    async def closed(message: str) -> bool:
        return False

    player = Player(
        script=parse("a\nb\n"),
        send=closed,
        writer=LogWriter(Output(None, stream=Sink()), Mode.TEXT),
        clock=clock,
    )
    stats = await player.play()
    assert (stats.sent, stats.unsent) == (0, 2)
