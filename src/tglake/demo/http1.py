"""A minimal HTTP/1.1 keep-alive client for posting many small bodies to one loopback server.

httpx costs about 2 ms of CPU per request here, which made the player, not the server, the
bottleneck of the demo and of the load benchmarks on a 2-core machine. This client speaks just
enough HTTP/1.1 (POST with Content-Length, answers with Content-Length or chunked) to keep the
measurement on the server. It is for our own server on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping


class HttpError(Exception):
    """The connection failed or the answer was not HTTP/1.1 we understand."""


class Connection:
    """One persistent connection; reopened after a failure or a ``Connection: close``."""

    def __init__(self, host: str, port: int, timeout: float = 30.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self._reader, self._writer

    async def close(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    async def post(self, path: str, body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]:
        """POST ``body``; returns (status, answer body). Raises HttpError on any failure."""
        try:
            return await asyncio.wait_for(self._post(path, body, headers), self.timeout)
        except (OSError, EOFError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                TimeoutError, ValueError) as exc:  # fmt: skip
            await self.close()
            raise HttpError(f"{type(exc).__name__}: {exc}") from exc

    async def _post(self, path: str, body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]:
        reader, writer = await self._open()
        head = [f"POST {path} HTTP/1.1", f"host: {self.host}:{self.port}"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        head.append(f"content-length: {len(body)}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        await writer.drain()
        raw_head = await reader.readuntil(b"\r\n\r\n")
        lines = raw_head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise ValueError(f"not an HTTP/1.x status line: {lines[0][:40]!r}")
        status = int(parts[1])
        fields = {}
        for line in lines[1:]:
            if ":" in line:
                name, _, value = line.partition(":")
                fields[name.strip().lower()] = value.strip()
        if "content-length" in fields:
            answer = await reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding", "").lower() == "chunked":
            answer = await _read_chunked(reader)
        else:
            answer = await reader.read()
            await self.close()
        if fields.get("connection", "").lower() == "close":
            await self.close()
        return status, answer


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    chunks: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return b"".join(chunks)
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)
