from __future__ import annotations

import pytest

from hostd.rules import Destination, RuleError, Rules, Stream, go_json, parse_body


def test_go_json_is_compact_and_escapes_html_characters() -> None:
    assert go_json({"a": "x<y>&z", "b": [1, 2]}) == '{"a":"x\\u003cy\\u003e\\u0026z","b":[1,2]}'


def test_destination_json_has_the_five_original_keys_in_order() -> None:
    rule = Destination.from_json(
        {"id": "00", "stream": "/stream/large", "destination": "wss://x", "token": "t"}
    )
    assert go_json(rule.to_json()) == (
        '{"id":"00","stream":"stream/large","destination":"wss://x","token":"t","file":""}'
    )


def test_token_file_is_a_sixth_key_only_when_set() -> None:
    rule = Destination.from_json({"id": "1", "stream": "v", "destination": "https://a", "token_file": "/t"})
    assert list(rule.to_json()) == ["id", "stream", "destination", "token", "file", "token_file"]
    assert rule.authenticated


def test_redacted_hides_the_token() -> None:
    rule = Destination(id="1", stream="v", destination="https://a", token="secret.jwt")
    assert "secret.jwt" not in go_json(rule.redacted())


@pytest.mark.parametrize("body", [[], {"id": 3}, {"stream": ["x"]}])
def test_malformed_destination_is_rejected(body: object) -> None:
    with pytest.raises(RuleError):
        Destination.from_json(body)


def test_bad_json_body_is_a_rule_error() -> None:
    with pytest.raises(RuleError):
        parse_body(b"{not json")


def test_delete_all_is_reserved_and_deletes_everything() -> None:
    rules = Rules()
    assert not rules.put_destination(Destination(id="deleteAll", stream="v", destination="ws://a"))
    rules.put_destination(Destination(id="a", stream="v", destination="ws://a"))
    rules.put_destination(Destination(id="b", stream="v", destination="ws://a"))
    assert sorted(rules.delete_destination("all")) == ["a", "b"]
    assert rules.destinations == {}


def test_put_replaces_a_rule_with_the_same_id() -> None:
    rules = Rules()
    rules.put_destination(Destination(id="a", stream="v", destination="ws://one"))
    rules.put_destination(Destination(id="a", stream="v", destination="ws://two"))
    assert rules.destinations["a"].destination == "ws://two"


def test_streams_list_is_sorted_like_a_go_map() -> None:
    rules = Rules()
    rules.put_stream(Stream.from_json({"stream": "/stream/b", "feeds": ["/x"]}))
    rules.put_stream(Stream.from_json({"stream": "stream/a", "feeds": ["y", "z"]}))
    assert go_json(rules.streams_json()) == '{"stream/a":["y","z"],"stream/b":["x"]}'
    assert rules.delete_stream("deleteAll") == ["stream/b", "stream/a"]
