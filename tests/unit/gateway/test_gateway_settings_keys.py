"""Settings of keys, rate limits and the ops port: what is required, what is refused, by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.settings import ConfigError, from_env

BASE = {"RELAY_AUDIENCE": "https://relay.example.org/access", "RELAY_URL": "wss://relay.example.org"}


def problems(env: dict[str, str]) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        from_env({**BASE, **env})
    return str(caught.value).splitlines()


def test_the_secret_is_required_only_without_public_keys() -> None:
    assert problems({}) == ["You must set RELAY_SECRET (or --secret)"]
    assert from_env({**BASE, "RELAY_JWKS": "https://issuer.example/jwks.json"}).secret == ""
    assert from_env({**BASE, "RELAY_PUBLIC_KEYS": "/etc/relay/keys.pem"}).public_keys == Path(
        "/etc/relay/keys.pem"
    )
    both = from_env({**BASE, "RELAY_SECRET": "s", "RELAY_JWKS": "/etc/relay/jwks.json"})
    assert (both.secret, both.jwks) == ("s", "/etc/relay/jwks.json")


def test_defaults_limit_rates_and_leave_the_ops_port_unset() -> None:
    settings = from_env({**BASE, "RELAY_SECRET": "s"})
    assert settings.port_ops is None
    assert (settings.rate_access, settings.rate_access_burst) == (20.0, 100)
    assert (settings.rate_admin, settings.rate_admin_burst) == (2.0, 20)
    assert settings.trusted_proxies == ()
    assert settings.jwks_refresh == 300.0


def test_rate_limits_can_be_turned_off_or_raised() -> None:
    settings = from_env({**BASE, "RELAY_SECRET": "s", "RELAY_RATE_ACCESS": "0", "RELAY_RATE_ADMIN": "1000"})
    assert (settings.rate_access, settings.rate_admin) == (0.0, 1000.0)


def test_bad_values_are_named() -> None:
    found = problems(
        {
            "RELAY_SECRET": "s",
            "RELAY_PORT_OPS": "3000",
            "RELAY_RATE_ACCESS": "-1",
            "RELAY_RATE_ACCESS_BURST": "0",
            "RELAY_TRUSTED_PROXIES": "10.0.0.0/8, proxy.example",
            "RELAY_JWKS_REFRESH": "100ms",
        }
    )
    assert found == [
        "RELAY_JWKS_REFRESH: must be at least 1s (got '100ms')",
        "RELAY_RATE_ACCESS: must be 0 (off) or a positive number per second (got '-1')",
        "RELAY_RATE_ACCESS_BURST: must be at least 1 (got '0')",
        "RELAY_TRUSTED_PROXIES: not an address or CIDR: 'proxy.example'",
        "RELAY_PORT_OPS: must differ from the access and relay ports (got 3000)",
    ]


def test_trusted_proxies_are_normalised() -> None:
    settings = from_env({**BASE, "RELAY_SECRET": "s", "RELAY_TRUSTED_PROXIES": "10.1.2.3/8, ::1"})
    assert settings.trusted_proxies == ("10.0.0.0/8", "::1/128")
