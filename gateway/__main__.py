"""Composition root of the gateway process (console script ``gateway``)."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from gateway.cli import app  # imported here: a Ctrl-C while it loads is one line, too

        app()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()
