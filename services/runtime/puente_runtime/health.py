"""`/health` (the process is alive) and `/ready` (it can reach what it needs), plain HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def serve_health(port: int, ready: Callable[[], bool]) -> asyncio.Server:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await reader.readline()
        path = request.split(b" ")[1] if request.count(b" ") >= 2 else b"/"
        ok = path == b"/health" or (path == b"/ready" and ready())
        status = (
            b"200 OK"
            if ok
            else (b"503 Service Unavailable" if path == b"/ready" else b"404 Not Found")
        )
        body = b"ok\n" if ok else b"not ready\n"
        writer.write(
            b"HTTP/1.1 "
            + status
            + b"\r\ncontent-length: "
            + str(len(body)).encode()
            + b"\r\nconnection: close\r\n\r\n"
            + body
        )
        await writer.drain()
        writer.close()

    return await asyncio.start_server(answer, "127.0.0.1", port)
