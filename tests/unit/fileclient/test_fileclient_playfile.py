from __future__ import annotations

from pathlib import Path

import pytest

from fileclient.playfile import (
    Await,
    Blank,
    Comment,
    FilterCommand,
    FilterVerb,
    LineError,
    Send,
    Wait,
    parse,
    parse_line,
)

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("# Non echo comment", Comment("Non echo comment", echo=False)),
        ("#- non echo comment", Comment("non echo comment", echo=False)),
        ("#+ echo comment", Comment("echo comment", echo=True)),
        ("  ###+   spaced", Comment("spaced", echo=True)),
        ("#+- mixed marker is silent", Comment("mixed marker is silent", echo=False)),
        ("#++ double plus is silent", Comment("double plus is silent", echo=False)),
        ("#+", Comment("", echo=True)),
    ],
)
def test_comments(line: str, expected: Comment) -> None:
    assert parse_line(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("[10ms]", Wait(0.01)),
        ("[]", Wait(0.0)),
        ("[0]", Wait(0.0)),
        ("  [ 1.5s ]  ", Wait(1.5)),
        ("[1h5.3m0.5s]", Wait(3600 + 5.3 * 60 + 0.5)),
        ('[0.1s] {"an":"other"}', Send('{"an":"other"}', 0.1)),
        ("[1ms]a", Send("a", 0.001)),
        ("[] # not a comment", Send("# not a comment", 0.0)),
        ("[2m45s]   spaced message  ", Send("spaced message  ", 165.0)),
    ],
)
def test_delays_and_waits(line: str, expected: Wait | Send) -> None:
    step = parse_line(line)
    assert type(step) is type(expected)
    if isinstance(step, Wait):
        assert isinstance(expected, Wait)
        assert step.delay == pytest.approx(expected.delay)
    else:
        assert isinstance(step, Send) and isinstance(expected, Send)
        assert step.message == expected.message
        assert step.delay == pytest.approx(expected.delay)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("[0.1] x", "has no unit"),
        ("[5]", "has no unit"),
        ("[abc]", "invalid duration"),
        ("[10q] x", "invalid duration"),
    ],
)
def test_bad_delays_are_errors_with_a_reason(line: str, reason: str) -> None:
    with pytest.raises(LineError, match=reason):
        parse_line(line)


def test_unitless_delay_message_suggests_a_unit() -> None:
    with pytest.raises(LineError) as info:
        parse_line("[0.1]")
    assert "0.1s" in str(info.value) and "0.1ms" in str(info.value)


def test_condition() -> None:
    step = parse_line(r"<'^foo\s*',5,10ms> {\"send\":\"foos\"}")
    assert isinstance(step, Await)
    assert step.pattern.pattern == r"^foo\s*"
    assert (step.count, step.message) == (5, '{\\"send\\":\\"foos\\"}')
    assert step.timeout == pytest.approx(0.01)


def test_condition_regexp_may_hold_quotes_commas_and_angle_brackets() -> None:
    step = parse_line("  < 'a,'b'>c' , 2 , 1m >  go>now")
    assert isinstance(step, Await)
    assert step.pattern.pattern == "a,'b'>c"
    assert (step.count, step.timeout, step.message) == (2, 60.0, "go>now")


def test_condition_without_message_only_waits() -> None:
    step = parse_line("<'ok',1,5s>")
    assert isinstance(step, Await) and step.message == ""


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("<ok,1,5s> x", "quoted regexp"),
        ("<'ok',1> x", "three arguments"),
        ("<'ok',1,2s,3> x", "three arguments"),
        ("<'(',1,5s> x", "not a valid regular expression"),
        ("<'ok',x,5s> x", "count 'x' must be a whole number"),
        ("<'ok',0,5s> x", "at least 1"),
        ("<'ok',1,5> x", "has no unit"),
        ("<'ok',1,soon> x", "bad condition timeout"),
        ("<'ok',1,0> x", "must be positive"),
    ],
)
def test_bad_conditions(line: str, reason: str) -> None:
    with pytest.raises(LineError, match=reason):
        parse_line(line)


@pytest.mark.parametrize(
    ("line", "verb", "pattern"),
    [
        ("|+> [a-h]", FilterVerb.ACCEPT, "[a-h]"),
        ("|accept> [R-Z]", FilterVerb.ACCEPT, "[R-Z]"),
        (" | A > x", FilterVerb.ACCEPT, "x"),
        ("|->[0-9]", FilterVerb.DENY, "[0-9]"),
        ("|deny>  [#!&%]", FilterVerb.DENY, "[#!&%]"),
        ("|D> y", FilterVerb.DENY, "y"),
        ("|reset>", FilterVerb.RESET, None),
        ("|r>", FilterVerb.RESET, None),
        ("  | RESET >  ", FilterVerb.RESET, None),
    ],
)
def test_filters(line: str, verb: FilterVerb, pattern: str | None) -> None:
    step = parse_line(line)
    assert isinstance(step, FilterCommand)
    assert step.verb is verb
    assert (step.pattern.pattern if step.pattern else None) == pattern


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("|x> y", "unknown filter command 'x'"),
        ("|keep> y", "unknown filter command 'keep'"),
        ("|+>", "needs a regexp"),
        ("|-> (", "not a valid regular expression"),
        ("|reset> junk", "takes no pattern"),
    ],
)
def test_bad_filters(line: str, reason: str) -> None:
    with pytest.raises(LineError, match=reason):
        parse_line(line)


@pytest.mark.parametrize(
    "line", ['{"some":"msg"}', "  indented text", "[1,2,3]", "plain <not a condition", "a|b> c"]
)
def test_everything_else_is_sent_now_verbatim(line: str) -> None:
    assert parse_line(line) == Send(line, 0.0)


@pytest.mark.parametrize("line", ["", "   ", "\t"])
def test_blank_lines_do_nothing(line: str) -> None:
    assert parse_line(line) == Blank()


def test_parse_reports_every_bad_line_with_its_number() -> None:
    text = "hello\n[0.1] x\n# fine\r\n<'ok',x,1s> y\n|z> q\n[1s]\n"
    script = parse(text)
    assert [(e.number, e.line) for e in script.errors] == [
        (2, "[0.1] x"),
        (4, "<'ok',x,1s> y"),
        (5, "|z> q"),
    ]
    assert "has no unit" in str(script.errors[0])
    assert str(script.errors[0]).startswith("line 2: ")
    assert [n for n, _ in script.steps] == [1, 3, 6]
    assert script.steps[1][1] == Comment("fine", echo=False)  # CRLF line ends are accepted


def test_no_trailing_empty_step_and_empty_file() -> None:
    assert len(parse("a\nb\n").steps) == 2
    assert len(parse("a\nb").steps) == 2
    assert parse("").steps == ()


def test_reference_test_play_parses_cleanly() -> None:
    script = parse((DATA / "test.play").read_text())
    assert script.errors == ()
    assert len(script.steps) == 66
    kinds = [type(step).__name__ for _, step in script.steps]
    assert kinds.count("Await") == 1
    assert kinds.count("FilterCommand") == 10
