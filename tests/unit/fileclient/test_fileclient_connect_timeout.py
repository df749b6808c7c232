"""ssh-proxy's --connect-timeout: a duration flag over JUMP_CLIENT_CONNECT_TIMEOUT, 20 s by default."""

from __future__ import annotations

import pytest

from fileclient.settings import ConfigError, ssh_proxy_settings

ENV = {
    "JUMP_CLIENT_RELAY_SESSION": "https://relay.example.org/access/api/v1/connect/lab1",
    "JUMP_CLIENT_TOKEN": "t",
}


def test_connect_timeout_defaults_to_20s_and_the_flag_wins_over_the_environment() -> None:
    assert ssh_proxy_settings(ENV).connect_timeout == 20.0
    env = {**ENV, "JUMP_CLIENT_CONNECT_TIMEOUT": "5s"}
    assert ssh_proxy_settings(env).connect_timeout == 5.0
    assert ssh_proxy_settings(env, connect_timeout="250ms").connect_timeout == 0.25


@pytest.mark.parametrize("bad", ["20", "0s", "soon"])
def test_a_bad_connect_timeout_is_a_config_error(bad: str) -> None:
    with pytest.raises(ConfigError):
        ssh_proxy_settings(ENV, connect_timeout=bad)
