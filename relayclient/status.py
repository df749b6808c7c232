"""Status client: read the stats topic's reports as typed objects (reference 7.3).

``parse_reports`` is pure, so tools and tests feed it reports without a server;
``watch_reports`` connects through the access flow and yields each report forever.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from websockets.exceptions import ConnectionClosed

from relayclient.connect import reconnecting
from relayclient.tokens import TokenSource
from tokentool.durations import parse_duration as parse_go_duration

log = logging.getLogger(__name__)

NEVER = timedelta(hours=999)  # practable's stand-in for "no message yet"


class ReportError(ValueError):
    """A stats message that is not a list of reports."""


@dataclass(frozen=True, slots=True)
class Rate:
    last: timedelta = NEVER  # time since the last message
    size: float = 0.0  # mean message size, bytes
    fps: float = 0.0  # messages per second since connecting
    never: bool = True  # no message yet


@dataclass(frozen=True, slots=True)
class Report:
    topic: str
    can_read: bool = False
    can_write: bool = False
    connected: datetime | None = None
    expires_at: datetime | None = None
    remote_addr: str = ""
    user_agent: str = ""
    scopes: tuple[str, ...] = ()
    tx: Rate = field(default_factory=Rate)  # what the client sent into the relay
    rx: Rate = field(default_factory=Rate)  # what the relay wrote to the client
    replica: str = ""


def parse_duration(value: object) -> tuple[timedelta, bool]:
    """Parse ``last``: a Go duration string (``"Never"``/"" mean never) or integer nanoseconds."""
    if isinstance(value, bool):
        raise ReportError("last must be a duration")
    if isinstance(value, int | float):
        return timedelta(seconds=value / 1e9), False
    if not isinstance(value, str) or value in ("", "Never"):
        return NEVER, True
    try:
        seconds = parse_go_duration(value)  # the project's one Go-duration parser
    except ValueError as exc:
        raise ReportError(f"bad duration {value!r}") from exc
    return timedelta(seconds=abs(seconds)), False  # "time since": the sign carries no meaning


def _time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ReportError(f"bad time {value!r}") from exc


def _rate(raw: object) -> Rate:
    if not isinstance(raw, dict):
        return Rate()
    last, never = parse_duration(raw.get("last", "Never"))
    return Rate(last=last, size=float(raw.get("size") or 0), fps=float(raw.get("fps") or 0), never=never)


def parse_reports(message: str | bytes) -> list[Report]:
    """Parse one stats-topic message.

    Raises:
        ReportError: not JSON, or not a list of report objects.
    """
    try:
        raw = json.loads(message)
    except ValueError as exc:
        raise ReportError("not JSON") from exc
    if not isinstance(raw, list):
        raise ReportError("not a list of reports")
    reports = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("topic", ""), str):
            raise ReportError("report is not an object")
        stats = item.get("stats") or {}
        reports.append(
            Report(
                topic=item.get("topic", ""),
                can_read=bool(item.get("canRead")),
                can_write=bool(item.get("canWrite")),
                connected=_time(item.get("connected")),
                expires_at=_time(item.get("expiresAt")),
                remote_addr=str(item.get("remoteAddr") or ""),
                user_agent=str(item.get("userAgent") or ""),
                scopes=tuple(item.get("scopes") or ()),
                tx=_rate(stats.get("tx") if isinstance(stats, dict) else None),
                rx=_rate(stats.get("rx") if isinstance(stats, dict) else None),
                replica=str(item.get("replica") or ""),
            )
        )
    return reports


async def watch_reports(
    access_url: str, tokens: TokenSource, *, ask_now: bool = True
) -> AsyncIterator[list[Report]]:
    """Yield each report from the stats topic at ``access_url`` (``.../session/stats``), reconnecting.

    With ``ask_now`` an ``{"cmd":"update"}`` is sent after each connect (needs write scope;
    ignored by the relay otherwise), so the first report comes at once.
    """
    async for ws in reconnecting(access_url, tokens):
        try:
            if ask_now:
                await ws.send('{"cmd":"update"}')
            async for message in ws:
                try:
                    yield parse_reports(message)
                except ReportError as exc:
                    log.warning("skipping unparsable stats message: %s", exc)
        except ConnectionClosed:
            continue
