"""uvicorn's httptools protocol with a bound on the request line plus headers (431 above it).

httptools has no header limit: it accumulates a header of any size before calling back. This
protocol counts the bytes it feeds the parser until the headers are complete and answers 431
once they pass the limit, without reading the rest into memory. It owns no routing.
"""

from __future__ import annotations

import json
import logging
from typing import Final

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

log = logging.getLogger(__name__)

# After a 431 the connection is half-closed and whatever the client still sends is discarded
# for at most this long: a client that writes its whole request before reading (curl, httpx)
# then reads the 431 rather than a reset.
LINGER_SECONDS: Final = 1.0


class HeaderLimitedProtocol(HttpToolsProtocol):
    """An HTTP/1.1 protocol refusing requests whose head exceeds ``max_header_bytes``.

    Websocket upgrade requests are bounded too: they are parsed here before the switch.
    """

    max_header_bytes: int = 16 * 1024  # set per server by header_limited()

    # Owned by this protocol's callbacks (one connection, one event loop).
    _head_bytes = 0  # bytes fed to the parser since the current request began
    _in_head = True  # the current request's headers are not complete yet
    _refused = False  # a 431 was sent; further input is discarded

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        while data and self._in_head:
            budget = self.max_header_bytes - self._head_bytes
            if budget <= 0:
                self._refuse()
                return
            piece, data = data[:budget], data[budget:]
            self._head_bytes += len(piece)
            super().data_received(piece)
            if self.transport.is_closing() or self.transport.get_protocol() is not self:
                return  # refused as malformed (400), or upgraded to a websocket
        if data:
            super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._head_bytes = 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        # A pipelined or keep-alive request may follow: its head is counted from here.
        self._in_head = True
        self._head_bytes = 0

    def eof_received(self) -> None:
        if self._refused:
            self.transport.close()

    def _refuse(self) -> None:
        self._refused = True
        limit = self.max_header_bytes
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "?"
        log.warning(
            "request headers over %d bytes from %s: refused with 431",
            limit,
            client,
            extra={"event": "http_refused", "status": 431, "limit": limit},
        )
        message = f"request headers larger than {limit} bytes (RELAY_MAX_HEADER_BYTES)"
        body = json.dumps({"code": "431", "message": message}, separators=(",", ":")).encode() + b"\n"
        head = [STATUS_LINE[431]]
        for name, value in self.server_state.default_headers:
            head += [name, b": ", value, b"\r\n"]
        head += [
            b"content-type: application/json\r\n",
            b"content-length: %d\r\n" % len(body),
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        if self.transport.can_write_eof():
            self.transport.write_eof()
            self.loop.call_later(LINGER_SECONDS, self.transport.close)
        else:  # TLS: no half-close
            self.transport.close()


def header_limited(max_header_bytes: int) -> type[HeaderLimitedProtocol]:
    """A protocol class for ``uvicorn.Config(http=...)`` with this server's limit."""

    class _Limited(HeaderLimitedProtocol):
        pass

    _Limited.max_header_bytes = max_header_bytes
    return _Limited
