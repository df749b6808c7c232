"""The ops port (RELAY_PORT_OPS): /metrics, /docs and /openapi.json are served there and absent from
the access port; probes answer on both; Swagger UI's assets come from the gateway, not a CDN."""

from __future__ import annotations

import asyncio
import re
import socket

import httpx
import pytest
from conftest import GatewayFactory, GatewayHandle
from relaytest import free_port, open_ws
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from gateway.cli import ready_line
from gateway.server import ListenError

pytestmark = pytest.mark.integration

OPS_PATHS = ("/metrics", "/docs", "/openapi.json", "/docs/assets/swagger-ui-bundle.js")


def ops_base(gw: GatewayHandle) -> str:
    assert gw.gateway is not None
    return f"http://127.0.0.1:{gw.gateway.ports['ops']}"


async def test_ops_paths_are_served_on_the_ops_port_and_not_on_the_access_port(
    gateway_factory: GatewayFactory,
) -> None:
    gw = await gateway_factory(port_ops=free_port())
    async with httpx.AsyncClient() as http:
        for path in OPS_PATHS:
            on_ops = await http.get(ops_base(gw) + path)
            assert on_ops.status_code == 200, path
            on_access = await http.get(gw.access_base + path)
            assert on_access.status_code == 404, path
            assert on_access.json() == {"code": "404", "message": "not found: served on the ops port"}
        metrics = await http.get(ops_base(gw) + "/metrics")
        assert "relay_" in metrics.text
        for probe in ("/healthz", "/readyz"):
            assert (await http.get(gw.access_base + probe)).status_code == 200
            assert (await http.get(ops_base(gw) + probe)).status_code == 200
        # The ops port serves nothing else: no access API there.
        refused = await http.post(ops_base(gw) + "/session/lab", headers={"Authorization": gw.mint("lab")})
        assert refused.status_code == 404
    with pytest.raises(InvalidStatus) as caught:
        async with connect(ops_base(gw).replace("http", "ws") + "/session/lab?code=x"):
            pass
    assert caught.value.response.status_code == 404
    ws = await open_ws(gw.session_url("lab"), gw.mint("lab"))  # the access port works as before
    await ws.close()


async def test_swagger_ui_loads_its_assets_from_the_gateway(gateway_factory: GatewayFactory) -> None:
    gw = await gateway_factory(port_ops=free_port())
    async with httpx.AsyncClient() as http:
        page = (await http.get(ops_base(gw) + "/docs")).text
        urls = re.findall(r"""(?:src|href|url)\s*[:=]\s*['"]([^'"]+)['"]""", page)
        assert urls and all(u.startswith("/") for u in urls), urls  # no CDN, no other host
        for url in urls:
            assert (await http.get(ops_base(gw) + url)).status_code == 200, url


async def test_without_an_ops_port_everything_stays_on_the_access_port(
    gateway_factory: GatewayFactory,
) -> None:
    gw = await gateway_factory()
    async with httpx.AsyncClient() as http:
        for path in OPS_PATHS:
            assert (await http.get(gw.access_base + path)).status_code == 200, path


async def test_ops_port_with_two_ports_and_the_ready_line(gateway_factory: GatewayFactory) -> None:
    ops, relay = free_port(), free_port()
    gw = await gateway_factory(port_ops=ops, port_relay=relay, url=f"ws://127.0.0.1:{relay}")
    assert gw.gateway is not None
    assert gw.gateway.ports["ops"] == ops
    assert f"ops (metrics, docs) on 127.0.0.1:{ops}" in ready_line(gw.gateway)
    async with httpx.AsyncClient() as http:
        assert (await http.get(f"http://127.0.0.1:{relay}/metrics")).status_code == 404
        assert (await http.get(f"http://127.0.0.1:{ops}/metrics")).status_code == 200
    ws = await open_ws(gw.session_url("lab"), gw.mint("lab"))
    await ws.close()


async def test_a_busy_ops_port_is_one_error_naming_its_setting(gateway_factory: GatewayFactory) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(
            ListenError, match=rf"^port {port} is in use \(set --port-ops / RELAY_PORT_OPS\)$"
        ):
            await gateway_factory(port_ops=port)


async def test_shutdown_closes_sessions_with_1012_and_the_ops_port(gateway_factory: GatewayFactory) -> None:
    ops = free_port()
    gw = await gateway_factory(port_ops=ops)
    ws = await open_ws(gw.session_url("lab"), gw.mint("lab"))
    await gw.stop()  # returns once serve() has finished: no exception, the lifespan ran
    await asyncio.wait_for(ws.wait_closed(), 5)
    assert ws.close_code == 1012
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", ops)
