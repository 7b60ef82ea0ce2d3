"""Issue 8, item 1: what one request may ask is bounded, and refused cheaply when it asks too
much, anonymous or not, over HTTP or a WebSocket: nested fragments, introspection, a large
body, deeply nested variables."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from graphql import get_introspection_query
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.gateway.support import Harness
from tests.gateway.test_gateway_websocket import init, served

__all__ = ["served"]  # a fixture of tests/gateway, used here

GRAPHQL_RESPONSE = "application/graphql-response+json"


def fragment_bomb(levels: int, on: str, leaf: str) -> str:
    """~1 KB: each fragment spreads the previous one twice, 2**(levels-1) fields expanded."""
    fragments = [f"fragment F1 on {on} {{ {leaf} }}"] + [
        f"fragment F{n} on {on} {{ ...F{n - 1} ...F{n - 1} }}" for n in range(2, levels + 1)
    ]
    return " ".join(fragments)


async def post(harness: Harness, *, token: str | None = None, **request: Any) -> httpx.Response:
    headers = {"accept": GRAPHQL_RESPONSE}
    if token:
        headers["authorization"] = f"Bearer {token}"
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=harness.gateway.asgi), base_url="http://gateway"
    ) as http:
        return await http.post("/graphql", headers=headers | request.pop("headers", {}), **request)


def message(answer: httpx.Response) -> str:
    assert list(answer.json()) == ["errors"], answer.json()
    text: str = answer.json()["errors"][0]["message"]
    return text


@pytest.mark.timeout(60)  # before the fix this request held the process for minutes
async def test_an_anonymous_fragment_bomb_is_refused_before_anything_runs(
    harness: Harness,
) -> None:
    bomb = "{ sites { ...F29 } } " + fragment_bomb(29, "Site", "id")

    answer = await post(harness, json={"query": bomb})

    assert answer.status_code == 400
    assert message(answer) == (
        "the query asks 268435457 fields with its fragments expanded; at most 2000"
    )


@pytest.mark.timeout(60)
async def test_a_partner_fragment_bomb_on_the_root_is_refused_too(harness: Harness) -> None:
    bomb = "{ ...F29 } " + fragment_bomb(29, "Query", "__typename")

    answer = await post(harness, token=harness.admin_token, json={"query": bomb})

    assert answer.status_code == 400
    assert "fields with its fragments expanded" in message(answer)


async def test_a_query_within_the_bounds_is_answered_with_its_fragments(harness: Harness) -> None:
    query = "{ sites { ...F5 } } " + fragment_bomb(5, "Site", "id name")

    answer = await post(harness, json={"query": query})

    assert answer.status_code == 200
    assert answer.json() == {"data": {"sites": []}}


async def test_introspection_is_bounded_in_depth_but_the_standard_query_is_answered(
    harness: Harness,
) -> None:
    deep = "{ __schema { types { " + "fields { type { " * 10 + "name" + " } }" * 10 + " } } }"

    standard = await post(
        harness, token=harness.admin_token, json={"query": get_introspection_query()}
    )
    refused = await post(harness, token=harness.admin_token, json={"query": deep})

    assert standard.status_code == 200 and "__schema" in standard.json()["data"]
    assert refused.status_code == 400
    assert message(refused) == "the query nests 22 levels, introspection included; at most 20"


async def test_a_body_larger_than_the_cap_gets_413_with_a_graphql_error(harness: Harness) -> None:
    padding = "#" + "x" * 70_000 + "\n"
    body = json.dumps({"query": padding + "{ sites { id } }"}).encode()

    async def streamed() -> AsyncIterator[bytes]:  # no Content-Length: counted as it comes
        for start in range(0, len(body), 8192):
            yield body[start : start + 8192]

    declared = await post(harness, content=body, headers={"content-type": "application/json"})
    chunked = await post(harness, content=streamed(), headers={"content-type": "application/json"})

    for answer in (declared, chunked):
        assert answer.status_code == 413
        assert message(answer) == "the body is larger than 65536 bytes"


@pytest.mark.parametrize(
    ("nesting", "refused_with"),
    [
        (30_000, "the body's JSON nests too deeply"),
        (50, "the variables nest deeper than 10 levels"),
    ],
)
async def test_deeply_nested_variables_get_400_never_500(
    harness: Harness, nesting: int, refused_with: str
) -> None:
    variables = "[" * nesting + "]" * nesting
    body = '{"query": "{ sites { id } }", "variables": {"v": ' + variables + "}}"

    answer = await post(
        harness, content=body.encode(), headers={"content-type": "application/json"}
    )

    assert answer.status_code == 400
    assert message(answer) == refused_with


async def subscribe(url: str, token: str, payload: dict[str, Any]) -> dict[str, Any]:
    async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await init(ws, {"authorization": f"Bearer {token}"})
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        answer: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 10))
        return answer


@pytest.mark.timeout(60)
async def test_a_fragment_bomb_over_a_websocket_is_refused(served: tuple[Harness, str]) -> None:
    harness, url = served
    leaf = 'familyEvents(familyUnitId: "x") { cursor }'
    bomb = "subscription { ...F29 } " + fragment_bomb(29, "Subscription", leaf)

    answer = await subscribe(url, harness.admin_token, {"query": bomb})

    assert answer["type"] == "error"
    assert "fields with its fragments expanded" in answer["payload"][0]["message"]


async def test_a_websocket_message_larger_than_the_cap_closes_the_socket(
    served: tuple[Harness, str],
) -> None:
    harness, url = served
    large = {"query": "subscription { familyEvents { cursor } }", "variables": {"x": "x" * 70_000}}

    with pytest.raises(ConnectionClosed) as closed:
        await subscribe(url, harness.admin_token, large)

    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009  # message too big


@pytest.mark.parametrize("sent", ["[" * 20_000 + "]" * 20_000, "[]"], ids=["nested", "array"])
async def test_a_websocket_message_that_is_not_a_json_object_closes_with_4400(
    served: tuple[Harness, str], sent: str
) -> None:
    harness, url = served
    async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await init(ws, {"authorization": f"Bearer {harness.admin_token}"})
        await ws.send(sent)
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)

    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4400
