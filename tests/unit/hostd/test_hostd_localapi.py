"""Compatibility of the local HTTP API with practable's ``relay host`` (reference 8.2), in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from hostd.control import Control
from hostd.localapi import ApiOptions, LocalApi, create_app
from hostd.router import Router
from relayclient.backoff import Backoff

RULE = {
    "id": "00",
    "stream": "/stream/large",
    "destination": "ws://127.0.0.1:9/x",
    "token": "tok.en.jwt",
    "file": "",
}
RULE_JSON = (
    '{"id":"00","stream":"stream/large","destination":"ws://127.0.0.1:9/x","token":"tok.en.jwt","file":""}'
)


@pytest.fixture
async def control() -> AsyncIterator[Control]:
    control = Control(Router(), backoff=lambda: Backoff(minimum=30.0, maximum=30.0, jitter=0))
    yield control
    await control.close()


@pytest.fixture
async def api(control: Control) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(LocalApi(control, control.router, ApiOptions(ts_idle=0.001, ts_max_frame=1_024_000)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hostd") as client:
        yield client


@pytest.mark.parametrize("method", ["PUT", "POST", "UPDATE"])
async def test_add_destination_echoes_the_rule_exactly(api: httpx.AsyncClient, method: str) -> None:
    reply = await api.request(method, "/api/destinations", json=RULE)
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "application/json"
    assert reply.text == RULE_JSON


async def test_add_destination_starts_a_link(api: httpx.AsyncClient, control: Control) -> None:
    await api.put("/api/destinations", json=RULE)
    uplink = control.uplink("00")
    assert uplink is not None and uplink.rule.stream == "stream/large"


async def test_replacing_a_destination_replaces_its_link(api: httpx.AsyncClient, control: Control) -> None:
    await api.put("/api/destinations", json=RULE)
    first = control.uplink("00")
    await api.put("/api/destinations", json={**RULE, "destination": "ws://127.0.0.1:9/y"})
    second = control.uplink("00")
    assert first is not second and second is not None and second.rule.destination == "ws://127.0.0.1:9/y"
    assert first is not None and first.state.state == "stopped"


async def test_bad_json_is_a_500_text_error(api: httpx.AsyncClient) -> None:
    reply = await api.put("/api/destinations", content=b"{nope")
    assert reply.status_code == 500 and reply.headers["content-type"].startswith("text/plain")


async def test_list_all_destinations(api: httpx.AsyncClient) -> None:
    assert (await api.get("/api/destinations/all")).text == "{}"
    await api.put("/api/destinations", json=RULE)
    await api.put("/api/destinations", json={**RULE, "id": "01", "token": ""})
    reply = await api.get("/api/destinations/all")
    assert reply.status_code == 200
    assert (
        reply.text
        == '{"00":' + RULE_JSON + ',"01":' + RULE_JSON.replace('"00"', '"01"').replace("tok.en.jwt", "") + "}"
    )


async def test_get_one_destination_or_an_empty_rule(api: httpx.AsyncClient) -> None:
    await api.put("/api/destinations", json=RULE)
    assert (await api.get("/api/destinations/00")).text == RULE_JSON
    unknown = await api.get("/api/destinations/zz")
    assert unknown.status_code == 200
    assert unknown.text == '{"id":"","stream":"","destination":"","token":"","file":""}'


async def test_delete_one_destination(api: httpx.AsyncClient, control: Control) -> None:
    await api.put("/api/destinations", json=RULE)
    reply = await api.delete("/api/destinations/00")
    assert (reply.status_code, reply.text) == (200, '"00"')
    assert control.rules.destinations == {} and control.uplink("00") is None


async def test_delete_all_destinations_really_deletes_all(api: httpx.AsyncClient, control: Control) -> None:
    await api.put("/api/destinations", json=RULE)
    await api.put("/api/destinations", json={**RULE, "id": "01"})
    reply = await api.delete("/api/destinations/all")
    assert (reply.status_code, reply.text) == (200, '"deleteAll"')
    assert (await api.get("/api/destinations/all")).text == "{}"
    assert control.uplink("00") is None and control.uplink("01") is None


async def test_delete_all_by_the_reserved_id(api: httpx.AsyncClient) -> None:
    await api.put("/api/destinations", json=RULE)
    assert (await api.delete("/api/destinations/deleteAll")).text == '"deleteAll"'
    assert (await api.get("/api/destinations/all")).text == "{}"


async def test_reserved_id_cannot_be_added(api: httpx.AsyncClient) -> None:
    await api.put("/api/destinations", json={**RULE, "id": "deleteAll"})
    assert (await api.get("/api/destinations/all")).text == "{}"


@pytest.mark.parametrize("method", ["PUT", "POST", "UPDATE"])
async def test_add_stream_echoes_the_rule(api: httpx.AsyncClient, method: str) -> None:
    reply = await api.request(
        method, "/api/streams", json={"stream": "/stream/large", "feeds": ["audio", "video0"]}
    )
    assert reply.status_code == 200 and reply.headers["content-type"] == "application/json"
    assert reply.text == '{"stream":"stream/large","feeds":["audio","video0"]}'


async def test_list_get_and_delete_streams(api: httpx.AsyncClient) -> None:
    await api.put("/api/streams", json={"stream": "stream/front/large", "feeds": ["video0", "audio0"]})
    await api.put("/api/streams", json={"stream": "stream/a", "feeds": ["x"]})
    assert (await api.get("/api/streams/all")).text == (
        '{"stream/a":["x"],"stream/front/large":["video0","audio0"]}'
    )
    assert (await api.get("/api/streams/stream/front/large")).text == '["video0","audio0"]'
    assert (await api.get("/api/streams/front/large")).text == '["video0","audio0"]'
    deleted = await api.delete("/api/streams/stream/a")
    assert (deleted.status_code, deleted.text) == (200, '"stream/a"')
    assert (await api.get("/api/streams/all")).text == '{"stream/front/large":["video0","audio0"]}'


async def test_unknown_stream_is_404(api: httpx.AsyncClient) -> None:
    reply = await api.get("/api/streams/stream/none")
    assert (reply.status_code, reply.text) == (404, "Stream not found\n")


async def test_delete_all_streams(api: httpx.AsyncClient, control: Control) -> None:
    await api.put("/api/streams", json={"stream": "stream/a", "feeds": ["x"]})
    reply = await api.delete("/api/streams/all")
    assert (reply.status_code, reply.text) == (200, '"deleteAll"')
    assert (await api.get("/api/streams/all")).text == "{}"
    control.router.publish("x", b"frame")  # no stream subscriber left: nothing reaches stream/a
    assert control.router.stats["x"].dropped["no_subscriber"] == 1


async def test_healthcheck(api: httpx.AsyncClient) -> None:
    reply = await api.get("/healthcheck")
    assert (reply.status_code, reply.text) == (200, '"ok"\n')


async def test_api_placeholder_is_empty_200(api: httpx.AsyncClient) -> None:
    reply = await api.get("/api")
    assert (reply.status_code, reply.content) == (200, b"")


async def test_status_shows_rules_and_link_state_without_tokens(api: httpx.AsyncClient) -> None:
    await api.put("/api/destinations", json=RULE)
    await api.put("/api/streams", json={"stream": "stream/large", "feeds": ["video"]})
    body = (await api.get("/api/status")).json()
    link = body["destinations"]["00"]
    assert link["rule"]["token"] == "<set>" and "tok.en.jwt" not in (await api.get("/api/status")).text
    assert link["state"] in {"starting", "connecting", "retrying"}
    assert body["streams"] == {"stream/large": ["video"]}


async def test_ts_with_a_bad_feed_name_is_404(api: httpx.AsyncClient) -> None:
    assert (await api.post("/ts/bad_name!", content=b"x")).status_code == 404
