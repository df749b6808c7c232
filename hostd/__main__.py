"""Composition root of hostd: the only place that reads the process environment."""

from __future__ import annotations

import os

from hostd.cli import build


def main() -> None:
    build(os.environ)()


if __name__ == "__main__":
    main()
