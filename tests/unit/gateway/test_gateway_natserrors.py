"""gateway.natserrors maps every nats-py failure to BusUnavailable (BucketMissing for a missing
stream) and lets answers about one key through, entry by entry."""

from __future__ import annotations

import nats.errors
import nats.js.errors
import pytest

from gateway.errors import BusUnavailable, CodeRejected
from gateway.natserrors import BucketMissing, is_key_answer, nats_errors, translate

UNAVAILABLE = [
    nats.errors.ConnectionClosedError(),
    nats.errors.TimeoutError(),
    nats.errors.NoServersError(),
    nats.errors.ConnectionReconnectingError(),
    nats.errors.OutboundBufferLimitError(),
    nats.errors.SlowConsumerError(subject="s", reply="", sid=1, sub=None),  # type: ignore[arg-type]
    nats.errors.MaxPayloadError(),
    nats.js.errors.ServiceUnavailableError(code=503, description="JetStream not ready"),
    nats.js.errors.ServerError(code=500, description="internal error"),
    nats.js.errors.BadRequestError(code=400, err_code=10058, description="stream name in use"),
    nats.js.errors.APIError(code=408, description="timeout"),
    nats.js.errors.FetchTimeoutError(),
    OSError("network unreachable"),
    ConnectionResetError(),
    TimeoutError(),
]

MISSING = [
    nats.js.errors.BucketNotFoundError(),
    nats.js.errors.NotFoundError(code=404, err_code=10059, description="stream not found"),
    nats.js.errors.NoStreamResponseError(),
    nats.errors.NoRespondersError(),
]

KEY_ANSWERS = [
    nats.js.errors.KeyNotFoundError(),
    nats.js.errors.KeyDeletedError(),
    nats.js.errors.KeyWrongLastSequenceError(description="wrong last sequence"),
    nats.js.errors.BadRequestError(code=400, err_code=10071),
    nats.js.errors.BadRequestError(code=400, err_code=10164),
]


def name(exc: BaseException) -> str:
    return f"{type(exc).__name__}-{getattr(exc, 'err_code', '')}"


@pytest.mark.parametrize("error", UNAVAILABLE, ids=name)
def test_failure_becomes_bus_unavailable_naming_what_failed(error: BaseException) -> None:
    with pytest.raises(BusUnavailable, match="^cannot store code: ") as info:
        with nats_errors("cannot store code"):
            raise error
    assert type(info.value) is BusUnavailable
    assert info.value.__cause__ is error
    assert info.value.http_status == 503 and info.value.close_code == 1013


@pytest.mark.parametrize("error", MISSING, ids=name)
def test_missing_stream_becomes_bucket_missing(error: BaseException) -> None:
    with pytest.raises(BucketMissing, match="^cannot read code: "):
        with nats_errors("cannot read code"):
            raise error
    assert isinstance(translate("x", error), BusUnavailable)  # callers that don't heal see a 503


@pytest.mark.parametrize("error", KEY_ANSWERS, ids=name)
def test_answers_about_a_key_pass_through_for_the_caller(error: BaseException) -> None:
    assert is_key_answer(error)
    with pytest.raises(type(error)) as info:
        with nats_errors("cannot consume code"):
            raise error
    assert info.value is error


def test_relay_errors_and_bugs_are_not_translated() -> None:
    with pytest.raises(CodeRejected):
        with nats_errors("cannot read code"):
            raise CodeRejected("invalid code")
    with pytest.raises(KeyError):
        with nats_errors("cannot read code"):
            raise KeyError("bug")


def test_reason_carries_the_jetstream_status_and_fits_a_close_frame() -> None:
    exc = translate(
        "cannot open JetStream bucket relay_codes", nats.js.errors.ServiceUnavailableError(code=503)
    )
    assert exc.reason == "cannot open JetStream bucket relay_codes: ServiceUnavailableError 503"
    assert len(translate("x" * 300, TimeoutError()).reason.encode()) <= 123
