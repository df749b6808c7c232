"""The JavaScript client's node:test suite (clients/js/test) against a real gateway."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import GatewayHandle

pytestmark = pytest.mark.e2e

CLIENT = Path(__file__).resolve().parents[2] / "clients" / "js"
NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="node is installed by ./dev.sh test")
async def test_js_client_suite_passes_against_a_real_gateway(gateway: GatewayHandle) -> None:
    assert (CLIENT / "node_modules" / "ws").is_dir(), "run `npm ci` in clients/js (./dev.sh test does)"
    env = {
        **os.environ,
        "RELAY_TEST_ACCESS": gateway.access_base,
        "RELAY_TEST_SECRET": gateway.secret,
        "RELAY_TEST_AUDIENCE": gateway.audience,
        "NODE_OPTIONS": "",
    }
    proc = await asyncio.create_subprocess_exec(
        str(NODE),
        "--test",
        "--test-reporter=tap",
        "test/client.test.js",
        cwd=CLIENT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 90)
    text = out.decode()
    assert proc.returncode == 0, text
    counts = dict(re.findall(r"^# (pass|fail|skipped|cancelled) (\d+)$", text, re.MULTILINE))
    written = len(re.findall(r"^\s*it\(", (CLIENT / "test" / "client.test.js").read_text(), re.MULTILINE))
    assert counts == {"pass": str(written), "fail": "0", "skipped": "0", "cancelled": "0"}, text


@pytest.mark.skipif(NODE is None, reason="node is installed by ./dev.sh test")
async def test_vendored_console_files_are_identical_to_their_sources() -> None:
    """gateway/console/vendor/ is committed (the wheel needs no npm); build.mjs --check compares it."""
    assert (CLIENT / "node_modules" / "@cycjimmy" / "jsmpeg-player").is_dir(), "run `npm ci` in clients/js"
    proc = await asyncio.create_subprocess_exec(
        str(NODE),
        "build.mjs",
        "--check",
        cwd=CLIENT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, out.decode()


@pytest.mark.skipif(NODE is None, reason="node is installed by ./dev.sh test")
async def test_hand_written_types_describe_the_documented_usage() -> None:
    """index.d.ts is checked by TypeScript (strict) against clients/js/test/types/usage.ts."""
    tsc = CLIENT / "node_modules" / "typescript" / "bin" / "tsc"
    assert tsc.is_file(), "run `npm ci` in clients/js"
    proc = await asyncio.create_subprocess_exec(
        str(NODE),
        str(tsc),
        "-p",
        "test/types/tsconfig.json",
        cwd=CLIENT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, out.decode()
