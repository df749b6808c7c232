"""The shared reconnect loop: terminal close codes end it; a new connection clears the last error."""

from __future__ import annotations

from contextlib import aclosing
from dataclasses import dataclass

import pytest

from relayclient.backoff import Backoff
from relayclient.connect import LinkState, TerminalClose, _redial


@dataclass
class FakeWs:
    """Stands in for a ClientConnection that the relay closed with ``close_code``."""

    close_code: int | None
    close_reason: str = ""
    closed: bool = False

    async def close(self) -> None:
        self.closed = True


def dialler(*sockets: FakeWs | Exception):  # type: ignore[no-untyped-def]
    queue = list(sockets)
    dialled: list[FakeWs] = []

    async def dial() -> FakeWs:
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        dialled.append(item)
        return item

    return dial, dialled


NO_WAIT = Backoff(minimum=0.0, jitter=0.0)


@pytest.mark.parametrize(("code", "reason"), [(4503, "booking cancelled"), (4501, "")])
async def test_a_terminal_close_ends_the_loop_with_the_code_and_reason(code: int, reason: str) -> None:
    dial, dialled = dialler(FakeWs(1011, "internal"), FakeWs(code, reason), FakeWs(1000))
    state = LinkState()
    yielded = 0
    with pytest.raises(TerminalClose) as ended:
        async for _ws in _redial(dial, "url", backoff=NO_WAIT, state=state, healthy_after=0.0):  # type: ignore[arg-type]
            yielded += 1
    assert yielded == 2 and len(dialled) == 2  # the 1011 was retried, the terminal code was not
    assert ended.value.code == code and str(code) in str(ended.value)
    assert "not reconnecting" in str(ended.value) and "\n" not in str(ended.value)
    assert state.state == "failed" and state.last_error == str(ended.value)


async def test_connecting_again_clears_the_last_error() -> None:
    dial, _ = dialler(OSError("refused"), FakeWs(1000))
    seen: list[tuple[str, str]] = []
    state = LinkState(listeners=[lambda s: seen.append((s.state, s.last_error))])
    links = _redial(dial, "url", backoff=NO_WAIT, state=state, healthy_after=0.0)  # type: ignore[arg-type]
    async with aclosing(links):
        async for _ws in links:
            break
    assert ("retrying", "OSError: refused") in seen
    assert seen[-1] == ("connected", "") and state.connects == 1
