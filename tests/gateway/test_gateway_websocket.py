"""Subscriptions over a real socket: graphql-transport-ws only, authenticated in
connection_init."""

from __future__ import annotations

import asyncio
import json
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from .support import Harness, registered
from .test_gateway_subscriptions import EVENTS, projected


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
async def served(make_harness: Callable[..., Harness]) -> AsyncIterator[tuple[Harness, str]]:
    port = free_port()
    harness = make_harness(gateway_port=port)
    harness.gateway.service.also_run(harness.gateway.serve_http)
    await harness.start()
    for _ in range(100):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.02)
            continue
        writer.close()
        await writer.wait_closed()
        break
    yield harness, f"ws://127.0.0.1:{port}/graphql"


async def init(ws: ClientConnection, payload: dict[str, str]) -> dict[str, Any]:
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    answer: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 5))
    return answer


async def test_connection_init_without_a_known_token_is_refused(
    served: tuple[Harness, str],
) -> None:
    _, url = served
    for payload in ({}, {"authorization": "Bearer not-a-token"}):
        async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            with pytest.raises(ConnectionClosed) as refused:
                await init(ws, payload)
        assert refused.value.rcvd is not None
        assert refused.value.rcvd.code == 4403


async def test_a_known_token_gets_the_stream(served: tuple[Harness, str]) -> None:
    harness, url = served
    fid = str(uuid.uuid4())
    event = await harness.publish(registered(fid, organisation_id=harness.admin_organisation))
    await projected(harness, 1)

    async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        ack = await init(ws, {"authorization": f"Bearer {harness.admin_token}"})
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": EVENTS, "variables": {"family": fid}},
                }
            )
        )
        message = json.loads(await asyncio.wait_for(ws.recv(), 5))
        await ws.send(json.dumps({"id": "1", "type": "complete"}))

    assert ack["type"] == "connection_ack"
    assert message["type"] == "next"
    assert message["payload"]["data"]["familyEvents"]["eventId"] == event.id


async def test_the_legacy_graphql_ws_protocol_is_not_spoken(served: tuple[Harness, str]) -> None:
    harness, url = served
    async with connect(url, subprotocols=["graphql-ws"]) as ws:  # type: ignore[list-item]
        with pytest.raises(ConnectionClosed) as refused:
            await init(ws, {"authorization": f"Bearer {harness.admin_token}"})
    assert refused.value.rcvd is not None
    assert refused.value.rcvd.code == 4406
