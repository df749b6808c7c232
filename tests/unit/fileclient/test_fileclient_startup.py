"""ssh-proxy's start-up: only what it needs is imported, and httpx still works without its CLI."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import fileclient.__main__ as main
main.import_httpx_without_its_cli()
import httpx
from fileclient.tunnel import ssh_proxy
assert "httpx._main" not in sys.modules, "the stand-in must not stay"
assert "rich" not in sys.modules and "click" not in sys.modules, sorted(m for m in sys.modules if m in ("rich", "click"))
assert callable(httpx.main) and callable(httpx.AsyncClient)
heavy = [m for m in ("fileclient.monitor", "fileclient.player", "fileclient.link", "typer", "pydantic") if m in sys.modules]
assert not heavy, heavy
print("ok")
"""


def test_the_ssh_proxy_path_imports_neither_httpx_cli_nor_other_commands() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_httpx_imported_first_is_left_alone() -> None:
    probe = (
        "import httpx, sys, fileclient.__main__ as m; m.import_httpx_without_its_cli(); print(httpx.__name__)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "httpx"
