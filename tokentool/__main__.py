"""Entry point of the ``tokentool`` console script and of ``python -m tokentool``."""

from __future__ import annotations

from tokentool.cli import app


def main() -> None:
    """Run the tokentool CLI."""
    app(prog_name="tokentool")


if __name__ == "__main__":
    main()
