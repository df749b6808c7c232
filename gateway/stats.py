"""Connection reports: the cluster-wide record, /status (snake_case) and the stats topic (camelCase).

Pure. Field names and formats follow practable (reference 2.6 and 7.1, including the
historical ``stats`` block of the stats topic so practable's status client parses it).
"""

from __future__ import annotations

import json
import time
from typing import Any

from gateway.session import Session

STATS_TOPIC = "stats"
NEVER = "Never"


def rfc3339(unix: float) -> str:
    """Whole-second UTC time as Go's time.RFC3339 prints it."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(unix)))


def go_duration(seconds: float) -> str:
    """Format like Go's time.Duration.String: ``2.90373838s``, ``1m2.5s``, ``150ms``, ``0s``."""
    ns = round(seconds * 1e9)
    if ns == 0:
        return "0s"
    sign = "-" if ns < 0 else ""
    ns = abs(ns)
    if ns < 1_000_000_000:
        for unit, size in (("ms", 1_000_000), ("µs", 1_000), ("ns", 1)):
            if ns >= size or unit == "ns":
                return sign + _frac(ns, size) + unit
    hours, rest = divmod(ns, 3600 * 10**9)
    minutes, rest = divmod(rest, 60 * 10**9)
    text = _frac(rest, 10**9) + "s"
    if hours:
        return f"{sign}{hours}h{minutes}m{text}"
    if minutes:
        return f"{sign}{minutes}m{text}"
    return sign + text


def _frac(value: int, size: int) -> str:
    whole, frac = divmod(value, size)
    if not frac:
        return str(whole)
    digits = len(str(size)) - 1
    return f"{whole}.{str(frac).rjust(digits, '0').rstrip('0')}"


def session_record(session: Session, replica: str) -> dict[str, Any]:
    """Everything known about one connection, as exchanged between replicas (JSON-safe)."""
    c = session.counters
    return {
        "replica": replica,
        "conn_id": session.conn_id,
        "topic": session.topic,
        "booking_id": session.booking_id,
        "can_read": session.can_read,
        "can_write": session.can_write,
        "scopes": list(session.scopes),
        "connected_at": session.connected_at,
        "expires_at": session.expires_at,
        "remote_addr": session.remote_addr,
        "user_agent": session.user_agent,
        "tx_messages": c.messages_in,
        "tx_bytes": c.bytes_in,
        "rx_messages": c.messages_out,
        "rx_bytes": c.bytes_out,
        "dropped": c.dropped,
        "last_tx": c.last_in,
        "last_rx": c.last_out,
    }


def reporter_record(replica: str, started_at: float) -> dict[str, Any]:
    """The pseudo-connection practable lists for its internal stats client, one per replica."""
    return {
        "replica": replica,
        "conn_id": f"stats-{replica}",
        "topic": STATS_TOPIC,
        "booking_id": "",
        "can_read": True,
        "can_write": True,
        "scopes": ["read", "stats", "write"],
        "connected_at": started_at,
        "expires_at": 0,
        "remote_addr": "internal",
        "user_agent": "crossbar",
        "tx_messages": 0,
        "tx_bytes": 0,
        "rx_messages": 0,
        "rx_bytes": 0,
        "dropped": 0,
        "last_tx": 0.0,
        "last_rx": 0.0,
    }


def status_entry(record: dict[str, Any]) -> dict[str, Any]:
    """/status item: practable's snake_case fields (false/empty omitted, scopes always) plus ours."""
    entry: dict[str, Any] = {
        "can_read": record["can_read"],
        "can_write": record["can_write"],
        "connected_at": rfc3339(record["connected_at"]),
        "expires_at": rfc3339(record["expires_at"]),
        "remote_addr": record["remote_addr"],
        "scopes": record["scopes"],
        "topic": record["topic"],
        "user_agent": record["user_agent"],
    }
    entry = {k: v for k, v in entry.items() if k == "scopes" or v not in (False, "")}
    last = max(record["last_tx"], record["last_rx"])
    entry.update(
        replica=record["replica"],
        conn_id=record["conn_id"],
        booking_id=record["booking_id"],
        tx_messages=record["tx_messages"],
        tx_bytes=record["tx_bytes"],
        rx_messages=record["rx_messages"],
        rx_bytes=record["rx_bytes"],
        dropped=record["dropped"],
        last_activity=rfc3339(last) if last else "",
    )
    return entry


def _direction(count: int, size: int, last: float, connected: float, now: float) -> dict[str, Any]:
    if not count or not last:
        return {"last": NEVER, "size": 0, "fps": 0}
    span = last - connected
    return {
        "last": go_duration(max(0.0, now - last)),
        "size": round(size / count),
        "fps": round(count / span, 3) if span > 0 else 0,
    }


def stats_entry(record: dict[str, Any], now: float) -> dict[str, Any]:
    """Stats-topic item: practable's camelCase fields in Go struct order, with the tx/rx block."""
    connected = record["connected_at"]
    return {
        "canRead": record["can_read"],
        "canWrite": record["can_write"],
        "connected": rfc3339(connected),
        "expiresAt": rfc3339(record["expires_at"]),
        "remoteAddr": record["remote_addr"],
        "scopes": record["scopes"],
        "stats": {
            "tx": _direction(record["tx_messages"], record["tx_bytes"], record["last_tx"], connected, now),
            "rx": _direction(record["rx_messages"], record["rx_bytes"], record["last_rx"], connected, now),
        },
        "topic": record["topic"],
        "userAgent": record["user_agent"],
        "replica": record["replica"],
    }


def stats_report(records: list[dict[str, Any]], now: float) -> str:
    """The text message sent on the stats topic, encoded as Go's json.Marshal would."""
    text = json.dumps([stats_entry(r, now) for r in records], separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def is_update_command(message: str | bytes) -> bool:
    """True for ``{"cmd":"update"}`` (any JSON spacing), which asks for an immediate report."""
    if len(message) > 256:
        return False
    try:
        value = json.loads(message)
    except ValueError:
        return False
    return isinstance(value, dict) and value.get("cmd") == "update"
