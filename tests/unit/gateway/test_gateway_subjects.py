"""Topic -> NATS subject mapping: injective, one safe token, and no cross-topic matches."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gateway.subjects import (
    BINARY_SUFFIX,
    TEXT_SUFFIX,
    decode_topic,
    encode_topic,
    session_filter,
    session_subject,
)

ROOT = "relay"
topics = st.text(min_size=1, max_size=64)
roots = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,15}", fullmatch=True)

EXAMPLES = [
    "a.b",
    "a.*",
    "a.>",
    "*",
    ">",
    "a b",
    "ü",
    "a/b",
    "~",
    "a~2Eb",
    "a\tb",
    "a\nb",
    ".",
    "..",
    "a.",
    "x>",
]


def nats_matches(pattern: str, subject: str) -> bool:
    """NATS subject matching: '*' is exactly one token, '>' (last only) is one or more tokens."""
    pattern_tokens, subject_tokens = pattern.split("."), subject.split(".")
    for i, token in enumerate(pattern_tokens):
        if token == ">":
            return i == len(pattern_tokens) - 1 and len(subject_tokens) > i
        if i >= len(subject_tokens):
            return False
        if token != "*" and token != subject_tokens[i]:
            return False
    return len(pattern_tokens) == len(subject_tokens)


def test_nats_matches_helper_follows_nats_wildcard_rules() -> None:
    assert nats_matches("a.*", "a.b") and not nats_matches("a.*", "a.b.c") and not nats_matches("a.*", "a")
    assert nats_matches("a.>", "a.b.c") and nats_matches("a.>", "a.b") and not nats_matches("a.>", "a")
    assert nats_matches("a.b", "a.b") and not nats_matches("a.b", "a.c")


@given(topics)
def test_decode_inverts_encode(topic: str) -> None:
    assert decode_topic(encode_topic(topic)) == topic


@given(topics, topics)
def test_distinct_topics_never_share_a_token(a: str, b: str) -> None:
    assume(a != b)
    assert encode_topic(a) != encode_topic(b)


@given(topics)
def test_encoded_token_has_no_dot_wildcard_space_or_non_ascii(topic: str) -> None:
    token = encode_topic(topic)
    assert token
    assert not {".", "*", ">"} & set(token)
    assert not any(ch.isspace() for ch in token)
    assert token.isascii()


@given(roots, topics, st.booleans())
def test_session_subject_has_exactly_four_tokens(root: str, topic: str, binary: bool) -> None:
    tokens = session_subject(root, topic, binary=binary).split(".")
    assert len(tokens) == 4
    assert tokens[0] == root and tokens[1] == "s" and tokens[2] == encode_topic(topic)
    assert tokens[3] == (BINARY_SUFFIX if binary else TEXT_SUFFIX)


@given(topics, st.booleans())
def test_session_filter_matches_its_own_topic_both_frame_types(topic: str, binary: bool) -> None:
    assert nats_matches(session_filter(ROOT, topic), session_subject(ROOT, topic, binary=binary))


@given(topics, topics, st.booleans())
def test_session_filter_of_one_topic_never_matches_another_topics_subject(
    a: str, b: str, binary: bool
) -> None:
    assume(a != b)
    assert not nats_matches(session_filter(ROOT, a), session_subject(ROOT, b, binary=binary))


@pytest.mark.parametrize("topic", EXAMPLES)
def test_examples_round_trip_to_one_safe_token(topic: str) -> None:
    token = encode_topic(topic)
    assert decode_topic(token) == topic
    assert token.isascii() and not {".", "*", ">", " ", "\t", "\n"} & set(token)
    assert len(session_subject(ROOT, topic, binary=False).split(".")) == 4


def test_examples_are_pairwise_distinct_and_isolated() -> None:
    for a in EXAMPLES:
        for b in EXAMPLES:
            if a == b:
                continue
            assert encode_topic(a) != encode_topic(b), (a, b)
            for binary in (False, True):
                assert not nats_matches(session_filter(ROOT, a), session_subject(ROOT, b, binary=binary))


def test_escaped_looking_topic_differs_from_the_topic_it_spells() -> None:
    assert encode_topic("a.b") == "a~2Eb"
    assert encode_topic("a~2Eb") == "a~7E2Eb"


def test_wildcard_topics_do_not_widen_the_filter() -> None:
    for topic in ("*", ">", "a.*", "a.>"):
        assert session_filter(ROOT, topic).split(".")[:3] == [ROOT, "s", encode_topic(topic)]
        assert not nats_matches(session_filter(ROOT, topic), session_subject(ROOT, "other", binary=False))


def test_empty_topic_is_refused() -> None:
    with pytest.raises(ValueError, match="empty topic"):
        encode_topic("")
