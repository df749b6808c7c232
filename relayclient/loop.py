"""The event loop hostd and fileclient run on: uvloop when it is installed, else asyncio's own.

uvloop comes with the gateway extra (``uvicorn[standard]``); a lab machine with the light base
runs on asyncio's loop, with the same behaviour, only slower (docs/performance-ssh.md).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's ``new_event_loop`` if uvloop can be imported, else None (asyncio's default)."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def run(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(main)`` on the loop of ``loop_factory()``."""
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(main)
