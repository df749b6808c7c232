"""Grant JSON across versions: what one replica writes, a replica one version apart can read."""

from __future__ import annotations

import json

import pytest

from gateway.errors import CodeRejected
from gateway.grants import Grant
from gateway.wire import CloseCode

FULL = Grant(
    topic="lab/1",
    prefix="connect",
    scopes=("client", "read", "write"),
    booking_id="bk",
    expires_at=1_700_000_600,
    not_before=1_699_999_990,
    issued_at=1_699_999_990,
    minted_at=1_700_000_000.5,
    topic_salt="salt",
    alert_host=True,
    pair="p",
)


def written(**changes: object) -> bytes:
    raw = json.loads(FULL.to_json())
    raw.update(changes)
    return json.dumps({k: v for k, v in raw.items() if v is not ...}).encode()


def test_every_field_round_trips() -> None:
    assert Grant.from_json(FULL.to_json()) == FULL


def test_a_field_from_a_newer_version_is_ignored() -> None:
    assert Grant.from_json(written(region="eu-1", limits={"rate": 5})) == FULL


def test_optional_fields_an_older_version_did_not_write_take_their_defaults() -> None:
    minimal = json.dumps({"topic": "t", "prefix": "session", "scopes": ["read"]}).encode()
    assert Grant.from_json(minimal) == Grant(topic="t", prefix="session", scopes=("read",))


def test_an_integer_minted_at_is_read_as_seconds() -> None:
    assert Grant.from_json(written(minted_at=1_700_000_000)).minted_at == 1_700_000_000.0


@pytest.mark.parametrize("missing", ["topic", "prefix", "scopes"])
def test_a_missing_required_field_is_an_invalid_code(missing: str) -> None:
    with pytest.raises(CodeRejected, match="invalid code") as info:
        Grant.from_json(written(**{missing: ...}))
    assert info.value.close_code == CloseCode.BAD_CODE


@pytest.mark.parametrize(
    "changes",
    [
        {"topic": 5},
        {"prefix": None},
        {"scopes": "read"},
        {"scopes": ["read", 1]},
        {"expires_at": "soon"},
        {"expires_at": 1.5},
        {"not_before": True},
        {"minted_at": "now"},
        {"alert_host": 1},
        {"pair": ["p"]},
    ],
    ids=lambda c: next(iter(c)),
)
def test_a_field_of_the_wrong_type_is_an_invalid_code(changes: dict[str, object]) -> None:
    with pytest.raises(CodeRejected, match="invalid code"):
        Grant.from_json(written(**changes))


@pytest.mark.parametrize(
    "data", [b"", b"not json", b"\xff\xfe", b"[]", b'"grant"', b"null", b'{"topic":'], ids=repr
)
def test_undecodable_json_is_an_invalid_code(data: bytes) -> None:
    with pytest.raises(CodeRejected, match="invalid code"):
        Grant.from_json(data)
