from __future__ import annotations

from pathlib import Path

import pytest

from hostd.config import load, parse
from hostd.settings import ConfigError

YAML = """
feeds: [video, data]
streams:
  stream/front: [video, audio]
destinations:
  - id: video
    stream: stream/front
    destination: https://relay.example.org/access/session/lab1-video
    token_file: tokens/video.jwt
  - id: data
    stream: data
    destination: ws://127.0.0.1:9/data
"""

TOML = """
feeds = ["video", "data"]
[streams]
"stream/front" = ["video", "audio"]
[[destinations]]
id = "video"
stream = "stream/front"
destination = "https://relay.example.org/access/session/lab1-video"
token_file = "tokens/video.jwt"
[[destinations]]
id = "data"
stream = "data"
destination = "ws://127.0.0.1:9/data"
"""


@pytest.mark.parametrize("name, text", [("hostd.yaml", YAML), ("hostd.toml", TOML)])
def test_yaml_and_toml_declare_the_same_rules(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    config = load(path)
    assert config.feeds == ("video", "data")
    assert [(s.stream, s.feeds) for s in config.streams] == [("stream/front", ("video", "audio"))]
    video, data = config.destinations
    assert video.token_file == str(tmp_path / "tokens" / "video.jwt")  # relative to the file
    assert data.destination == "ws://127.0.0.1:9/data" and not data.authenticated


def test_all_problems_are_listed() -> None:
    data = {
        "colour": 1,
        "streams": {"front": ["a"]},
        "destinations": [
            {"id": "a", "stream": "v", "destination": "ws://x", "token": "t"},
            {"id": "a", "stream": "v", "destination": "https://x"},
            {"id": "b", "stream": "v", "destination": "ws://x", "bogus": 1},
        ],
    }
    with pytest.raises(ConfigError) as info:
        parse(data)
    message = str(info.value)
    for expected in (
        "unknown key 'colour'",
        "must start with 'stream/'",
        "http:// or https://",
        "ws:// or wss://",
    ):
        assert expected in message
    assert "duplicate destination id 'a'" in message and "bogus" in message


def test_unparsable_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("feeds: [unclosed")
    with pytest.raises(ConfigError, match="cannot parse"):
        load(path)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load(tmp_path / "absent.yaml")
