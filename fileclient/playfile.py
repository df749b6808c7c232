"""The play-file language (practable ``relay client file``, reference 9.2): text in, steps or errors out.

Pure: no I/O, no clock. Each line is classified by the first matching rule: comment, delay/wait,
condition, filter, otherwise a message sent now. Every bad line becomes a ``PlayError`` carrying
its number and the reason, so a check can report them all at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from fileclient.durations import DurationError, parse_duration

_COMMENT: Final = re.compile(r"\s*#+([+-]*)\s*(.*)", re.ASCII)
_DELAY: Final = re.compile(r"\s*\[\s*([a-zA-Z0-9.]*)\s*\]\s*(.*)", re.ASCII)
_CONDITION: Final = re.compile(r"\s*<(.*)>\s*(.*)", re.ASCII)  # greedy: up to the last '>'
# A well-formed condition ends at the '>' after its timeout, so the message may contain '>'.
_CONDITION_EXACT: Final = re.compile(r"\s*<\s*'(.*)'\s*,\s*(\d+)\s*,\s*([0-9A-Za-zµμ.]+)\s*>\s*(.*)")
_CONDITION_ARGS: Final = re.compile(r"\s*'(.*)'\s*,(.*)", re.ASCII)  # greedy: the last "'," ends the regexp
_FILTER: Final = re.compile(r"\s*\|\s*([-+a-zA-Z]+)\s*>\s*(.*)", re.ASCII)
_CONDITION_HELP: Final = "write <'REGEXP',COUNT,TIMEOUT> MESSAGE, e.g. <'^ok',1,5s> go"


class FilterVerb(StrEnum):
    ACCEPT = "accept"
    DENY = "deny"
    RESET = "reset"


_VERBS: Final = {
    "+": FilterVerb.ACCEPT,
    "a": FilterVerb.ACCEPT,
    "accept": FilterVerb.ACCEPT,
    "-": FilterVerb.DENY,
    "d": FilterVerb.DENY,
    "deny": FilterVerb.DENY,
    "r": FilterVerb.RESET,
    "reset": FilterVerb.RESET,
}


@dataclass(frozen=True, slots=True)
class Comment:
    """``# text`` (silent) or ``#+ text`` (written to the log with the current time)."""

    text: str
    echo: bool


@dataclass(frozen=True, slots=True)
class Wait:
    """``[DURATION]`` alone: pause the script."""

    delay: float  # seconds


@dataclass(frozen=True, slots=True)
class Send:
    """``[DURATION] message`` or a plain line: pause (maybe 0), then send ``message`` as text."""

    message: str
    delay: float = 0.0  # seconds


@dataclass(frozen=True, slots=True)
class Await:
    """``<'REGEXP',COUNT,TIMEOUT> message``: wait for COUNT matching messages or TIMEOUT, then send."""

    pattern: re.Pattern[str]
    count: int
    timeout: float  # seconds
    message: str  # empty: only wait


@dataclass(frozen=True, slots=True)
class FilterCommand:
    """``|accept> REGEXP``, ``|deny> REGEXP`` or ``|reset>``: change what gets logged."""

    verb: FilterVerb
    pattern: re.Pattern[str] | None  # None only for reset


@dataclass(frozen=True, slots=True)
class Blank:
    """A line of white space only; does nothing (the original sent it as an empty message)."""


Step = Comment | Wait | Send | Await | FilterCommand | Blank


@dataclass(frozen=True, slots=True)
class PlayError:
    """A line that cannot be played."""

    number: int  # 1-based line number
    line: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.number}: {self.reason}: {self.line}"


@dataclass(frozen=True, slots=True)
class Script:
    """A parsed file: the steps of the good lines (with line numbers) and every error."""

    steps: tuple[tuple[int, Step], ...]
    errors: tuple[PlayError, ...]


class LineError(ValueError):
    """A line is malformed; the message is the reason."""


def _compile(pattern: str, what: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise LineError(f"{what} {pattern!r} is not a valid regular expression ({exc})") from exc


def _delay(token: str, rest: str) -> Step:
    try:
        delay = parse_duration(token) if token else 0.0
    except DurationError as exc:
        raise LineError(f"bad delay: {exc}") from exc
    return Send(rest, delay) if rest else Wait(delay)


def _exact_condition(match: re.Match[str]) -> Await:
    pattern_text, count_text, timeout_text, message = match.groups()
    return _condition_parts(pattern_text, count_text, timeout_text, message)


def _condition(args: str, message: str) -> Await:
    """Diagnose a condition the exact grammar did not match (or parse it, if it is merely odd)."""
    match = _CONDITION_ARGS.fullmatch(args)
    if match is None:
        raise LineError(f"condition must start with a quoted regexp; {_CONDITION_HELP}")
    parts = match.group(2).split(",")
    if len(parts) != 2:
        raise LineError(f"condition needs three arguments; {_CONDITION_HELP}")
    count_text, timeout_text = (part.strip() for part in parts)
    return _condition_parts(match.group(1), count_text, timeout_text, message)


def _condition_parts(pattern_text: str, count_text: str, timeout_text: str, message: str) -> Await:
    pattern = _compile(pattern_text, "condition regexp")
    if not count_text.isdigit() or int(count_text) < 1:
        raise LineError(f"condition count {count_text!r} must be a whole number of messages, at least 1")
    try:
        timeout = parse_duration(timeout_text)
    except DurationError as exc:
        raise LineError(f"bad condition timeout: {exc}") from exc
    if timeout <= 0:
        raise LineError(f"condition timeout {timeout_text!r} must be positive")
    return Await(pattern, int(count_text), timeout, message)


def _filter(verb_text: str, pattern: str) -> FilterCommand:
    verb = _VERBS.get(verb_text.lower())
    if verb is None:
        raise LineError(
            f"unknown filter command {verb_text!r}; use one of +, -, a, d, r, accept, deny, reset"
        )
    if verb is FilterVerb.RESET:
        if pattern.strip():
            raise LineError("|reset> takes no pattern")
        return FilterCommand(verb, None)
    if not pattern:
        raise LineError(f"|{verb_text}> needs a regexp")
    return FilterCommand(verb, _compile(pattern, f"{verb} pattern"))


def parse_line(line: str) -> Step:
    """Classify and parse one line (without its newline).

    Args:
        line: the text of the line.

    Returns:
        The step it describes.

    Raises:
        LineError: the line starts like a delay, condition or filter but is malformed.
    """
    if not line.strip():
        return Blank()
    if match := _COMMENT.fullmatch(line):
        return Comment(match.group(2), echo=match.group(1) == "+")
    if match := _DELAY.fullmatch(line):
        return _delay(match.group(1), match.group(2))
    if match := _CONDITION_EXACT.fullmatch(line):
        return _exact_condition(match)
    if match := _CONDITION.fullmatch(line):
        return _condition(match.group(1), match.group(2))
    if match := _FILTER.fullmatch(line):
        return _filter(match.group(1), match.group(2))
    return Send(line)


def parse(text: str) -> Script:
    """Parse a whole play file.

    Args:
        text: the file's content; ``\\n`` or ``\\r\\n`` line ends.

    Returns:
        A ``Script`` with every good step and every error, both in file order.
    """
    steps: list[tuple[int, Step]] = []
    errors: list[PlayError] = []
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the empty "line" after the final newline (or of an empty file)
    for number, raw in enumerate(lines, start=1):
        line = raw.removesuffix("\r")
        try:
            steps.append((number, parse_line(line)))
        except LineError as exc:
            errors.append(PlayError(number, line, str(exc)))
    return Script(tuple(steps), tuple(errors))
