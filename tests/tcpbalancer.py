"""A small asyncio TCP balancer for tests: each new connection goes to the first backend that accepts.

Dead backends (refused, or no answer within ``connect_timeout``) are skipped. Bytes are copied
both ways; when either side ends, both are closed (no half-close), so a backend that dies drops
its clients at once, as a cloud load balancer does.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class TcpBalancer:
    backends: list[tuple[str, int]]
    host: str = "127.0.0.1"
    connect_timeout: float = 1.0
    routed: list[int] = field(default_factory=list)  # backend port of every accepted connection
    active: Counter[int] = field(default_factory=Counter)  # open connections per backend port
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    @property
    def port(self) -> int:
        assert self._server is not None, "not started"
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._accept, self.host, 0)
        return self.port

    async def _dial(self) -> tuple[int, asyncio.StreamReader, asyncio.StreamWriter] | None:
        for host, port in self.backends:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(host, port), self.connect_timeout
                )
            except (OSError, TimeoutError):
                continue
            return port, reader, writer
        return None

    async def _accept(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.add(client_w)
        try:
            dialled = await self._dial()
            if dialled is None:
                return
            port, backend_r, backend_w = dialled
            self._writers.add(backend_w)
            self.routed.append(port)
            self.active[port] += 1
            try:
                pipes = [
                    asyncio.create_task(self._pipe(client_r, backend_w)),
                    asyncio.create_task(self._pipe(backend_r, client_w)),
                ]
                try:
                    await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for pipe in pipes:
                        pipe.cancel()
                    await asyncio.gather(*pipes, return_exceptions=True)
            finally:
                self.active[port] -= 1
                await self._close(backend_w)
        finally:
            await self._close(client_w)
            self._tasks.discard(task)

    @staticmethod
    async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError):
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()

    async def _close(self, writer: asyncio.StreamWriter) -> None:
        self._writers.discard(writer)
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None
