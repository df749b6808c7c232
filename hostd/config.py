"""The declarative configuration file: feeds, streams, destinations and tunnels, in YAML or TOML.

Pure apart from ``load`` reading the file. Every problem is collected and reported at once.
Relative ``token_file`` and ``file`` paths are resolved against the file's directory.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from hostd.rules import FEED_PATTERN, STREAM_PREFIX, Destination, RuleError, Stream
from hostd.settings import ConfigError
from hostd.tunnelrules import Tunnel

_TOP_KEYS = {"feeds", "streams", "destinations", "tunnels"}
_DESTINATION_KEYS = {"id", "stream", "destination", "token", "token_file", "file"}


@dataclass(frozen=True, slots=True, kw_only=True)
class HostConfig:
    feeds: tuple[str, ...] = ()
    streams: tuple[Stream, ...] = ()
    destinations: tuple[Destination, ...] = ()
    tunnels: tuple[Tunnel, ...] = ()


def load(path: Path) -> HostConfig:
    """Read and validate a ``.yaml``/``.yml``, ``.toml`` or ``.json`` file.

    Raises:
        ConfigError: unreadable, unparsable or invalid.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        if path.suffix == ".toml":
            data: object = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = yaml.safe_load(text) or {}
    except (tomllib.TOMLDecodeError, yaml.YAMLError, ValueError) as exc:
        raise ConfigError(f"cannot parse {path}: {exc}") from exc
    return parse(data, base=path.parent)


def _resolve(value: str, base: Path | None) -> str:
    if not value or base is None or Path(value).is_absolute():
        return value
    return str((base / value).resolve())


def _streams(data: object, problems: list[str]) -> list[Stream]:
    # Either a mapping {"stream/x": [feeds]} or a list of {"stream":..., "feeds": [...]}.
    items = [{"stream": k, "feeds": v} for k, v in data.items()] if isinstance(data, dict) else data
    if not isinstance(items, list):
        problems.append("streams must be a mapping or a list")
        return []
    found = []
    for item in items:
        try:
            rule = Stream.from_json(item)
        except RuleError as exc:
            problems.append(str(exc))
            continue
        if not rule.stream.startswith(STREAM_PREFIX):
            problems.append(f"stream name {rule.stream!r} must start with {STREAM_PREFIX!r}")
        found.append(rule)
    return found


def _destinations(data: object, base: Path | None, problems: list[str]) -> list[Destination]:
    if not isinstance(data, list):
        problems.append("destinations must be a list")
        return []
    found = []
    for index, item in enumerate(data):
        if isinstance(item, dict) and set(item) - _DESTINATION_KEYS:
            problems.append(f"destination {index}: unknown keys {sorted(set(item) - _DESTINATION_KEYS)}")
        try:
            rule = Destination.from_json(item)
        except RuleError as exc:
            problems.append(f"destination {index}: {exc}")
            continue
        label = f"destination {rule.id or index}"
        if not (rule.id and rule.stream and rule.destination):
            problems.append(f"{label}: id, stream and destination are required")
        schemes = ("http://", "https://") if rule.authenticated else ("ws://", "wss://")
        if not rule.destination.startswith(schemes):
            problems.append(f"{label}: destination must start with {' or '.join(schemes)}")
        found.append(
            replace(rule, token_file=_resolve(rule.token_file, base), file=_resolve(rule.file, base))
        )
    ids = [rule.id for rule in found]
    problems.extend(f"duplicate destination id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1}))
    return found


def _tunnels(data: object, base: Path | None, problems: list[str]) -> list[Tunnel]:
    if not isinstance(data, list):
        problems.append("tunnels must be a list")
        return []
    found = []
    for index, item in enumerate(data):
        try:
            rule = Tunnel.from_json(item)
        except RuleError as exc:
            problems.append(f"tunnel {index}: {exc}")
            continue
        found.append(replace(rule, token_file=_resolve(rule.token_file, base)))
    ids = [rule.id for rule in found]
    problems.extend(f"duplicate tunnel id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1}))
    return found


def parse(data: object, *, base: Path | None = None) -> HostConfig:
    """Validate decoded configuration data.

    Raises:
        ConfigError: listing every problem found.
    """
    if not isinstance(data, dict):
        raise ConfigError("configuration must be a mapping")
    problems = [f"unknown key {key!r}" for key in sorted(set(data) - _TOP_KEYS)]
    feeds = data.get("feeds") or []
    if not isinstance(feeds, list) or not all(isinstance(f, str) and FEED_PATTERN.match(f) for f in feeds):
        problems.append("feeds must be a list of names made of letters, digits, '-' and '/'")
        feeds = []
    streams = _streams(data.get("streams") or {}, problems)
    destinations = _destinations(data.get("destinations") or [], base, problems)
    tunnels = _tunnels(data.get("tunnels") or [], base, problems)
    if problems:
        raise ConfigError("; ".join(problems))
    return HostConfig(
        feeds=tuple(feeds),
        streams=tuple(streams),
        destinations=tuple(destinations),
        tunnels=tuple(tunnels),
    )
