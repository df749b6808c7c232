"""``gateway try``: type lines to send them; print what arrives. For the README's first steps."""

from __future__ import annotations

import asyncio
import sys

import httpx

from relayclient.access import AccessError
from relayclient.connect import open_session


async def chat(access_url: str, token: str) -> int:
    async with httpx.AsyncClient() as http:
        try:
            ws = await open_session(http, access_url, token)
        except AccessError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    print("connected; type a line and press enter (Ctrl-D quits)", file=sys.stderr)
    loop = asyncio.get_running_loop()

    async def pump_in() -> None:
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            await ws.send(line.rstrip("\n"))

    async def pump_out() -> None:
        async for message in ws:
            print(message if isinstance(message, str) else f"<{len(message)} bytes>", flush=True)

    done, pending = await asyncio.wait(
        [asyncio.create_task(pump_in()), asyncio.create_task(pump_out())], return_when=asyncio.FIRST_COMPLETED
    )
    for task in pending:
        task.cancel()
    await ws.close()
    code = ws.close_code
    if code not in (None, 1000):
        print(f"closed {code} {ws.close_reason}", file=sys.stderr)
    return 0
