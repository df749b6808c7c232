"""The lab console's static files at ``/console/`` (``RELAY_CONSOLE=true``; docs/console.md).

The files live in the package (``gateway/console/``, with the client and jsmpeg vendored by
``clients/js/build.mjs``), so an installed gateway serves them without npm.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

# jsmpeg compiles its decoder with WebAssembly; the page connects to whichever access URL it is given.
POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "connect-src http: https: ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
HEADERS = (
    (b"content-security-policy", POLICY.encode()),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-cache"),
)


def directory() -> Path:
    return Path(str(files("gateway") / "console"))


class ConsoleFiles(StaticFiles):
    """StaticFiles with the console's security headers on every response."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await super().__call__(scope, receive, send_with_headers)


def mount(app: FastAPI) -> None:
    """Serve the console at ``/console/`` (``/console`` redirects there)."""
    app.mount("/console", ConsoleFiles(directory=directory(), html=True), name="console")
