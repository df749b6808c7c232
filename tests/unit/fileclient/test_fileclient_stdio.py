"""ssh-proxy's stdin and stdout: pipes get a 1 MiB kernel buffer, so ssh's writes gather into fuller messages."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from fileclient.tunnel import PIPE_BYTES, stdio_streams


def pipe_max() -> int:
    return int(Path("/proc/sys/fs/pipe-max-size").read_text())


@pytest.mark.skipif(pipe_max() < PIPE_BYTES, reason="this kernel caps pipes below PIPE_BYTES")
async def test_pipes_get_the_wider_buffer_and_still_carry_bytes_both_ways() -> None:
    in_read, in_write = os.pipe()
    out_read, out_write = os.pipe()
    try:
        assert fcntl.fcntl(in_read, fcntl.F_GETPIPE_SZ) < PIPE_BYTES
        reader, writer = await stdio_streams(in_read, out_write)
        assert fcntl.fcntl(in_read, fcntl.F_GETPIPE_SZ) == PIPE_BYTES
        assert fcntl.fcntl(out_write, fcntl.F_GETPIPE_SZ) == PIPE_BYTES
        os.write(in_write, b"from ssh")
        assert await reader.read(100) == b"from ssh"
        writer.write(b"to ssh")
        await writer.drain()
        assert os.read(out_read, 100) == b"to ssh"
        writer.close()
        await writer.wait_closed()  # or its transport is collected later, in another test
    finally:
        for fd in (in_read, in_write, out_read, out_write):
            os.close(fd)


async def test_a_regular_file_is_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "input"
    path.write_bytes(b"file bytes")
    fd = os.open(path, os.O_RDONLY)
    out_read, out_write = os.pipe()
    try:
        reader, writer = await stdio_streams(fd, out_write)
        assert await reader.read(100) == b"file bytes"
        writer.close()
        await writer.wait_closed()
    finally:
        for each in (fd, out_read, out_write):
            os.close(each)
