"""hostd and fileclient run on uvloop when it is installed, else on asyncio's own loop."""

from __future__ import annotations

import asyncio
import sys

import pytest

from relayclient import loop


async def loop_module() -> str:
    return type(asyncio.get_running_loop()).__module__


def test_runs_on_uvloop_when_installed() -> None:
    pytest.importorskip("uvloop")
    assert loop.run(loop_module()).startswith("uvloop")


def test_falls_back_to_asyncio_without_uvloop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # import uvloop raises ImportError
    assert loop.loop_factory() is None
    assert loop.run(loop_module()).startswith("asyncio")
