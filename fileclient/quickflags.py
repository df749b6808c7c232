"""``fileclient ssh-proxy``'s usual command line, read without typer.

ssh starts the proxy for every connection, and typer 0.29 builds its parsers with pydantic: about
70 ms of each connection's start (docs/performance-ssh.md). ``ssh_proxy_flags`` reads only the
plain form a ProxyCommand uses (``--flag value``, ``--flag=value``, ``--verbose``/``-v``) into the
keyword arguments the typer command passes to ``ssh_proxy_settings``. Anything else (``--help``,
an unknown or repeated flag, a missing value or one that looks like a flag) gives None and the
full command line handles it, so its messages stay the only ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

VALUED = {
    "--access": "access",
    "--token": "token",
    "--token-file": "token_file",
    "--connect-timeout": "connect_timeout",
}
SWITCHES = ("--verbose", "-v")


@dataclass(frozen=True, slots=True)
class SshProxyFlags:
    """The flags given (None when left out), named as ``ssh_proxy_settings``' arguments."""

    access: str | None = None
    token: str | None = None
    token_file: str | None = None
    connect_timeout: str | None = None
    verbose: bool = False


def ssh_proxy_flags(argv: Sequence[str]) -> SshProxyFlags | None:
    """The flags of ``argv`` (the arguments after the program name), or None for anything unusual."""
    if not argv or argv[0] != "ssh-proxy":
        return None
    values: dict[str, str] = {}
    verbose = False
    args = iter(argv[1:])
    for arg in args:
        if arg in SWITCHES:
            if verbose:
                return None
            verbose = True
            continue
        flag, equals, value = arg.partition("=")
        name = VALUED.get(flag)
        if name is None or name in values:
            return None
        if not equals:
            value = next(args, "-")  # a missing value reads as a flag: left to typer
            if value.startswith("-"):
                return None
        values[name] = value
    return SshProxyFlags(verbose=verbose, **values)
