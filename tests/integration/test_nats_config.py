"""The shipped infra/nats-server.conf starts for real: a three-node JetStream cluster on loopback."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import nats
import pytest
from relaytest import TIMEOUT_UNIT, eventually, free_port

from gateway.embedded_nats import find_binary

pytestmark = pytest.mark.integration

CONF = Path(__file__).resolve().parents[2] / "infra" / "nats-server.conf"
NAMES = ("nats-0", "nats-1", "nats-2")


class Node:
    def __init__(self, name: str) -> None:
        self.name = name
        self.client, self.http, self.route = free_port(), free_port(), free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, routes: list[str], store: Path) -> None:
        env = {
            **os.environ,
            "NATS_SERVER_NAME": self.name,
            "NATS_ROUTES": f"[{', '.join(routes)}]",
            "NATS_STORE_DIR": str(store / self.name),
        }
        # Only what must differ between nodes on one host is given as flags; the rest is the file.
        self.proc = subprocess.Popen(
            [
                find_binary(),
                "-c",
                str(CONF),
                "-a",
                "127.0.0.1",
                "-p",
                str(self.client),
                "-m",
                str(self.http),
                "--cluster",
                f"nats://127.0.0.1:{self.route}",
            ],  # fmt: skip
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def stop(self) -> str:
        assert self.proc is not None
        self.proc.terminate()
        _, err = self.proc.communicate(timeout=10 * TIMEOUT_UNIT)
        return err.decode(errors="replace")


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[list[Node]]:
    nodes = [Node(name) for name in NAMES]
    routes = [f"nats://127.0.0.1:{node.route}" for node in nodes]
    for node in nodes:
        node.start(routes, tmp_path)
    try:
        yield nodes
    finally:
        logs = [node.stop() for node in nodes]
        assert all(node.proc is not None and node.proc.returncode == 0 for node in nodes), logs


def test_shipped_config_is_valid_once_a_node_is_named() -> None:
    env = {
        **os.environ,
        "NATS_SERVER_NAME": "nats-0",
        "NATS_ROUTES": "[nats://127.0.0.1:6222]",
        "NATS_STORE_DIR": "/data",
    }
    done = subprocess.run([find_binary(), "-c", str(CONF), "-t"], env=env, capture_output=True, timeout=30)
    assert done.returncode == 0, done.stderr


def test_shipped_config_without_a_name_names_the_variable() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NATS_")}
    done = subprocess.run([find_binary(), "-c", str(CONF), "-t"], env=env, capture_output=True, timeout=30)
    assert done.returncode != 0
    assert b"NATS_SERVER_NAME" in done.stderr


async def test_three_nodes_from_the_shipped_config_form_a_jetstream_cluster(cluster: list[Node]) -> None:
    async with httpx.AsyncClient(timeout=2.0) as http:

        async def meta_cluster_formed() -> bool:
            for node in cluster:
                try:
                    jsz = (await http.get(f"http://127.0.0.1:{node.http}/jsz")).json()
                except httpx.HTTPError:
                    return False
                meta = jsz.get("meta_cluster") or {}
                if not meta.get("leader") or meta.get("cluster_size") != 3:
                    return False
            return True

        await eventually(meta_cluster_formed, timeout=30, what="a JetStream meta leader on all three nodes")
        varz = (await http.get(f"http://127.0.0.1:{cluster[0].http}/varz")).json()
        meta = (await http.get(f"http://127.0.0.1:{cluster[0].http}/jsz")).json()["meta_cluster"]
        assert (varz["server_name"], varz["cluster"]["name"], meta["name"]) == ("nats-0", "relay", "relay")
        assert {varz["server_name"], *(peer["name"] for peer in meta["replicas"])} == set(NAMES)

    nc = await nats.connect(f"nats://127.0.0.1:{cluster[0].client}")
    try:
        js = nc.jetstream()
        kv = await js.create_key_value(bucket="relay_config_check", replicas=3)
        await kv.put("k", b"v")
        info = await js.stream_info("KV_relay_config_check")
        assert info.config.num_replicas == 3
        assert info.cluster is not None and len(info.cluster.replicas or []) == 2
        assert (await kv.get("k")).value == b"v"
    finally:
        await nc.close()
