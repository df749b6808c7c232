"""``python -m bench [--quick]``: run the benchmarks and print JSON (see bench/README.md)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys

from bench import (
    overload_bench,
    perf_bench,
    ratelimit_bench,
    relay_bench,
    revocation_bench,
    soak_bench,
    ssh_bench,
)
from bench.cluster import cluster

CLUSTER = ("relay", "revocation", "ssh")  # share one nats-server and two replicas
PERF = "perf"  # the performance table (issue 12): cluster rows, plus ssh; only when named
OWN_PROCESSES = ("overload", "soak", "ratelimit")  # start fresh gateways of their own; only when named


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--quick", action="store_true", help="shorter runs (smoke test)")
    parser.add_argument("--minutes", type=float, default=10.0, help="soak: how long (default 10)")
    parser.add_argument(
        "--scenario",
        action="append",
        default=None,
        help="overload: run only scenarios whose name starts with this (a, b, c, d); repeatable",
    )
    parser.add_argument(
        "--row",
        action="append",
        default=None,
        choices=perf_bench.ROWS,
        help="perf: run only these rows (repeatable)",
    )
    parser.add_argument("--connections", type=int, default=2000, help="perf rss: idle connections to open")
    parser.add_argument(
        "which",
        nargs="*",
        default=list(CLUSTER),
        help="relay, revocation, ssh (default: these three); perf, overload, soak, ratelimit (only when named)",
    )
    args = parser.parse_args()
    unknown = set(args.which) - set(CLUSTER) - set(OWN_PROCESSES) - {PERF}
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    try:
        import uvloop

        runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    except ImportError:
        runner = asyncio.Runner()
    out: dict[str, object] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    with runner:
        if any(name in args.which for name in (*CLUSTER, PERF)):
            with cluster(2) as replicas:
                if "relay" in args.which:
                    out["relay"] = runner.run(relay_bench.run(replicas, quick=args.quick))
                if "revocation" in args.which:
                    out["revocation"] = runner.run(revocation_bench.run(replicas))
                if "ssh" in args.which:
                    out["ssh"] = runner.run(ssh_bench.run(replicas, quick=args.quick))
                if PERF in args.which:
                    out[PERF] = perf = runner.run(
                        perf_bench.run(
                            replicas, quick=args.quick, only=args.row, connections=args.connections
                        )
                    )
                    if args.row is None or "ssh" in (args.row or ()):
                        perf["scp_share_of_direct"] = runner.run(ssh_bench.run(replicas, quick=args.quick))
        if "overload" in args.which:
            out["overload"] = runner.run(overload_bench.run(quick=args.quick, only=args.scenario))
        if "ratelimit" in args.which:
            out["ratelimit"] = runner.run(ratelimit_bench.run(quick=args.quick))
        if "soak" in args.which:
            out["soak"] = runner.run(soak_bench.run(minutes=args.minutes))
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
