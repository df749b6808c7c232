"""The test NATS nodes keep one contract, as a container and as a child process (tests/natscontainers.py)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import nats
import pytest
from natscontainers import ContainerEngine, NatsNode, ProcessNode

pytestmark = pytest.mark.integration


@pytest.fixture(params=["container", "process"])
def node(
    request: pytest.FixtureRequest, container_engine: ContainerEngine | None, tmp_path: Path
) -> Iterator[NatsNode]:
    if request.param == "container":
        if container_engine is None:
            pytest.skip(f"no container engine: {ContainerEngine.fallback_reason}")
        made = NatsNode.create(container_engine, tmp_path / "node")
    else:
        made = ProcessNode(tmp_path / "node")
    yield made
    made.cleanup()


def refused(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


async def test_a_node_keeps_its_port_and_jetstream_store_across_stop_kill_and_start(node: NatsNode) -> None:
    assert node.start().startswith("nats://127.0.0.1:")
    nc = await nats.connect(node.url)
    kv = await nc.jetstream().create_key_value(bucket="probe")  # file storage: on the mounted store
    await kv.put("k", b"v1")
    assert nc.max_payload == 1024 * 1024  # stock settings
    await nc.close()

    node.stop()
    assert not node.running and refused(node.port)
    node.start()
    nc = await nats.connect(node.url)
    assert (await (await nc.jetstream().key_value("probe")).get("k")).value == b"v1"
    await nc.close()

    node.kill()
    assert not node.running and refused(node.port)
    node.start()
    nc = await nats.connect(node.url)
    assert (await (await nc.jetstream().key_value("probe")).get("k")).value == b"v1"
    await nc.close()


def test_a_node_that_cannot_start_says_why(node: NatsNode) -> None:
    node.extra_conf = "no_such_option_here: 1\n"  # nats-server refuses an unknown top-level key
    with pytest.raises(AssertionError, match="exited"):
        node.start()
