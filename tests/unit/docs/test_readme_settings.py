"""The README's settings table and GatewaySettings describe the same variables, both ways."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from gateway.settings import GatewaySettings

README = Path(__file__).resolve().parents[3] / "README.md"
SECTION = "## Running a gateway"
VARIABLE = re.compile(r"`(RELAY_[A-Z0-9_]+)`")


def settings_variables() -> dict[str, str]:
    """``RELAY_<FIELD>`` → field name, for every field of the settings object (as from_env reads them)."""
    return {f"RELAY_{f.name.upper()}": f.name for f in dataclasses.fields(GatewaySettings)}


def table_rows() -> dict[str, str]:
    """Variable → its table row, for every row of the settings table (a row may name several)."""
    text = README.read_text()
    assert SECTION in text, f"README.md has no {SECTION!r} section"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        if not line.startswith("| `RELAY_"):
            continue
        first_cell = line.split("|")[1]
        for name in VARIABLE.findall(first_cell):
            assert name not in rows, f"README.md documents {name} twice"
            rows[name] = line
    assert rows, "README.md's settings table has no rows"
    return rows


def test_every_setting_has_a_row_in_the_readme() -> None:
    rows = table_rows()
    missing = {name: field for name, field in settings_variables().items() if name not in rows}
    assert not missing, "README.md's settings table ('Running a gateway') lacks a row for: " + "; ".join(
        f"`{name}` (GatewaySettings.{field}): add | `{name}` | <default> | <meaning> |"
        for name, field in sorted(missing.items())
    )


def test_every_documented_variable_is_a_setting() -> None:
    known = settings_variables()
    unknown = sorted(name for name in table_rows() if name not in known)
    assert not unknown, (
        "README.md documents variables that GatewaySettings has no field for (from_env never reads them): "
        + ", ".join(unknown)
    )


def test_every_row_gives_a_default_and_a_meaning() -> None:
    for name, row in table_rows().items():
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        assert len(cells) == 3 and all(cells), (
            f"README.md's row for {name} needs | variable | default | meaning |"
        )
