"""The console route: off by default (404), served with its security headers when on, packaged."""

from __future__ import annotations

import tomllib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from fnmatch import fnmatch
from pathlib import Path

import httpx
import pytest

from gateway.app import create_app
from gateway.consolesite import directory
from gateway.services import Services
from gateway.settings import GatewaySettings, from_env

ROOT = Path(__file__).resolve().parents[3]


@asynccontextmanager
async def no_services(_settings: GatewaySettings) -> AsyncIterator[Services]:
    raise AssertionError("static files need no services")
    yield  # pragma: no cover


def client(**changes: object) -> httpx.AsyncClient:
    settings = GatewaySettings(audience="http://a", secret="s", url="ws://r", **changes)  # type: ignore[arg-type]
    app = create_app(settings, no_services)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://a")


def test_console_is_off_unless_relay_console_is_true() -> None:
    base = {"RELAY_AUDIENCE": "http://a", "RELAY_SECRET": "s", "RELAY_URL": "ws://r"}
    assert from_env(base).console is False
    assert from_env({**base, "RELAY_CONSOLE": "true"}).console is True


@pytest.mark.parametrize("path", ["/console/", "/console/index.html", "/console/vendor/relay-client.js"])
async def test_console_off_answers_404(path: str) -> None:
    async with client() as http:
        assert (await http.get(path)).status_code == 404


async def test_console_on_serves_the_page_and_its_modules_with_security_headers() -> None:
    async with client(console=True) as http:
        redirect = await http.get("/console")
        page = await http.get("/console/")
        modules = [await http.get(f"/console/{name}") for name in ("console.js", "vendor/relay-client.js")]
        missing = await http.get("/console/nothing.js")
    assert redirect.status_code in (307, 308) and redirect.headers["location"].endswith("/console/")
    assert page.status_code == 200 and "<title>Relay lab console</title>" in page.text
    assert "'wasm-unsafe-eval'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["x-content-type-options"] == "nosniff"
    for module in modules:
        assert module.status_code == 200 and "javascript" in module.headers["content-type"]
    assert missing.status_code == 404


def test_every_console_file_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["gateway"]
    files = [p.relative_to(directory().parent).as_posix() for p in directory().rglob("*") if p.is_file()]
    assert "console/index.html" in files and "console/vendor/jsmpeg-player.esm.js" in files
    assert [f for f in files if not any(glob_matches(f, pattern) for pattern in patterns)] == []


def glob_matches(path: str, pattern: str) -> bool:
    """setuptools' glob: ``*`` stays within one path segment."""
    parts, globs = path.split("/"), pattern.split("/")
    return len(parts) == len(globs) and all(fnmatch(p, g) for p, g in zip(parts, globs, strict=True))


def test_serve_help_names_relay_console() -> None:
    from typer.testing import CliRunner

    from gateway.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0 and "[RELAY_CONSOLE]" in result.output and "--console" in result.output


async def test_console_is_served_on_the_access_port_only() -> None:
    settings = GatewaySettings(
        audience="http://a", secret="s", url="ws://r", port_access=3000, port_relay=3001, console=True
    )
    app = create_app(settings, no_services, ports={"access": 3000, "relay": 3001})
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport) as http:
        on_access = await http.get("http://a:3000/console/")
        on_relay = await http.get("http://a:3001/console/")
    assert (on_access.status_code, on_relay.status_code) == (200, 404)
