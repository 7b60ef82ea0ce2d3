"""`/health` (the process is alive), `/ready` (it can reach what it needs) and `/metrics`
(Prometheus text, see metrics.py), plain HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from puente_runtime import metrics


def _answer(path: bytes, ready: Callable[[], bool]) -> tuple[bytes, bytes, bytes]:
    """Status, content type and body for a path."""
    if path == b"/metrics":
        return b"200 OK", metrics.CONTENT_TYPE.encode(), metrics.exposition()
    ok = path == b"/health" or (path == b"/ready" and ready())
    status = (
        b"200 OK" if ok else (b"503 Service Unavailable" if path == b"/ready" else b"404 Not Found")
    )
    return status, b"text/plain", b"ok\n" if ok else b"not ready\n"


async def serve_health(
    port: int, ready: Callable[[], bool], host: str = "127.0.0.1"
) -> asyncio.Server:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await reader.readline()
        path = request.split(b" ")[1] if request.count(b" ") >= 2 else b"/"
        status, content_type, body = _answer(path, ready)
        writer.write(
            b"HTTP/1.1 "
            + status
            + b"\r\ncontent-type: "
            + content_type
            + b"\r\ncontent-length: "
            + str(len(body)).encode()
            + b"\r\nconnection: close\r\n\r\n"
            + body
        )
        await writer.drain()
        writer.close()

    return await asyncio.start_server(answer, host, port)
