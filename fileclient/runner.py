"""How a command runs over time: the play session (connect, settle, play, maybe keep logging) and the
signal handling every command shares (SIGINT/SIGTERM end it cleanly, SIGHUP reopens the log).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from fileclient.link import Link
from fileclient.player import Player, PlayStats

log = logging.getLogger(__name__)
T = TypeVar("T")


async def play_session(link: Link, player: Player, *, start_delay: float, then_log: bool) -> PlayStats:
    """Connect, wait ``start_delay``, play the script, then stop (or log until cancelled if ``then_log``).

    The delay gives the relay time to register the new connection before the first line is sent,
    as practable's fixed one second did.
    """
    async with asyncio.TaskGroup() as tg:
        link_task = tg.create_task(link.run())
        await link.connected.wait()
        await asyncio.sleep(start_delay)
        stats = await player.play()
        log.info(
            "script finished: %d sent, %d unsent, %d conditions met, %d timed out, %d logged, %d filtered",
            stats.sent,
            stats.unsent,
            stats.satisfied,
            stats.timed_out,
            stats.logged,
            stats.filtered,
        )
        if not then_log:
            link_task.cancel()
    return stats


async def until_signalled(
    main: Coroutine[Any, Any, T], *, on_hangup: Callable[[], None] | None = None
) -> T | None:
    """Run ``main``; SIGINT or SIGTERM cancels it (the result is then None), SIGHUP calls ``on_hangup``."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(main)
    stopped = False

    def stop(signame: str) -> None:
        nonlocal stopped
        log.info("%s received, stopping", signame)
        stopped = True
        task.cancel()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop, sig.name)
    if on_hangup is not None:
        loop.add_signal_handler(signal.SIGHUP, on_hangup)
    try:
        return await task
    except asyncio.CancelledError:
        if stopped:
            return None
        raise
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.remove_signal_handler(sig)
