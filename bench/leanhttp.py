"""A lean HTTP/1.1 client for the access POST: one keep-alive connection, no parsing beyond what
the benchmark needs (status line, Content-Length, body), so that connection-rate figures measure
the gateway rather than an HTTP library (httpx costs ~1 ms of CPU per request here)."""

from __future__ import annotations

import asyncio
import json


class AccessClient:
    """POST tokens to one gateway over one keep-alive connection."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self._reader, self._writer

    async def post(self, path: str, token: str) -> tuple[int, bytes]:
        """POST with the token in Authorization; returns (status, body)."""
        reader, writer = await self._connect()
        writer.write(
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAuthorization: {token}\r\n"
            "Content-Length: 0\r\n\r\n".encode()
        )
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            self.close()
            raise
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        length = 0
        closing = False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            lname = name.strip().lower()
            if lname == b"content-length":
                length = int(value)
            elif lname == b"connection" and value.strip().lower() == b"close":
                closing = True
        body = await reader.readexactly(length) if length else b""
        if closing:
            self.close()
        return status, body

    async def session_uri(self, topic: str, token: str) -> str:
        status, body = await self.post(f"/session/{topic}", token)
        if status != 200:
            raise RuntimeError(f"access refused: {status} {body[:200]!r}")
        return str(json.loads(body)["uri"])

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None
