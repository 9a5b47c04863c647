"""Host side of the worker channel: length-prefixed JSON frames over a pair of pipes."""

from __future__ import annotations

import asyncio
import json
import os
import struct
from typing import Any

from rlm.errors import SandboxError

__all__ = ["FrameReader", "FrameWriter", "open_pipes"]

_HEADER = struct.Struct(">I")


class FrameReader:
    """Reads frames sent by the worker; refuses frames above `max_bytes` (a hostile worker
    must not make the host allocate without bound)."""

    def __init__(self, reader: asyncio.StreamReader, max_bytes: int) -> None:
        self._reader = reader
        self._max = max_bytes

    async def read(self) -> dict[str, Any] | None:
        try:
            head = await self._reader.readexactly(_HEADER.size)
        except asyncio.IncompleteReadError:
            return None
        (size,) = _HEADER.unpack(head)
        if size > self._max:
            raise SandboxError(
                f"worker sent a {size:,}-byte message (limit {self._max:,}); "
                "raise max_message_bytes if this is legitimate"
            )
        try:
            body = await self._reader.readexactly(size)
        except asyncio.IncompleteReadError:
            return None
        return json.loads(body)


class FrameWriter:
    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self._writer = writer

    async def write(self, msg: dict[str, Any]) -> None:
        data = json.dumps(msg).encode()
        self._writer.write(_HEADER.pack(len(data)) + data)
        await self._writer.drain()

    def close(self) -> None:
        self._writer.close()


async def open_pipes(max_bytes: int) -> tuple[FrameReader, FrameWriter, tuple[int, int]]:
    """Create the two pipes; returns host-side reader/writer and the worker's (in, out) fds."""
    loop = asyncio.get_running_loop()
    to_worker_r, to_worker_w = os.pipe()
    from_worker_r, from_worker_w = os.pipe()
    reader = asyncio.StreamReader(limit=1 << 16, loop=loop)
    await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader, loop=loop), os.fdopen(from_worker_r, "rb", 0)
    )
    transport, protocol = await loop.connect_write_pipe(
        asyncio.streams.FlowControlMixin, os.fdopen(to_worker_w, "wb", 0)
    )
    writer = asyncio.StreamWriter(transport, protocol, None, loop)
    return FrameReader(reader, max_bytes), FrameWriter(writer), (to_worker_r, from_worker_w)
