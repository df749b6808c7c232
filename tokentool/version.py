"""The installed distribution's version and the ``--version`` option of every Relay command.

In tokentool because it is the leaf that gateway, hostd and fileclient may all import.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Final

import typer

DIST: Final = "relay-lab"  # the PyPI distribution; the import packages keep their names


def dist_version() -> str:
    """The installed ``relay-lab`` version, or ``unknown`` when run from a tree that is not installed."""
    try:
        return version(DIST)
    except PackageNotFoundError:
        return "unknown"


def version_line(program: str) -> str:
    """What ``<program> --version`` prints: ``gateway 0.1.0 (relay-lab)``."""
    return f"{program} {dist_version()} ({DIST})"


def _show(ctx: typer.Context, value: bool) -> None:
    if value:
        typer.echo(version_line(ctx.find_root().info_name or DIST))
        raise typer.Exit(0)


def add_version_option(app: typer.Typer) -> None:
    """Give ``app`` a ``--version`` flag that prints ``<program> <version> (relay-lab)`` and exits 0."""

    @app.callback()
    def root(
        version: Annotated[
            bool,
            typer.Option("--version", is_eager=True, callback=_show, help="Show the version and exit."),
        ] = False,
    ) -> None:
        pass
