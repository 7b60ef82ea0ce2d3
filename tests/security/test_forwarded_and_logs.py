"""Issue 8, item 8: the registrant-lookup limit believes `X-Forwarded-For` only from the
proxies the operator configured, and the access log never carries a query string (a token
put there by mistake). Over a real socket, as uvicorn serves it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import httpx

from tests.gateway.support import Harness
from tests.gateway.test_gateway_websocket import free_port

LOOKUP = (
    'query($code: String!) { registrantStatus(code: $code, birthDate: "1990-01-01") { standing } }'
)


async def serve(make_harness: Callable[..., Harness], **settings: object) -> str:
    port = free_port()
    harness = make_harness(gateway_port=port, **settings)
    harness.gateway.service.also_run(harness.gateway.serve_http)
    await harness.start()
    url = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            try:
                await client.get(f"{url}/health")
                return url
            except httpx.TransportError:
                await asyncio.sleep(0.02)
    raise AssertionError("the gateway did not start")


async def lookups_from_forwarded_addresses(url: str) -> list[bool]:
    """Six lookups, each of another code, each claiming another address: which got through."""
    async with httpx.AsyncClient() as client:
        answers = [
            await client.post(
                f"{url}/graphql",
                json={"query": LOOKUP, "variables": {"code": f"CODE{n:06d}"}},
                headers={"x-forwarded-for": f"198.51.100.{n}"},
            )
            for n in range(6)
        ]
    return ["errors" not in answer.json() for answer in answers]


async def test_a_forwarded_address_from_an_unconfigured_proxy_is_not_believed(
    make_harness: Callable[..., Harness],
) -> None:
    url = await serve(make_harness)

    assert await lookups_from_forwarded_addresses(url) == [True] * 5 + [False]


async def test_a_configured_proxy_forwards_its_callers_addresses(
    make_harness: Callable[..., Harness],
) -> None:
    url = await serve(make_harness, trusted_proxies="127.0.0.1")

    assert await lookups_from_forwarded_addresses(url) == [True] * 6


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


async def test_the_access_log_never_carries_a_query_string(
    make_harness: Callable[..., Harness],
) -> None:
    url = await serve(make_harness)
    access_log, collected = logging.getLogger("uvicorn.access"), Collect()
    access_log.addHandler(collected)  # once the server has configured its logging

    try:
        async with httpx.AsyncClient() as client:
            await client.post(
                f"{url}/graphql?token=s3cret-token", json={"query": "{ sites { id } }"}
            )
    finally:
        access_log.removeHandler(collected)

    assert any("POST /graphql" in line for line in collected.lines), collected.lines
    assert not any("s3cret-token" in line for line in collected.lines), collected.lines
