"""The line ``gateway serve`` prints once ready: addresses, NATS, replica; never a credential."""

from __future__ import annotations

import pytest

from gateway.cli import ready_line
from gateway.server import Gateway, ListenError, bind
from gateway.settings import from_env

ENV = {
    "RELAY_SECRET": "the-secret",
    "RELAY_AUDIENCE": "https://relay.example.org/access",
    "RELAY_URL": "wss://relay.example.org/relay",
    "RELAY_REPLICA_ID": "r1",
}


def test_ready_line_names_both_ports_external_nats_and_hides_nats_credentials() -> None:
    gateway = Gateway(from_env({**ENV, "RELAY_NATS_URL": "nats://user:pw@n1:4222,nats://n2:4222"}))
    gateway.ports = {"access": 3000, "relay": 3001}
    gateway.nats_servers = ["nats://user:pw@n1:4222", "nats://n2:4222"]
    line = ready_line(gateway)
    assert line == (
        "gateway ready: access API on 127.0.0.1:3000 (https://relay.example.org/access), "
        "relay on 127.0.0.1:3001 (wss://relay.example.org/relay); NATS nats://***@n1:4222,nats://n2:4222; "
        "replica r1"
    )
    assert "the-secret" not in line and "pw" not in line


def test_bind_names_the_port_and_its_setting_when_in_use() -> None:
    taken = bind("127.0.0.1", 0)
    taken.listen()
    port = taken.getsockname()[1]
    with (
        taken,
        pytest.raises(ListenError, match=rf"^port {port} is in use \(set --port-relay / RELAY_PORT_RELAY\)$"),
    ):
        bind("127.0.0.1", port, "port_relay")
