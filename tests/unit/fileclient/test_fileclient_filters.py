from __future__ import annotations

import re

from fileclient.filters import Filter
from fileclient.playfile import FilterCommand, FilterVerb


def accept(p: str) -> FilterCommand:
    return FilterCommand(FilterVerb.ACCEPT, re.compile(p))


def deny(p: str) -> FilterCommand:
    return FilterCommand(FilterVerb.DENY, re.compile(p))


RESET = FilterCommand(FilterVerb.RESET, None)


def test_no_patterns_pass_everything() -> None:
    assert Filter().passes("anything")


def test_reference_filter_block() -> None:
    f = Filter()
    for cmd in (accept("[a-h]"), accept("[R-Z]"), deny("[0-9]"), deny("[#!&%]")):
        f.apply(cmd)
    lines = ["ah0#", "AA", "ZZ", "abc", "abc!", "ah"]
    assert [line for line in lines if f.passes(line)] == ["ZZ", "abc", "ah"]


def test_deny_wins_over_accept() -> None:
    f = Filter()
    f.apply(accept("a"))
    f.apply(deny("b"))
    assert f.passes("a") and not f.passes("ab")


def test_deny_only_drops_everything_as_the_original() -> None:
    f = Filter()
    f.apply(deny("x"))
    assert not f.passes("x") and not f.passes("y")


def test_reset_clears_and_duplicates_collapse() -> None:
    f = Filter()
    f.apply(accept("a"))
    f.apply(accept("a"))
    assert len(f.accept) == 1
    f.apply(RESET)
    assert f.accept == {} and f.deny == {}
    assert f.passes("zzz")
