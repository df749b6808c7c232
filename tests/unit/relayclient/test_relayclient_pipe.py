"""jump's pipe framing (reference 11.6), for hostd's copy and fileclient's, without sockets.

The byte stream is an ``asyncio.StreamReader`` fed by the test and a recording writer; the
websocket is a fake with a queue of incoming messages.
"""

from __future__ import annotations

import asyncio
from types import ModuleType

import pytest
from relaytest import eventually
from websockets.exceptions import ConnectionClosedOK
from websockets.frames import Close

import relayclient.pipe

END = object()  # queued into FakeSocket.incoming: the peer closes


class FakeSocket:
    def __init__(self) -> None:
        self.incoming: asyncio.Queue[object] = asyncio.Queue()
        self.sent: list[bytes] = []
        self.close_code: int | None = None
        self.close_reason: str | None = None

    async def send(self, message: bytes) -> None:
        if self.close_code is not None:
            raise ConnectionClosedOK(Close(self.close_code, ""), None)
        self.sent.append(message)

    async def recv(self) -> str | bytes:
        item = await self.incoming.get()
        if item is END:
            self.close_code = self.close_code or 1000
            raise ConnectionClosedOK(Close(1000, ""), None)
        assert isinstance(item, str | bytes)
        return item

    async def close(self, code: int = 1000, reason: str = "") -> None:
        if self.close_code is None:
            self.close_code, self.close_reason = code, reason
        self.incoming.put_nowait(END)


class RecordingWriter:
    def __init__(self) -> None:
        self.data = bytearray()
        self.closed = False

    def write(self, data: bytes) -> None:
        assert not self.closed
        self.data += data

    async def drain(self) -> None:
        await asyncio.sleep(0)

    def close(self) -> None:
        self.closed = True

    async def wait_closed(self) -> None:
        return None


@pytest.fixture
def module() -> ModuleType:
    return relayclient.pipe


async def test_stream_reads_become_binary_messages_of_at_most_65535_bytes(module: ModuleType) -> None:
    reader = asyncio.StreamReader(limit=1 << 20)
    data = bytes(range(256)) * 600  # 153,600 bytes
    reader.feed_data(data)
    reader.feed_eof()
    ws, writer = FakeSocket(), RecordingWriter()
    stats = await module.pipe(ws, reader, writer)
    assert [len(m) for m in ws.sent] == [65535, 65535, 153600 - 2 * 65535]
    assert all(isinstance(m, bytes) for m in ws.sent)
    assert b"".join(ws.sent) == data
    assert (stats.to_ws, stats.ended_by) == (len(data), "stream")
    assert ws.close_code == 1000  # the stream ended: the websocket is closed normally
    assert writer.closed


async def test_binary_messages_are_written_in_order_and_text_is_ignored(module: ModuleType) -> None:
    reader = asyncio.StreamReader()  # never ends by itself
    ws, writer = FakeSocket(), RecordingWriter()
    for item in (b"SSH-2.0-", '{"action":"note"}', b"OpenSSH\r\n", b"", b"more", END):
        ws.incoming.put_nowait(item)
    stats = await module.pipe(ws, reader, writer)
    assert bytes(writer.data) == b"SSH-2.0-OpenSSH\r\nmore"
    assert (stats.from_ws, stats.ignored_text, stats.ended_by) == (len(writer.data), 1, "websocket")
    assert writer.closed  # the websocket ended: the stream is closed too (unlike jump)


async def test_cancelling_closes_both_sides_and_keeps_the_counters(module: ModuleType) -> None:
    reader = asyncio.StreamReader()
    reader.feed_data(b"hello")
    ws, writer = FakeSocket(), RecordingWriter()
    ws.incoming.put_nowait(b"banner")
    stats = module.PipeStats()
    task = asyncio.create_task(module.pipe(ws, reader, writer, stats))
    await eventually(lambda: bool(ws.sent and writer.data), what="both directions moved")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert (stats.to_ws, stats.from_ws, stats.ended_by) == (5, 6, "cancelled")
    assert ws.close_code == 1000 and writer.closed


async def test_a_stalled_close_is_abandoned_after_the_grace(
    module: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(module, "CLOSE_GRACE", 0.01)

    class Transport:
        aborted = False

        def abort(self) -> None:
            self.aborted = True

    class Stalled(FakeSocket):
        transport = Transport()

        async def close(self, code: int = 1000, reason: str = "") -> None:
            await asyncio.Event().wait()  # the peer never answers the close frame

    ws = Stalled()
    await module.close_ws(ws)
    assert ws.transport.aborted
