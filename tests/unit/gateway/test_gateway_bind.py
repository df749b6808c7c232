"""Listening sockets from ``bind``: connections accepted on them have Nagle's algorithm off."""

from __future__ import annotations

import asyncio
import socket

from gateway.server import bind


async def test_accepted_connections_have_tcp_nodelay() -> None:
    accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            sock = transport.get_extra_info("socket")
            accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    sock = bind("127.0.0.1", 0)
    sock.listen()
    server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
    async with server:
        _, writer = await asyncio.open_connection("127.0.0.1", sock.getsockname()[1])
        try:
            assert await asyncio.wait_for(accepted, 5) != 0  # else responses wait ~40 ms on delayed ACKs
        finally:
            writer.close()
