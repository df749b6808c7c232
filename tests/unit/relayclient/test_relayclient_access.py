"""The access client: a plain-HTTP access URL skips the CA bundle, without ever trusting TLS less."""

from __future__ import annotations

import asyncio
import json
import ssl

from relayclient.access import access_client, request_uri, untrusting_context


def test_untrusting_context_verifies_peers_and_trusts_no_ca() -> None:
    context = untrusting_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0  # so every certificate is refused


async def test_access_client_for_plain_http_gets_the_uri_from_a_real_server() -> None:
    seen: list[bytes] = []

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        seen.append(head)
        length = int(
            next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")).split(b":")[1]
        )
        await reader.readexactly(length)
        body = json.dumps({"uri": "ws://127.0.0.1:1/connect/lab?code=c"}).encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
        writer.write(b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        url = f"http://127.0.0.1:{port}/api/v1/connect/lab"
        async with access_client(url) as http:
            uri = await request_uri(http, url, "the-token")
    assert uri == "ws://127.0.0.1:1/connect/lab?code=c"
    assert b"\r\nauthorization: the-token\r\n" in seen[0].lower()
