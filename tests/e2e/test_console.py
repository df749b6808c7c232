"""The lab console (gateway/console/) in Debian's headless Chromium against real gateways.

Data both ways, ffmpeg video through hostd decoded on the canvas, a deny (4503, no reconnect), a
gateway restart (reconnects by itself) and CORS from a console on another origin. Screenshots go
to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import shutil
import subprocess
import threading
import time
import weakref
from collections.abc import AsyncIterator, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from conftest import GatewayFactory, GatewayHandle, StartHostd
from relaytest import CHROMIUM_FLAGS, TIMEOUT_UNIT, eventually, open_ws

from gateway.consolesite import directory
from hostd.config import HostConfig
from hostd.rules import Destination

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium")
playwright_api = pytest.importorskip("playwright.async_api")
if CHROMIUM is None:
    pytest.skip("chromium is installed by ./dev.sh test", allow_module_level=True)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WAIT_MS = 20_000 * TIMEOUT_UNIT


@pytest.fixture
async def browser() -> AsyncIterator[playwright_api.Browser]:
    # Playwright gives every launch a fresh temporary profile (--user-data-dir) and removes it.
    async with playwright_api.async_playwright() as pw:
        launched = await pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_FLAGS)
        )
        try:
            yield launched
        finally:
            await launched.close()


async def console(
    browser: playwright_api.Browser, base: str, access_url: str, token: str
) -> playwright_api.Page:
    """The console at ``base`` opened with ``?access=`` and ``#token=``, as a lab's link would."""
    page = await browser.new_page(viewport={"width": 1200, "height": 900})
    errors = PAGE_ERRORS[page] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(f"{base}/console/?access={quote(access_url, safe='')}#token={token}")
    return page


# Uncaught exceptions in each console page (none are expected).
PAGE_ERRORS: weakref.WeakKeyDictionary[playwright_api.Page, list[str]] = weakref.WeakKeyDictionary()


async def state_is(page: playwright_api.Page, state: str) -> None:
    await page.wait_for_function(
        "s => document.getElementById('state').textContent === s", arg=state, timeout=WAIT_MS
    )


async def text(page: playwright_api.Page, element_id: str) -> str:
    return await page.locator(f"#{element_id}").inner_text()


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    print(f"screenshot: {path}")
    return path


async def test_console_sends_and_receives_data_messages(
    gateway_factory: GatewayFactory, browser: playwright_api.Browser
) -> None:
    gateway = await gateway_factory(console=True)
    page = await console(
        browser, gateway.access_base, gateway.session_url("console-data"), gateway.mint("console-data")
    )
    await state_is(page, "open")
    peer = await open_ws(gateway.session_url("console-data"), gateway.mint("console-data"))
    try:
        await page.fill("#message", "hello from the console")
        await page.click("#send")
        assert await asyncio.wait_for(peer.recv(), 10) == "hello from the console"
        await peer.send("hello from the lab")
        await peer.send(b"\x01\x02\x03")
        await page.wait_for_function(
            "() => document.querySelectorAll('#log li.binary').length > 0", timeout=WAIT_MS
        )
        assert await page.locator("#log li.in").all_inner_texts() == ["hello from the lab"]
        assert await page.locator("#log li.out").all_inner_texts() == ["hello from the console"]
        assert await page.locator("#log li.binary").all_inner_texts() == ["3 bytes"]
        await page.screenshot(path=artifact("console-data.png"), full_page=True)
    finally:
        await peer.close()
    assert PAGE_ERRORS[page] == []


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is installed by ./dev.sh test")
async def test_console_decodes_ffmpeg_video_relayed_by_hostd(
    gateway_factory: GatewayFactory, start_hostd: StartHostd, browser: playwright_api.Browser
) -> None:
    gateway = await gateway_factory(console=True)
    topic = "console-video"
    rule = Destination(
        id="video",
        stream="video",
        destination=gateway.session_url(topic),
        token=gateway.mint(topic, booking_id="lab"),
    )
    daemon = await start_hostd(HostConfig(destinations=(rule,)))
    link = daemon.control.uplink("video")
    assert link is not None
    await eventually(lambda: link.state.state == "connected", timeout=10, what="hostd video link")
    page = await console(
        browser, gateway.access_base, gateway.session_url(topic), gateway.mint(topic, scopes=("read",))
    )
    await state_is(page, "open")
    ffmpeg = await asyncio.create_subprocess_exec(
        *("ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi"),
        *("-i", "testsrc=size=320x240:rate=25", "-t", "60", "-f", "mpegts"),
        *(
            "-codec:v",
            "mpeg1video",
            "-b:v",
            "400k",
            "-bf",
            "0",
            f"http://127.0.0.1:{daemon.port}/ts/video",
        ),
        stderr=subprocess.PIPE,
    )
    try:
        canvas = page.locator("#video")
        await page.wait_for_function(
            "() => +document.getElementById('frames').textContent >= 5", timeout=WAIT_MS
        )
        first = await canvas.screenshot()
        seen = int(await text(page, "frames"))
        await page.wait_for_function(
            "n => +document.getElementById('frames').textContent >= n + 10", arg=seen, timeout=WAIT_MS
        )
        second = await canvas.screenshot(path=artifact("console-video.png"))
        colours = await page.evaluate(DISTINCT_COLOURS)
        await page.screenshot(path=artifact("console-video-page.png"), full_page=True)
    finally:
        with contextlib.suppress(ProcessLookupError):
            ffmpeg.kill()
        _, ffmpeg_err = await ffmpeg.communicate()
    assert ffmpeg.returncode == -9, ffmpeg_err.decode()  # streamed until killed
    assert first != second, "the canvas did not change between two screenshots"
    assert colours > 16, f"the canvas looks blank ({colours} colours)"
    assert PAGE_ERRORS[page] == []


# Colours on the video canvas, read back through a copy (works for the 2D and WebGL renderers).
DISTINCT_COLOURS = """() => {
  const source = document.getElementById('video');
  const copy = document.createElement('canvas');
  copy.width = source.width; copy.height = source.height;
  const context = copy.getContext('2d');
  context.drawImage(source, 0, 0);
  const pixels = context.getImageData(0, 0, copy.width, copy.height).data;
  const seen = new Set();
  for (let i = 0; i < pixels.length; i += 4 * 37) seen.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
  return seen.size;
}"""


async def test_console_closed_by_a_deny_shows_4503_and_does_not_reconnect(
    gateway_factory: GatewayFactory, browser: playwright_api.Browser
) -> None:
    gateway = await gateway_factory(console=True)
    token = gateway.mint("console-deny", booking_id="console-booking")
    page = await console(browser, gateway.access_base, gateway.session_url("console-deny"), token)
    await state_is(page, "open")
    async with httpx.AsyncClient() as http:
        reply = await http.post(
            f"{gateway.access_base}/bids/deny",
            params={"bid": "console-booking", "exp": int(time.time()) + 300},
            headers={"Authorization": gateway.mint("admin", scopes=("relay:admin",))},
        )
    assert reply.status_code == 204, reply.text
    await state_is(page, "closed")  # "closed" is final: a reconnecting client is "waiting" first
    assert (await text(page, "close")).startswith("4503 ")
    assert await text(page, "attempts") == "attempt 1"
    assert "reconnecting" not in await text(page, "log")


async def test_console_asks_for_a_new_token_after_4502_and_carries_on(
    gateway_factory: GatewayFactory, browser: playwright_api.Browser
) -> None:
    gateway = await gateway_factory(console=True)
    url = gateway.session_url("console-expiry")
    page = await console(browser, gateway.access_base, url, gateway.mint("console-expiry", lifetime=4))
    await state_is(page, "open")
    await page.locator("#renew").wait_for(state="visible", timeout=WAIT_MS)  # the session expired
    assert (await text(page, "close")).startswith("4502 ")
    await page.fill("#token", gateway.mint("console-expiry"))
    await page.click("#renew")
    await state_is(page, "open")
    assert await text(page, "attempts") == "attempt 2"
    assert await page.locator("#renew").is_hidden()
    await _exchange(gateway, page, "console-expiry", "with the new token")
    assert PAGE_ERRORS[page] == []


async def test_console_reconnects_by_itself_after_a_gateway_restart(
    gateway_factory: GatewayFactory, browser: playwright_api.Browser
) -> None:
    gateway = await gateway_factory(console=True)
    page = await console(
        browser, gateway.access_base, gateway.session_url("console-restart"), gateway.mint("console-restart")
    )
    await state_is(page, "open")
    await gateway.stop()
    await page.wait_for_function(
        "() => document.getElementById('state').textContent !== 'open'", timeout=WAIT_MS
    )
    assert (await text(page, "close")).startswith("1012 ")
    await gateway.start()  # same ports
    await state_is(page, "open")
    assert int((await text(page, "attempts")).split()[-1]) >= 2
    await _exchange(gateway, page, "console-restart", "after the restart")


async def _exchange(gateway: GatewayHandle, page: playwright_api.Page, topic: str, message: str) -> None:
    peer = await open_ws(gateway.session_url(topic), gateway.mint(topic))
    try:
        await page.fill("#message", message)
        await page.click("#send")
        assert await asyncio.wait_for(peer.recv(), 10) == message
    finally:
        await peer.close()


@pytest.fixture
def static_console() -> Iterator[str]:
    """The console's files from a plain static server on another port: another origin."""
    handler = functools.partial(QuietFiles, directory=str(directory().parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        return None


async def test_console_on_another_origin_needs_the_gateways_cors_permission(
    gateway_factory: GatewayFactory, browser: playwright_api.Browser, static_console: str
) -> None:
    allowed = await gateway_factory(cors_origins=(static_console,), console=True)
    page = await console(browser, static_console, allowed.session_url("cors"), allowed.mint("cors"))
    await state_is(page, "open")
    await _exchange(allowed, page, "cors", "across origins")
    # A lab's own page may also import the client from the gateway (a CORS-mode module fetch).
    module = f"{allowed.access_base}/console/vendor/relay-client.js"
    opened = await page.evaluate(IMPORT_AND_OPEN, [module, allowed.session_url("cors"), allowed.mint("cors")])
    assert opened == "open"

    refused = await gateway_factory(cors_origins=("https://lab.example.org",))
    page = await console(browser, static_console, refused.session_url("cors"), refused.mint("cors"))
    await page.wait_for_function(
        "() => document.getElementById('error').textContent.includes('retrying')", timeout=WAIT_MS
    )
    assert (await text(page, "error")).startswith("access failed: ")  # the browser hides the reply
    assert await text(page, "state") in ("waiting", "connecting")


IMPORT_AND_OPEN = """async ([module, access, token]) => {
  const { connect } = await import(module);
  const relay = connect(access, token);
  await new Promise((opened, failed) => {
    relay.addEventListener("open", opened);
    relay.addEventListener("close", (e) => failed(new Error(`closed ${e.code}`)));
    relay.addEventListener("error", (e) => failed(e.error));
  });
  const state = relay.state;
  relay.close();
  return state;
}"""
