"""The access flow every Relay client uses: POST a token, get a one-time websocket URL.

It imports no server code: hostd and fileclient depend on it, never on the gateway.
"""

from __future__ import annotations

import json
import ssl

import httpx

ACCESS_TIMEOUT = 10.0  # seconds, as practable's clients


def untrusting_context() -> ssl.SSLContext:
    """A TLS client context that verifies peers but trusts no CA: it refuses every certificate."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED and check_hostname; no CA loaded


def access_client(access_url: str) -> httpx.AsyncClient:
    """An HTTP client for ``access_url``.

    httpx loads its CA bundle when a client is made (about 30 ms, every ssh-proxy start,
    docs/performance-ssh.md). A plain ``http://`` URL needs none: its client gets
    ``untrusting_context()``, so TLS, should it ever be attempted with it (redirects are not
    followed), fails closed instead of accepting a certificate unchecked.
    """
    if access_url[:7].lower() == "http://":
        return httpx.AsyncClient(verify=untrusting_context())
    return httpx.AsyncClient()


class AccessError(Exception):
    """The access API refused or could not be reached.

    ``status`` is the HTTP status (None when no answer came) and ``terminal`` says whether
    retrying with the same token can ever help (401/403: the token itself is refused).
    """

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def terminal(self) -> bool:
        return self.status in (401, 403)

    @property
    def denied(self) -> bool:
        """The token's booking is on the deny list (cancelled): the same token can never connect."""
        return self.status == 400 and "deny-listed" in str(self)


async def request_uri(
    client: httpx.AsyncClient, access_url: str, token: str, *, timeout: float = ACCESS_TIMEOUT
) -> str:
    """Exchange ``token`` at ``access_url`` for a websocket URL carrying a one-time code.

    Args:
        client: a shared HTTP client.
        access_url: e.g. ``https://relay.example.org/access/session/lab1-data``.
        token: the raw JWT; it travels in the ``Authorization`` header, never in a URL.
        timeout: seconds for the whole request.

    Returns:
        The ``uri`` field of the reply.

    Raises:
        AccessError: on a transport failure, a non-200 answer or a reply without a ``uri``.
    """
    try:
        response = await client.post(access_url, headers={"Authorization": token}, json={}, timeout=timeout)
    except httpx.HTTPError as exc:
        raise AccessError(f"access request failed: {type(exc).__name__}: {exc}") from exc
    if response.status_code != 200:
        raise AccessError(
            f"access refused: HTTP {response.status_code} {response.text.strip()[:200]}",
            status=response.status_code,
        )
    try:
        uri = json.loads(response.content)["uri"]
    except (ValueError, KeyError, TypeError) as exc:
        raise AccessError("access reply has no uri", status=response.status_code) from exc
    if not isinstance(uri, str) or not uri.startswith(("ws://", "wss://")):
        raise AccessError("access reply uri is not a websocket URL", status=response.status_code)
    return uri
