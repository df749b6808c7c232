"""A throw-away OpenSSH server on a free loopback port, and the ssh/scp command lines that reach it.

sshd runs as an ordinary child process (``-D -e``) with its own host key, authorized key and
config in a temp directory; nothing of the machine's ssh setup is read or changed.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from relaytest import free_port

SSHD = "/usr/sbin/sshd"
FILECLIENT = Path(sys.executable).parent / "fileclient"


def require_openssh() -> None:
    missing = [name for name in (SSHD, "ssh", "scp", "ssh-keygen") if shutil.which(name) is None]
    if missing:
        pytest.skip(
            f"needs Debian openssh-server and openssh-client (./dev.sh test installs them): {missing}"
        )


def keygen(path: Path) -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return path


@dataclass
class Sshd:
    """A running sshd; ``client_key`` logs in as the current user."""

    port: int
    client_key: Path
    user: str
    proc: subprocess.Popen[bytes]
    home: Path

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def ssh_options(self, proxy: str | None = None) -> list[str]:
        """Options shared by ssh and scp: our key only, no host-key prompts, no agent, batch mode."""
        options = [
            "-F",
            "/dev/null",
            "-i",
            str(self.client_key),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "ConnectTimeout=10",
        ]
        if proxy is not None:
            options += ["-o", f"ProxyCommand={proxy}"]
        return options

    def ssh(self, *command: str, proxy: str | None = None, port: int | None = None) -> list[str]:
        """argv of ``ssh`` running ``command``: through ``proxy`` if given, else straight to ``port``."""
        target_port = port if port is not None else (22 if proxy is not None else self.port)
        host = "lab" if proxy is not None else "127.0.0.1"
        return ["ssh", *self.ssh_options(proxy), "-p", str(target_port), f"{self.user}@{host}", *command]

    def scp(self, source: str, dest: str, *, proxy: str | None = None) -> list[str]:
        """argv of ``scp``; remote paths are written ``remote:PATH``."""
        port = 22 if proxy is not None else self.port
        host = "lab" if proxy is not None else "127.0.0.1"

        def where(path: str) -> str:
            return f"{self.user}@{host}:{path[len('remote:') :]}" if path.startswith("remote:") else path

        return ["scp", "-q", *self.ssh_options(proxy), "-P", str(port), where(source), where(dest)]


def proxy_command(access_url: str, token_file: Path) -> str:
    return f"{FILECLIENT} ssh-proxy --access {access_url} --token-file {token_file}"


def start_sshd(home: Path) -> Sshd:
    """Start sshd on a free loopback port; wait until it accepts connections.

    Raises:
        AssertionError: sshd exited or never listened.
    """
    require_openssh()
    os.makedirs("/run/sshd", exist_ok=True)  # sshd's privilege-separation directory
    host_key = keygen(home / "host_key")
    client_key = keygen(home / "client_key")
    (home / "authorized_keys").write_bytes((home / "client_key.pub").read_bytes())
    port = free_port()
    config = home / "sshd_config"
    config.write_text(
        f"Port {port}\n"
        "ListenAddress 127.0.0.1\n"
        f"HostKey {host_key}\n"
        f"AuthorizedKeysFile {home / 'authorized_keys'}\n"
        f"PidFile {home / 'sshd.pid'}\n"
        "StrictModes no\n"
        "UsePAM no\n"
        "PasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\n"
        "PermitRootLogin prohibit-password\n"
        "MaxStartups 100\n"
        "Subsystem sftp internal-sftp\n"
        "LogLevel ERROR\n"
    )
    proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE)
    sshd = Sshd(port=port, client_key=client_key, user=getpass.getuser(), proc=proc, home=home)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"sshd exited: {proc.communicate()[1].decode(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return sshd
        except OSError:
            time.sleep(0.02)  # another process's start-up: nothing to await
    sshd.stop()
    raise AssertionError("sshd did not listen")
