"""uvicorn's websockets-sansio protocol, closing on invalid UTF-8 with 1007 and one log line.

uvicorn logs a traceback for every text message that is not UTF-8, and a second such message
in the same read makes it send a second close, which raises and aborts the socket without a
close frame. Here the first one fails the connection (1007 and a reason), one WARNING is
logged, and the rest of that read is ignored. Everything else is uvicorn's.
"""

from __future__ import annotations

import logging
from typing import Final

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from gateway.wire import CloseCode

log = logging.getLogger(__name__)

INVALID_UTF8_REASON: Final = "text message is not valid UTF-8"


class RelayWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's sans-I/O websocket protocol with a quiet, well-formed 1007 close."""

    def send_receive_event_to_app(self) -> None:
        # uvicorn's method, with the UnicodeDecodeError branch replaced (the text is decoded once).
        data = self.frames[0] if len(self.frames) == 1 else b"".join(self.frames)
        self.frames = []
        if self.close_sent:
            return  # past our close (or a failure earlier in this read): discard
        if self.curr_msg_data_type == "text":
            try:
                text = data.decode()
            except UnicodeDecodeError:
                self._fail_invalid_utf8()
                return
            self.queue.put_nowait({"type": "websocket.receive", "text": text})
        else:
            self.queue.put_nowait({"type": "websocket.receive", "bytes": data})
        if not self.read_paused:
            self.read_paused = True
            self.transport.pause_reading()

    def _fail_invalid_utf8(self) -> None:
        log.warning(
            "invalid UTF-8 in a text message on %s: closed with 1007",
            self.scope["path"],  # frames only follow the handshake, which set the scope
            extra={
                "event": "connection",
                "close_code": int(CloseCode.INVALID_DATA),
                "reason": INVALID_UTF8_REASON,
            },
        )
        # fail() sends the close frame and makes the parser discard whatever follows.
        self.conn.fail(int(CloseCode.INVALID_DATA), INVALID_UTF8_REASON)
        self.handle_parser_exception()  # tells the app, writes the close frame, closes the socket
