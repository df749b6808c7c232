"""RELAY_MAX_HEADER_BYTES, and the uvicorn config built from it (our HTTP and websocket protocols)."""

from __future__ import annotations

import pytest

from gateway.httpproto import HeaderLimitedProtocol
from gateway.server import uvicorn_config
from gateway.settings import ConfigError, from_env
from gateway.wire import MAX_HEADER_BYTES
from gateway.wsproto import RelayWebSocketProtocol

BASE = {"RELAY_AUDIENCE": "http://a", "RELAY_SECRET": "s", "RELAY_URL": "ws://a"}


def test_max_header_bytes_defaults_to_16_kib() -> None:
    assert from_env(BASE).max_header_bytes == MAX_HEADER_BYTES == 16 * 1024


def test_max_header_bytes_is_read_from_the_environment() -> None:
    assert from_env({**BASE, "RELAY_MAX_HEADER_BYTES": "32768"}).max_header_bytes == 32768


@pytest.mark.parametrize("value", ["1024", "2097152", "lots"])
def test_max_header_bytes_out_of_range_names_the_variable(value: str) -> None:
    with pytest.raises(ConfigError, match="RELAY_MAX_HEADER_BYTES"):
        from_env({**BASE, "RELAY_MAX_HEADER_BYTES": value})


def test_uvicorn_config_uses_our_protocols_with_the_settings_limits() -> None:
    settings = from_env({**BASE, "RELAY_MAX_HEADER_BYTES": "8192", "RELAY_MAX_MESSAGE": "4096"})
    config = uvicorn_config(settings, object())
    assert isinstance(config.http, type) and issubclass(config.http, HeaderLimitedProtocol)
    assert config.http.max_header_bytes == 8192
    assert config.ws is RelayWebSocketProtocol
    assert (config.ws_max_size, config.ws_per_message_deflate) == (4096, False)
    assert config.ws_ping_interval == settings.ping_interval
