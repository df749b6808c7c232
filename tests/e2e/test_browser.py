"""A real headless Chromium, on a page of another origin, uses the bare gateway (no nginx):
CORS preflight for the access API, websockets both ways, and a refusal's close code."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import AsyncIterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import GatewayHandle
from relaytest import CHROMIUM_FLAGS

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

PAGE = """<!doctype html><html><body>waiting<script>
const access = "%(access)s/session/browser", relay = "%(relay)s", token = "%(token)s";
async function open() {
  const reply = await fetch(access, {method: "POST", headers: {Authorization: token}});
  const {uri} = await reply.json();
  return new Promise((ok, bad) => { const ws = new WebSocket(uri); ws.onopen = () => ok(ws); ws.onerror = bad; });
}
(async () => {
  try {
    const a = await open(), b = await open();
    const got = new Promise(ok => { b.onmessage = e => ok(e.data); });
    a.send("hello from chromium");
    const text = await got;
    const refused = new WebSocket(relay + "/session/browser?code=not-a-code");
    const closed = await new Promise(ok => { refused.onclose = e => ok(e.code + " " + e.reason); });
    report("RESULT " + text + " | " + closed);
  } catch (e) { report("ERROR " + e); }
})();
function report(text) { fetch("/result", {method: "POST", body: text}); }
</script></body></html>"""


class PageServer:
    """Serves the test page from another origin and takes the page's report back."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.pages: dict[str, bytes] = {}
        self.result: asyncio.Future[str] = loop.create_future()
        self._loop = loop

    def report(self, text: str) -> None:
        self._loop.call_soon_threadsafe(lambda: self.result.done() or self.result.set_result(text))


@pytest.fixture
async def page_server() -> AsyncIterator[tuple[ThreadingHTTPServer, PageServer]]:
    state = PageServer(asyncio.get_running_loop())
    pages = state.pages

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            state.report(self.rfile.read(length).decode())
            self.send_response(204)
            self.end_headers()

        def do_GET(self) -> None:
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, state
    server.shutdown()
    server.server_close()


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is installed by ./dev.sh test")
async def test_browser_page_on_another_origin_uses_the_gateway(
    gateway: GatewayHandle, page_server: tuple[ThreadingHTTPServer, PageServer]
) -> None:
    server, state = page_server
    token = gateway.mint("browser")
    state.pages["/page.html"] = (
        PAGE % {"access": gateway.access_base, "relay": gateway.relay_url, "token": token}
    ).encode()
    url = f"http://127.0.0.1:{server.server_address[1]}/page.html"  # another origin: another port
    with tempfile.TemporaryDirectory() as profile:
        proc = await asyncio.create_subprocess_exec(
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            url,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            start_new_session=True,  # its own process group: its helpers go with it
        )
        try:
            result = await asyncio.wait_for(state.result, 60)
        finally:
            # Killing only the browser process leaves its helper processes writing into the
            # profile while the directory is removed ("Directory not empty"): kill them all.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()
    assert result == "RESULT hello from chromium | 4500 invalid code"
