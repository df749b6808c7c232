"""infra/nginx/relay.conf in front of a real gateway: TLS, /access and /relay stripped, websockets relayed,
and each client rate-limited by its own address (infra/relay-gateway.service trusts nginx's X-Forwarded-For)."""

from __future__ import annotations

import asyncio
import os
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from conftest import GatewayFactory, GatewayHandle
from relaytest import TIMEOUT_UNIT, eventually, free_port
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from gateway.settings import parse_networks
from gateway.wire import CloseCode

pytestmark = pytest.mark.integration

INFRA = Path(__file__).resolve().parents[2] / "infra"
SITE = INFRA / "nginx" / "relay.conf"
UNIT = INFRA / "relay-gateway.service"
HOST = "relay.example.org"


def unit_environment() -> dict[str, str]:
    """The ``Environment=`` lines of the shipped systemd unit."""
    lines = UNIT.read_text().splitlines()
    pairs = (
        line.removeprefix("Environment=").split("=", 1) for line in lines if line.startswith("Environment=")
    )
    return {name: value for name, value in pairs}


def nginx_binary() -> str | None:
    """RELAY_TEST_NGINX, else nginx on PATH or in /usr/sbin (Debian's nginx package)."""
    found = os.environ.get("RELAY_TEST_NGINX") or shutil.which("nginx")
    if found is None and Path("/usr/sbin/nginx").exists():
        found = "/usr/sbin/nginx"
    return found


NGINX = nginx_binary()
needs_nginx = pytest.mark.skipif(
    NGINX is None,
    reason="no nginx binary: install Debian's nginx (apt-get install -y --no-install-recommends nginx) "
    "or set RELAY_TEST_NGINX to one (e.g. extracted with apt-get download nginx && dpkg-deb -x)",
)


def substitute(text: str, old: str, new: str) -> str:
    """Replace ``old``, which the shipped site must contain exactly once (so this test follows the file)."""
    assert text.count(old) == 1, f"infra/nginx/relay.conf should contain {old!r} once"
    return text.replace(old, new)


class Site:
    def __init__(self, tmp: Path, access_port: int, relay_port: int) -> None:
        self.tmp = tmp
        self.https, self.http = free_port(), free_port()
        self.cert, self.key = tmp / "cert.pem", tmp / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-days", "1", "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}",
             "-keyout", str(self.key), "-out", str(self.cert)],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        # One host runs everything: loopback ports instead of 80/443/3000/3001, a test certificate.
        site = SITE.read_text()
        site = substitute(site, "server 127.0.0.1:3000;", f"server 127.0.0.1:{access_port};")
        site = substitute(site, "server 127.0.0.1:3001;", f"server 127.0.0.1:{relay_port};")
        site = substitute(
            site, "    listen 80;\n    listen [::]:80;\n", f"    listen 127.0.0.1:{self.http};\n"
        )
        site = substitute(
            site,
            "    listen 443 ssl;\n    listen [::]:443 ssl;\n",
            f"    listen 127.0.0.1:{self.https} ssl;\n",
        )
        site = substitute(site, f"/etc/letsencrypt/live/{HOST}/fullchain.pem", str(self.cert))
        site = substitute(site, f"/etc/letsencrypt/live/{HOST}/privkey.pem", str(self.key))
        (tmp / "relay.conf").write_text(site)
        # What Debian's /etc/nginx/nginx.conf provides around sites-enabled/, with paths in tmp.
        temp = "".join(
            f"    {kind}_temp_path {tmp}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        self.conf = tmp / "nginx.conf"
        self.conf.write_text(
            f"pid {tmp}/nginx.pid;\nerror_log {tmp}/error.log warn;\nworker_processes 1;\n"
            f"events {{}}\nhttp {{\n    access_log off;\n{temp}    include {tmp}/relay.conf;\n}}\n"
        )

    def command(self, *args: str) -> list[str]:
        assert NGINX is not None
        return [NGINX, "-p", str(self.tmp), "-c", str(self.conf), *args]


@pytest.fixture
async def gateway_behind_nginx(
    request: pytest.FixtureRequest, gateway_factory: GatewayFactory
) -> GatewayHandle:
    """A gateway as the unit runs it (its trusted proxies); settings overrides by indirect parametrisation."""
    access, relay = free_port(), free_port()
    return await gateway_factory(
        port_access=access,
        port_relay=relay,
        audience=f"https://{HOST}/access",
        url=f"wss://{HOST}/relay",
        trusted_proxies=parse_networks(unit_environment()["RELAY_TRUSTED_PROXIES"]),
        **getattr(request, "param", {}),
    )


async def accepts(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    await writer.wait_closed()
    return True


@pytest.fixture
async def site(tmp_path: Path, gateway_behind_nginx: GatewayHandle) -> AsyncIterator[Site]:
    """nginx running the site, listening on both its ports before any test (or ``nginx -t``, which
    binds them too) touches it."""
    settings = gateway_behind_nginx.settings
    site = Site(tmp_path, settings.port_access, settings.port_relay)
    checked = await asyncio.create_subprocess_exec(*site.command("-t"), stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(checked.communicate(), 30 * TIMEOUT_UNIT)
    assert checked.returncode == 0, err
    proc = await asyncio.create_subprocess_exec(
        *site.command("-g", "daemon off;"), stderr=asyncio.subprocess.PIPE
    )
    try:

        async def listening() -> bool:
            assert proc.returncode is None, "nginx exited"
            return await accepts(site.https) and await accepts(site.http)

        await eventually(listening, what="nginx listening")
        yield site
    finally:
        if proc.returncode is None:
            proc.terminate()
        _, err = await asyncio.wait_for(proc.communicate(), 10 * TIMEOUT_UNIT)
        assert proc.returncode == 0, err


@asynccontextmanager
async def site_client(site: Site, source: str | None = None) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTPS client of the site, connecting from the loopback address ``source`` if given."""
    tls = ssl.create_default_context(cafile=str(site.cert))
    # Connect to the loopback port but speak to relay.example.org (SNI, Host, certificate name).
    transport = _Loopback(httpx.AsyncHTTPTransport(verify=tls, local_address=source), site.https)
    async with httpx.AsyncClient(
        transport=transport, base_url=f"https://{HOST}:{site.https}", timeout=5.0 * TIMEOUT_UNIT
    ) as client:
        yield client


@pytest.fixture
async def https(site: Site) -> AsyncIterator[httpx.AsyncClient]:
    async with site_client(site) as client:
        yield client


class _Loopback(httpx.AsyncBaseTransport):
    """Send requests for relay.example.org to 127.0.0.1 (no DNS entry needed), keeping the name for TLS."""

    def __init__(self, inner: httpx.AsyncHTTPTransport, port: int) -> None:
        self.inner, self.port = inner, port

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.extensions["sni_hostname"] = HOST
        request.url = request.url.copy_with(host="127.0.0.1", port=self.port)
        request.headers["Host"] = f"{HOST}:{self.port}"
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@needs_nginx
def test_the_shipped_site_passes_nginx_t(site: Site) -> None:
    done = subprocess.run(site.command("-t"), capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and "test is successful" in done.stderr


@needs_nginx
async def test_access_prefix_is_stripped_and_metrics_stay_private(
    https: httpx.AsyncClient, gateway_behind_nginx: GatewayHandle
) -> None:
    health = await https.get("/access/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert (await https.get("/healthz")).status_code == 404  # only /access and /relay are served
    for private in ("/access/metrics", "/access/docs", "/access/openapi.json"):
        assert (await https.get(private)).status_code == 404, private
    async with httpx.AsyncClient() as local:  # the gateway runs on this event loop: no blocking client
        direct = await local.get(f"http://127.0.0.1:{gateway_behind_nginx.settings.port_access}/metrics")
    assert direct.status_code == 200  # still there for a local scraper


@needs_nginx
async def test_plain_http_redirects_to_https(site: Site) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.get(f"http://127.0.0.1:{site.http}/access/healthz", headers={"Host": HOST})
    assert answer.status_code == 301
    assert answer.headers["location"] == f"https://{HOST}/access/healthz"


@needs_nginx
async def test_a_session_through_the_site_relays_messages_over_tls(
    site: Site, https: httpx.AsyncClient, gateway_behind_nginx: GatewayHandle
) -> None:
    topic = "lab 1.data"  # a space and a dot: percent-encoded in the URI, passed through untouched
    token = gateway_behind_nginx.mint(topic)
    tls = ssl.create_default_context(cafile=str(site.cert))
    uris = []
    for _ in range(2):
        answer = await https.post("/access/session/lab%201.data", headers={"Authorization": token})
        assert answer.status_code == 200, answer.text
        uris.append(answer.json()["uri"])
    assert all(uri.startswith(f"wss://{HOST}/relay/session/lab%201%2Edata?code=") for uri in uris)
    on_loopback = [uri.replace(f"wss://{HOST}/", f"wss://127.0.0.1:{site.https}/") for uri in uris]
    async with (
        connect(on_loopback[0], ssl=tls, server_hostname=HOST) as one,
        connect(on_loopback[1], ssl=tls, server_hostname=HOST) as two,
    ):
        await one.send("hello through nginx")
        assert await two.recv() == "hello through nginx"


# Two tokens per address and no refill within a test: the third request of an address is refused.
TINY_BUCKETS = {"rate_access": 0.001, "rate_access_burst": 2}


def test_the_unit_trusts_only_the_nginx_on_its_own_host() -> None:
    assert parse_networks(unit_environment()["RELAY_TRUSTED_PROXIES"]) == ("127.0.0.1/32",)
    assert SITE.read_text().count("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;") == 2


@needs_nginx
@pytest.mark.parametrize("gateway_behind_nginx", [TINY_BUCKETS], indirect=True)
async def test_clients_behind_the_site_get_a_bucket_each_and_cannot_pick_one(site: Site) -> None:
    # The gateway's peer is always nginx (127.0.0.1); clients connect from other loopback addresses.
    async with site_client(site, "127.0.0.2") as first, site_client(site, "127.0.0.3") as second:

        async def access(client: httpx.AsyncClient, **headers: str) -> int:
            return (await client.post("/access/session/lab", headers=headers)).status_code  # no token: 401

        assert [await access(first), await access(first)] == [401, 401]
        refused = await first.post("/access/session/lab")
        assert refused.status_code == 429 and refused.headers["retry-after"].isdigit()
        # nginx appends the client's own address, which the gateway reads from the right:
        assert await access(first, **{"X-Forwarded-For": "203.0.113.9"}) == 429
        assert [await access(second), await access(second)] == [401, 401]


async def open_relay(site: Site, source: str) -> tuple[int | None, str | None]:
    """Open a websocket with a made-up code from ``source``; the close code and reason it gets."""
    tls = ssl.create_default_context(cafile=str(site.cert))
    uri = f"wss://127.0.0.1:{site.https}/relay/session/lab?code=made-up"
    async with connect(uri, ssl=tls, server_hostname=HOST, local_addr=(source, 0)) as ws:
        with pytest.raises(ConnectionClosed):
            await ws.recv()
        return ws.close_code, ws.close_reason


@needs_nginx
@pytest.mark.parametrize("gateway_behind_nginx", [TINY_BUCKETS], indirect=True)
async def test_websocket_opens_behind_the_site_are_limited_per_client(site: Site) -> None:
    for _ in range(2):
        code, _reason = await open_relay(site, "127.0.0.2")
        assert code != CloseCode.TRY_AGAIN_LATER
    code, reason = await open_relay(site, "127.0.0.2")
    assert code == CloseCode.TRY_AGAIN_LATER and reason is not None and reason.startswith("rate limited")
    code, _reason = await open_relay(site, "127.0.0.3")
    assert code != CloseCode.TRY_AGAIN_LATER
