"""The one connection lifecycle of /session and /connect, driven in memory through the ASGI app.

A ``Peer`` plays uvicorn's part (the ASGI receive/send pair) without a socket: it records what
the app sends and can fail a send, as a socket whose client left does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from uvicorn.protocols.utils import ClientDisconnected

from gateway.app import WebSocketRoutes, create_app
from gateway.bookings import MemoryBookings
from gateway.bus import InMemoryBus, InMemoryNetwork
from gateway.codes import MemoryCodeStore
from gateway.grants import Grant
from gateway.hub import Hub
from gateway.services import Services
from gateway.session import Message
from gateway.settings import GatewaySettings

NOW = 1_700_000_000
BOOKING = "bk-race"
DEADLINE = 5.0  # seconds; every wait below ends on an event long before this


class Peer:
    """The client side of one websocket, as the ASGI app sees it."""

    def __init__(self, *, fail: dict[str, BaseException] | None = None) -> None:
        self.incoming: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.incoming.put_nowait({"type": "websocket.connect"})
        self.sent: list[dict[str, Any]] = []
        self.fail = fail or {}  # ASGI message type -> what send() raises for it
        self.accepted = asyncio.Event()
        self._sent = asyncio.Event()  # set on every send

    async def receive(self) -> dict[str, Any]:
        return await self.incoming.get()

    async def send(self, message: dict[str, Any]) -> None:
        failure = self.fail.get(message["type"])
        if failure is not None:
            raise failure
        self.sent.append(message)
        self._sent.set()
        if message["type"] == "websocket.accept":
            self.accepted.set()

    async def texts(self, n: int) -> list[str]:
        """The first ``n`` text messages sent to this client, once there are that many."""
        async with asyncio.timeout(DEADLINE):
            while len(found := [m["text"] for m in self.sent if m.get("text") is not None]) < n:
                self._sent.clear()
                await self._sent.wait()
        return found[:n]

    def say(self, text: str) -> None:
        self.incoming.put_nowait({"type": "websocket.receive", "text": text})

    @property
    def close(self) -> tuple[int, str] | None:
        closes = [m for m in self.sent if m["type"] == "websocket.close"]
        assert len(closes) <= 1, closes
        return (closes[0]["code"], closes[0]["reason"]) if closes else None


class SlowBookings(MemoryBookings):
    """Booking lists read through a slow store: the ``slow_read``-th ``is_denied`` answers what
    the store held when it was asked, but only once ``release`` is set (a KV read in flight
    while a deny is written may return either value; this one returns the old)."""

    def __init__(self, slow_read: int) -> None:
        super().__init__(clock=lambda: NOW)
        self.slow_read = slow_read
        self.reads = 0
        self.reading = asyncio.Event()
        self.release = asyncio.Event()

    async def is_denied(self, booking_id: str) -> bool:
        answer = await super().is_denied(booking_id)
        self.reads += 1
        if self.reads == self.slow_read:
            self.reading.set()
            await self.release.wait()
        return answer


class BrokenBus(InMemoryBus):
    """A bus with a bug: publish raises something no adapter translates."""

    async def publish(self, topic: str, message: Message, *args: object, **kwargs: object) -> None:
        raise RuntimeError("bug in the bus")


@dataclass
class Gateway:
    app: WebSocketRoutes
    services: Services
    codes: MemoryCodeStore

    async def code(self, topic: str = "t", *, prefix: str = "session", **changes: Any) -> str:
        scopes = ("read", "write") if prefix == "session" else ("host", "read", "write")
        fields: dict[str, Any] = {
            "topic": topic,
            "prefix": prefix,
            "scopes": scopes,
            "booking_id": BOOKING,
            "expires_at": NOW + 600,
            "minted_at": NOW,
            **changes,
        }
        return await self.codes.mint(Grant(**fields))

    def start(self, peer: Peer, path: str, code: str) -> asyncio.Task[None]:
        scope = {
            "type": "websocket",
            "asgi": {"version": "3.0"},
            "scheme": "ws",
            "http_version": "1.1",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": f"code={code}".encode(),
            "headers": [(b"host", b"relay.test")],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 3000),
            "subprotocols": [],
            "state": {},
        }
        return asyncio.create_task(self.app(scope, peer.receive, peer.send))  # type: ignore[arg-type]

    def registered(self) -> list[object]:
        return list(self.services.sessions())


@contextlib.asynccontextmanager
async def gateway(
    *, bus: InMemoryBus | None = None, bookings: MemoryBookings | None = None
) -> AsyncIterator[Gateway]:
    config = GatewaySettings(audience="https://access.test", secret="s", url="wss://relay.test")
    bus = bus or InMemoryNetwork().bus()
    codes = MemoryCodeStore(clock=lambda: NOW)
    services = Services(
        settings=config,
        bus=bus,
        hub=Hub(bus),
        connect_hub=Hub(bus),
        codes=codes,
        bookings=bookings or MemoryBookings(clock=lambda: NOW),
        clock=lambda: NOW,
    )
    app = create_app(config, lambda s: contextlib.nullcontext(services))
    assert isinstance(app, WebSocketRoutes)
    app.state.services = services  # no lifespan in memory
    yield Gateway(app, services, codes)


async def finished(task: asyncio.Task[None]) -> None:
    async with asyncio.timeout(DEADLINE):
        await task


def errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- the deny race ---


async def test_a_revoke_during_a_slow_deny_read_ends_the_connection_with_4503() -> None:
    bookings = SlowBookings(1)  # the one deny read of a connection (after registering)
    async with gateway(bookings=bookings) as gw:
        peer = Peer()
        task = gw.start(peer, "/session/t", await gw.code())
        async with asyncio.timeout(DEADLINE):
            await bookings.reading.wait()
        # The admin route's steps, while the read is in flight: write the deny, close locally.
        await bookings.deny(BOOKING, NOW + 600)
        gw.services.revoke_local(BOOKING)
        bookings.release.set()
        await finished(task)  # the connection ended: it did not stay open
        assert peer.close == (4503, "booking cancelled")
        assert gw.registered() == []


async def test_a_code_of_a_booking_denied_before_redemption_is_refused_with_4503() -> None:
    bookings = MemoryBookings(clock=lambda: NOW)
    async with gateway(bookings=bookings) as gw:
        code = await gw.code()
        await bookings.deny(BOOKING, NOW + 600)
        peer = Peer()
        await finished(gw.start(peer, "/session/t", code))
        assert peer.close == (4503, "booking cancelled")
        assert gw.registered() == []
        assert not gw.services.hub.has_readers("t")


# --- accept failing leaves no registration ---


@pytest.mark.parametrize(
    ("path", "prefix", "topic"),
    [("/connect/lab", "connect", "lab"), ("/session/t", "session", "t")],
    ids=["connect", "session"],
)
async def test_accept_failing_leaves_no_registration(path: str, prefix: str, topic: str) -> None:
    async with gateway() as gw:
        peer = Peer(fail={"websocket.accept": ClientDisconnected()})
        await finished(gw.start(peer, path, await gw.code(topic, prefix=prefix)))
        assert gw.registered() == []
        assert not gw.services.hub.has_readers(topic)
        assert gw.services.connect_hub is not None and not gw.services.connect_hub.has_readers(topic)


async def test_a_connect_client_whose_accept_fails_ends_its_pair_at_the_host() -> None:
    async with gateway() as gw:
        host = Peer()
        host_task = gw.start(host, "/connect/lab", await gw.code("lab", prefix="connect"))
        async with asyncio.timeout(DEADLINE):
            await host.accepted.wait()
        client = Peer(fail={"websocket.accept": ClientDisconnected()})
        client_code = await gw.code("lab/p1", prefix="connect", topic_salt="salt", alert_host=True)
        await finished(gw.start(client, "/connect/lab/p1", client_code))
        actions = [json.loads(t)["action"] for t in await host.texts(2)]
        assert actions == ["connect", "disconnect"]
        assert [s.topic for s in gw.services.sessions()] == ["lab"]  # only the host's own
        host.incoming.put_nowait({"type": "websocket.disconnect", "code": 1000})
        await finished(host_task)
        assert gw.registered() == []


# --- exceptions become close codes and one log line ---


async def test_an_exception_in_the_reader_closes_1011_with_one_error_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with gateway(bus=BrokenBus(InMemoryNetwork())) as gw:
        peer = Peer()
        peer.say("hello")
        await finished(gw.start(peer, "/session/t", await gw.code()))
        assert peer.close == (1011, "internal error")
        [record] = errors(caplog)
        assert record.exc_info is not None and isinstance(record.exc_info[1], RuntimeError)
        assert record.__dict__["topic"] == "t" and record.__dict__["conn_id"].startswith("c")
        assert record.__dict__["conn_id"] in record.getMessage() and "'t'" in record.getMessage()
        assert gw.registered() == []


async def test_an_exception_in_the_writer_closes_1011_with_one_error_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with gateway() as gw:
        peer = Peer(fail={"websocket.send": RuntimeError("bug in the writer")})
        task = gw.start(peer, "/session/t", await gw.code())
        async with asyncio.timeout(DEADLINE):
            await peer.accepted.wait()
        gw.services.hub.deliver_local("t", "to the reader")
        await finished(task)
        assert peer.close == (1011, "internal error")
        [record] = errors(caplog)
        assert record.exc_info is not None and str(record.exc_info[1]) == "bug in the writer"


async def test_a_client_gone_mid_write_is_not_an_error(caplog: pytest.LogCaptureFixture) -> None:
    async with gateway() as gw:
        peer = Peer(fail={"websocket.send": ClientDisconnected()})
        task = gw.start(peer, "/session/t", await gw.code())
        async with asyncio.timeout(DEADLINE):
            await peer.accepted.wait()
        gw.services.hub.deliver_local("t", "to the reader")
        await finished(task)
        assert errors(caplog) == []
        assert peer.close is None  # nobody left to send a close frame to
        assert gw.registered() == []


async def test_a_store_failing_unexpectedly_refuses_1011_with_one_error_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with gateway() as gw:

        async def broken_redeem(code: str) -> Grant:
            raise KeyError("bug in the store")

        gw.codes.redeem = broken_redeem  # type: ignore[method-assign]
        peer = Peer()
        await finished(gw.start(peer, "/session/t", "somecode"))
        assert peer.close == (1011, "internal error")
        assert len(errors(caplog)) == 1


async def test_a_refused_connect_client_never_alerts_the_host() -> None:
    async with gateway() as gw:
        await gw.services.bookings.deny(BOOKING, NOW + 600)
        host = Peer()
        host_task = gw.start(host, "/connect/lab", await gw.code("lab", prefix="connect", booking_id=""))
        async with asyncio.timeout(DEADLINE):
            await host.accepted.wait()
        client = Peer()
        client_code = await gw.code("lab/p2", prefix="connect", topic_salt="s", alert_host=True)
        await finished(gw.start(client, "/connect/lab/p2", client_code))
        assert client.close == (4503, "booking cancelled")
        [host_session] = gw.services.sessions()
        # Control messages reach the host's queue synchronously: none was queued, none sent.
        assert host_session.queued == 0 and [m for m in host.sent if m["type"] == "websocket.send"] == []
        host.incoming.put_nowait({"type": "websocket.disconnect", "code": 1000})
        await finished(host_task)
