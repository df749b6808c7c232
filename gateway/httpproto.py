"""uvicorn's httptools protocol with a bound on the request line plus headers (431 above it)
and on the time a client takes to send a request (408, or a silent close if it sent nothing).

httptools has no header limit: it accumulates a header of any size before calling back. This
protocol counts the bytes it feeds the parser until the headers are complete and answers 431
once they pass the limit, without reading the rest into memory.

uvicorn has no request timeout either: a connection that sends nothing, or a request a byte at
a time, was held for good (its keep-alive timer stops at the first byte), so idle sockets with
no token at all could use up the process's file descriptors. Here a request must be complete
(or upgraded to a websocket) within ``request_timeout`` of the connection opening or of the
previous response. It owns no routing.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Final

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from gateway.logs import RateLimitedLog

log = logging.getLogger(__name__)
_limited = RateLimitedLog(log)

# After a 431 the connection is half-closed and whatever the client still sends is discarded
# for at most this long: a client that writes its whole request before reading (curl, httpx)
# then reads the 431 rather than a reset.
LINGER_SECONDS: Final = 1.0


class HeaderLimitedProtocol(HttpToolsProtocol):
    """An HTTP/1.1 protocol refusing requests whose head exceeds ``max_header_bytes``.

    Websocket upgrade requests are bounded too: they are parsed here before the switch.
    """

    max_header_bytes: int = 16 * 1024  # set per server by header_limited()
    request_timeout: float = 10.0  # seconds; set per server by header_limited(); 0 = none

    # Owned by this protocol's callbacks (one connection, one event loop).
    _head_bytes = 0  # bytes fed to the parser since the current request began
    _in_head = True  # the current request's headers are not complete yet
    _refused = False  # a 431 or 408 was sent; further input is discarded
    _timer: asyncio.TimerHandle | None = None  # request_timeout, while a request is awaited
    _received = False  # a byte of the awaited request arrived

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_request()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_timer()
        super().connection_lost(exc)

    def _await_request(self) -> None:
        self._stop_timer()
        self._received = False
        if self.request_timeout > 0:
            self._timer = self.loop.call_later(self.request_timeout, self._timed_out)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _timed_out(self) -> None:
        self._timer = None
        if self._refused or self.transport.is_closing() or self.transport.get_protocol() is not self:
            return
        cycle = self.cycle
        if cycle is not None and cycle.response_started and not cycle.response_complete:
            return  # the app is answering (its response goes on; the rest of the body is its own)
        if not self._received:  # nothing sent (a browser's spare socket, or an idle one): just close
            self.transport.close()
            return
        _limited.warning(
            "408",
            "requests not complete within %gs (RELAY_REQUEST_TIMEOUT): refused with 408",
            self.request_timeout,
        )
        self._answer(408, f"request not complete within {self.request_timeout:g}s (RELAY_REQUEST_TIMEOUT)")

    def on_message_complete(self) -> None:
        self._stop_timer()  # the whole request is here: the app answers in its own time
        super().on_message_complete()
        # A pipelined or keep-alive request may follow: its head is counted from here.
        self._in_head = True
        self._head_bytes = 0

    def on_response_complete(self) -> None:
        waiting = bool(self.pipeline)  # a pipelined request, already complete, starts now
        super().on_response_complete()
        if not waiting and not self.transport.is_closing():
            self._await_request()  # uvicorn's keep-alive timer closes it silently before, if idle

    def handle_websocket_upgrade(self) -> None:
        self._stop_timer()  # the websocket protocol has its own pings and close timeout
        super().handle_websocket_upgrade()

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        self._received = True
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

    def eof_received(self) -> None:
        if self._refused:
            self.transport.close()

    def _refuse(self) -> None:
        limit = self.max_header_bytes
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "?"
        log.warning(
            "request headers over %d bytes from %s: refused with 431",
            limit,
            client,
            extra={"event": "http_refused", "status": 431, "limit": limit},
        )
        self._answer(431, f"request headers larger than {limit} bytes (RELAY_MAX_HEADER_BYTES)")

    def _answer(self, status: int, message: str) -> None:
        """Refuse with ``status`` and a JSON body, then close (after a linger, see above)."""
        self._refused = True
        self._stop_timer()
        body = json.dumps({"code": str(status), "message": message}, separators=(",", ":")).encode() + b"\n"
        head = [STATUS_LINE[status]]
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


def header_limited(max_header_bytes: int, request_timeout: float = 10.0) -> type[HeaderLimitedProtocol]:
    """A protocol class for ``uvicorn.Config(http=...)`` with this server's limits."""

    class _Limited(HeaderLimitedProtocol):
        pass

    _Limited.max_header_bytes = max_header_bytes
    _Limited.request_timeout = request_timeout
    return _Limited
