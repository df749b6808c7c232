"""Composition root of the gateway process (console script ``gateway``)."""

from __future__ import annotations

from gateway.cli import app


def main() -> None:
    app()


if __name__ == "__main__":
    main()
