"""``python -m bench [--quick]``: run the benchmarks and print JSON (see bench/README.md)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys

from bench import relay_bench, revocation_bench, ssh_bench
from bench.cluster import cluster


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--quick", action="store_true", help="shorter runs (smoke test)")
    parser.add_argument(
        "which",
        nargs="*",
        default=["relay", "revocation", "ssh"],
        help="relay, revocation, ssh (default: all)",
    )
    args = parser.parse_args()
    try:
        import uvloop

        runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    except ImportError:
        runner = asyncio.Runner()
    out: dict[str, object] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    with runner, cluster(2) as replicas:
        if "relay" in args.which:
            out["relay"] = runner.run(relay_bench.run(replicas, quick=args.quick))
        if "revocation" in args.which:
            out["revocation"] = runner.run(revocation_bench.run(replicas))
        if "ssh" in args.which:
            out["ssh"] = runner.run(ssh_bench.run(replicas, quick=args.quick))
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
