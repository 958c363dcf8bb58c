"""The player's small HTTP/1.1 client against a raw asyncio server on loopback: the answer
shapes it must read (Content-Length, chunked, Connection: close) and a dropped connection."""

from __future__ import annotations

import asyncio

import pytest

from tglake.demo.http1 import Connection, HttpError

ANSWERS = [
    b'HTTP/1.1 200 OK\r\ncontent-length: 11\r\ncontent-type: application/json\r\n\r\n{"ok":true}',
    b'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4\r\n{"ok\r\n7\r\n":true}\r\n0\r\n\r\n',
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
]


async def serve_answers(answers: list[bytes], seen: list[bytes]) -> asyncio.Server:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while answers:
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            seen.append(head + await reader.readexactly(length))
            answer = answers.pop(0)
            writer.write(answer)
            await writer.drain()
            if b"connection: close" in answer:
                break
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


def test_the_client_reads_each_answer_shape_and_reconnects_after_a_close() -> None:
    async def scenario() -> list[tuple[int, bytes]]:
        seen: list[bytes] = []
        server = await serve_answers([*ANSWERS, ANSWERS[0]], seen)
        port = server.sockets[0].getsockname()[1]
        conn = Connection("127.0.0.1", port, timeout=5)
        got = [await conn.post("/webhook", b'{"update_id":1}', {"x-test": "yes"})
               for _ in range(4)]  # fmt: skip
        await conn.close()
        server.close()
        assert seen[0].startswith(b"POST /webhook HTTP/1.1\r\n")
        assert b"x-test: yes\r\n" in seen[0]
        assert seen[0].endswith(b'\r\n\r\n{"update_id":1}')
        return got

    assert asyncio.run(scenario()) == [
        (200, b'{"ok":true}'),
        (200, b'{"ok":true}'),
        (503, b"{}"),
        (200, b'{"ok":true}'),  # on a new connection
    ]


def test_a_server_that_hangs_up_mid_answer_is_an_http_error() -> None:
    async def scenario() -> None:
        seen: list[bytes] = []
        server = await serve_answers([b"HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\n{"], seen)
        conn = Connection("127.0.0.1", server.sockets[0].getsockname()[1], timeout=5)
        with pytest.raises(HttpError, match="IncompleteReadError"):
            await conn.post("/webhook", b"{}", {})
        server.close()

    asyncio.run(scenario())
