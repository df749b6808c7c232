"""The gateway image, built by ``./dev.sh image`` and run as two replicas over NATS in a container.

Nothing is pulled: the base is a Debian made here with ``debootstrap --variant=minbase`` and
imported (cached in the engine's image store under a tag keyed by its inputs; set
RELAY_TEST_IMAGE_BASE to use another base), the image installs from a wheelhouse built on the
host, NATS is the scratch image of tests/natscontainers.py. Every container uses the host
network and listens on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from conftest import NatsFactory
from natscontainers import OWNER_LABEL, ROOT, ContainerEngine, NatsNode, podman_env
from relaytest import SECRET, eventually, free_port, mint, open_ws
from websockets.exceptions import ConnectionClosed

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

IMAGE = "localhost/relay:test"
DEBIAN = {
    "suite": "bookworm",
    "variant": "minbase",
    "include": "python3,python3-venv,ca-certificates",
    "mirror": os.environ.get("RELAY_TEST_DEBIAN_MIRROR", "http://deb.debian.org/debian"),
}


def run(cli: list[str], *args: str, stdin: bytes | None = None, timeout: float = 600) -> str:
    done = subprocess.run(
        [*cli, *args], input=stdin, capture_output=True, env=podman_env(), timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise AssertionError(f"{' '.join([*cli, *args])[:200]} failed: {done.stderr.decode()[-1500:]}")
    return done.stdout.decode()


@pytest.fixture(scope="module")
def cli(container_engine: ContainerEngine | None) -> list[str]:
    """The command line of the first engine that answers (docker, then podman), as ./dev.sh image picks."""
    if container_engine is None:
        pytest.skip(f"no container engine: {ContainerEngine.fallback_reason}")
    for name in ("docker", "podman"):
        found = shutil.which(name)
        if found and subprocess.run([found, "info"], capture_output=True, env=podman_env()).returncode == 0:
            return [name]
    pytest.skip("testcontainers has an engine, but neither a docker nor a podman command answers")


def image_exists(cli: list[str], tag: str) -> bool:
    return (
        subprocess.run([*cli, "image", "inspect", tag], capture_output=True, env=podman_env()).returncode == 0
    )


@pytest.fixture(scope="module")
def base_image(cli: list[str]) -> str:
    """A Debian with python3 from debootstrap, imported once per set of inputs (about 40 s)."""
    if given := os.environ.get("RELAY_TEST_IMAGE_BASE"):
        return given
    key = hashlib.sha256(repr(sorted(DEBIAN.items())).encode()).hexdigest()[:12]
    tag = f"localhost/relay-test-base:{DEBIAN['suite']}-{key}"
    if image_exists(cli, tag):
        return tag
    debootstrap = shutil.which("debootstrap")
    if debootstrap is None or os.geteuid() != 0:
        pytest.skip("building the Debian base needs root and debootstrap (./dev.sh test installs it)")
    with tempfile.TemporaryDirectory(prefix="relay-rootfs-") as tmp:
        rootfs = Path(tmp) / "rootfs"
        run(
            [debootstrap],
            f"--variant={DEBIAN['variant']}",
            f"--include={DEBIAN['include']}",
            DEBIAN["suite"],
            str(rootfs),
            DEBIAN["mirror"],
        )
        for cache in ("var/cache/apt/archives", "var/lib/apt/lists"):
            shutil.rmtree(rootfs / cache, ignore_errors=True)
        tar = subprocess.run(["tar", "-C", str(rootfs), "-c", "."], capture_output=True, check=True).stdout
        run(cli, "import", "-", tag, stdin=tar)
    return tag


@pytest.fixture(scope="module")
def gateway_image(cli: list[str], base_image: str) -> str:
    """``./dev.sh image`` offline: a host-built wheelhouse, the local base."""
    env = {
        **podman_env(),
        "RELAY_IMAGE_BASE": base_image,
        "RELAY_IMAGE_OFFLINE": "1",
        "RELAY_IMAGE_TAG": IMAGE,
        "RELAY_IMAGE_ENGINE": cli[0],
    }
    before = image_id(cli, IMAGE)
    # podman: no intermediate stage images are kept, so reruns do not pile up ~360 MB each.
    extra = ["--layers=false"] if cli[0] == "podman" else []
    done = subprocess.run([str(ROOT / "dev.sh"), "image", *extra], env=env, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    after = image_id(cli, IMAGE)
    assert after
    if before and before != after:  # the previous build, now untagged
        subprocess.run([*cli, "rmi", before], capture_output=True, env=podman_env())
    # podman sometimes keeps the build stage as an untagged image (~360 MB a run)
    run(cli, "image", "prune", "-f", "--filter", "label=relay.stage=build")
    return IMAGE


def image_id(cli: list[str], tag: str) -> str:
    done = subprocess.run(
        [*cli, "image", "inspect", "--format", "{{.Id}}", tag], capture_output=True, env=podman_env()
    )
    return done.stdout.decode().strip() if done.returncode == 0 else ""


@dataclass
class Replica:
    name: str
    port: int
    cli: list[str]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def session_url(self, topic: str) -> str:
        return f"{self.base}/session/{topic}"

    def logs(self) -> str:
        done = subprocess.run([*self.cli, "logs", self.name], capture_output=True, env=podman_env())
        return (done.stdout + done.stderr).decode(errors="replace")


AUDIENCE = "http://relay.test"  # both replicas take the same tokens, as behind one Ingress


def token(topic: str, **kwargs: object) -> str:
    return mint(SECRET, AUDIENCE, topic, **kwargs)  # type: ignore[arg-type]


def ready(replica: Replica) -> bool:
    try:
        return httpx.get(f"{replica.base}/readyz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="module")
def replicas(
    cli: list[str],
    gateway_image: str,
    container_engine: ContainerEngine,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Replica, Replica]]:
    nats = NatsNode.create(container_engine, tmp_path_factory.mktemp("nats"))
    nats.start()
    started: list[Replica] = []
    try:
        for name in ("a", "b"):
            port = free_port()
            replica = Replica(f"relay-e2e-{os.getpid()}-{name}", port, cli)
            env = {**podman_env(), "RELAY_SECRET": SECRET}
            subprocess.run(
                [
                    *cli,
                    "run",
                    "-d",
                    "--name",
                    replica.name,
                    "--network",
                    "host",
                    "--label",
                    f"{OWNER_LABEL}={os.getpid()}",
                    "-e",
                    "RELAY_SECRET",  # from this process's environment: not in any argv
                    "-e",
                    "RELAY_HOST=127.0.0.1",
                    "-e",
                    f"RELAY_AUDIENCE={AUDIENCE}",
                    "-e",
                    f"RELAY_URL=ws://127.0.0.1:{port}",
                    "-e",
                    f"RELAY_PORT_ACCESS={port}",
                    "-e",
                    f"RELAY_PORT_RELAY={port}",
                    "-e",
                    f"RELAY_NATS_URL={nats.url}",
                    "-e",
                    "RELAY_LOG_LEVEL=info",
                    "-e",
                    "RELAY_SHUTDOWN_GRACE=2s",
                    gateway_image,
                ],  # fmt: skip
                env=env,
                check=True,
                capture_output=True,
            )
            started.append(replica)
        for replica in started:
            deadline = time.monotonic() + 60
            while not ready(replica):
                assert time.monotonic() < deadline, f"{replica.name} not ready: {replica.logs()[-1500:]}"
                time.sleep(0.1)  # another process's HTTP endpoint; there is no event to await
        yield started[0], started[1]
    finally:
        for replica in started:
            subprocess.run([*cli, "rm", "-f", replica.name], capture_output=True, env=podman_env())
        nats.cleanup()


async def closed_with(ws: object, timeout: float = 10.0) -> tuple[int | None, str]:
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(ws.recv(), timeout)  # type: ignore[attr-defined]
    return ws.close_code, ws.close_reason  # type: ignore[attr-defined]


def test_the_nats_fixture_is_a_container_where_an_engine_answers(
    container_engine: ContainerEngine | None, nats_factory: NatsFactory
) -> None:
    if container_engine is None:
        pytest.skip(f"no container engine: {ContainerEngine.fallback_reason}")
    node = nats_factory()
    assert type(node).__name__ == "ContainerNode"
    client = container_engine.client()
    try:
        ours = client.containers.list(filters={"label": f"{OWNER_LABEL}={os.getpid()}"})
        assert any(tag.startswith("localhost/relay-test-nats:") for c in ours for tag in c.image.tags)
    finally:
        client.close()


def test_the_image_runs_as_a_non_root_user_with_labels(cli: list[str], gateway_image: str) -> None:
    user = run(cli, "image", "inspect", "--format", "{{.Config.User}}", gateway_image).strip()
    assert user and not user.startswith(("0", "root"))
    labels = run(cli, "image", "inspect", "--format", "{{json .Config.Labels}}", gateway_image)
    assert '"org.opencontainers.image.title":"relay-gateway"' in labels
    env = run(cli, "image", "inspect", "--format", "{{json .Config.Env}}", gateway_image)
    assert "RELAY_SECRET" not in env


def listening_on(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp*) of the sockets listening on ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hexport = local.rsplit(":", 1)
            if state == "0A" and int(hexport, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_the_gateway_containers_listen_on_loopback_only(replicas: tuple[Replica, Replica]) -> None:
    for replica in replicas:
        assert listening_on(replica.port) == {"0100007F"}  # 127.0.0.1, nothing else


async def test_a_session_crosses_the_two_gateway_containers(replicas: tuple[Replica, Replica]) -> None:
    a, b = replicas
    reader = await open_ws(b.session_url("lab"), token("lab", scopes=("read",)))
    writer = await open_ws(a.session_url("lab"), token("lab", scopes=("write",)))
    try:
        await writer.send("across containers")
        assert await asyncio.wait_for(reader.recv(), 10) == "across containers"
    finally:
        await reader.close()
        await writer.close()


async def test_a_deny_on_one_container_closes_the_booking_on_the_other(
    replicas: tuple[Replica, Replica],
) -> None:
    a, b = replicas
    on_b = await open_ws(b.session_url("deny"), token("deny", booking_id="bk-e2e-deny"))
    admin = {"Authorization": token("admin", scopes=("relay:admin",))}
    async with httpx.AsyncClient(base_url=a.base) as http:
        reply = await http.post(f"/bids/deny?bid=bk-e2e-deny&exp={int(time.time() + 600)}", headers=admin)
    assert reply.status_code == 204
    assert await closed_with(on_b) == (4503, "booking cancelled")


async def test_stopping_a_gateway_container_closes_with_1012_and_exits_0(
    cli: list[str], replicas: tuple[Replica, Replica]
) -> None:
    a, _b = replicas  # the last test of the module: replica a does not come back
    ws = await open_ws(a.session_url("stop"), token("stop"))
    stopping = asyncio.create_task(asyncio.to_thread(run, cli, "stop", "--time", "20", a.name))
    assert (await closed_with(ws, timeout=20))[0] == 1012
    await stopping
    status = run(cli, "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", a.name).split()
    assert status == ["exited", "0"], a.logs()[-1500:]
    await eventually(lambda: not ready(a), timeout=5, what="replica a no longer answers")
