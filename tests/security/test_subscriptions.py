"""Issue 8, item 2: subscriptions are bounded and end when their token is revoked."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from puente_gateway.auth import authenticate, revoke_token
from puente_gateway.roles import Role
from puente_gateway.schema import schema
from puente_schemas.common import PartnerKind
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.gateway.support import Harness, eventually, registered
from tests.gateway.test_gateway_subscriptions import notice
from tests.gateway.test_gateway_websocket import free_port, init

EVENTS = """
subscription ($after: String) { familyEvents(after: $after) { cursor familyUnitId type } }
"""


def agency(harness: Harness, organisation: str = "org-cbp", token: str = "t-1") -> dict[str, Any]:
    context = harness.context_for(
        Role.REGISTRAR, kind=PartnerKind.DHS, organisation_id=organisation
    )
    context["principal"] = context["principal"].__class__(
        **{**context["principal"].__dict__, "token_id": token}
    )
    return context


async def test_subscriptions_are_limited_per_token_and_per_organisation(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness(subscriptions_per_token=2, subscriptions_per_organisation=3)
    await harness.start()
    waiting = []
    for token in ("t-1", "t-1", "t-2"):
        stream = await schema.subscribe(EVENTS, context_value=agency(harness, token=token))
        waiting.append(asyncio.ensure_future(anext(stream)))  # type: ignore[arg-type]
    await eventually(lambda: len(harness.gateway.hub._listeners) == 3)

    third_of_token = await anext(
        await schema.subscribe(EVENTS, context_value=agency(harness, token="t-1"))  # type: ignore[arg-type]
    )
    fourth_of_organisation = await anext(
        await schema.subscribe(EVENTS, context_value=agency(harness, token="t-3"))  # type: ignore[arg-type]
    )

    assert [e.message for e in third_of_token.errors] == ["too many subscriptions: 2 per token"]
    assert [e.message for e in fourth_of_organisation.errors] == [
        "too many subscriptions: 3 per organisation"
    ]
    assert not any(one.done() for one in waiting)
    for one in waiting:
        one.cancel()


async def test_a_subscriber_that_cannot_keep_up_is_stopped_with_its_cursor(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness(subscriber_queue=5)
    await harness.start()
    fid = str(uuid.uuid4())
    stream = await schema.subscribe(EVENTS, context_value=agency(harness))
    first = asyncio.ensure_future(anext(stream))  # type: ignore[arg-type]
    hub = harness.gateway.hub
    await eventually(lambda: hub.listening and all(one.live for one in hub._listeners))
    # The subscriber takes the first event, then reads nothing while twelve more come.
    await harness.publish_all(registered(fid))
    cursor = (await first).data["familyEvents"]["cursor"]
    await harness.publish_all(*(notice(fid) for _ in range(12)))

    stopped = await anext(stream)  # type: ignore[arg-type]

    assert [e.message for e in stopped.errors] == [
        "subscriber too slow: more than 5 events waiting; subscribe again with `after` set "
        f"to the last cursor received (last cursor: {cursor})"
    ]
    resumed = await schema.subscribe(EVENTS, {"after": cursor}, context_value=agency(harness))
    missed = [await anext(resumed) for _ in range(12)]  # type: ignore[arg-type]
    assert [m.data["familyEvents"]["type"] for m in missed] == ["notice-delivered"] * 12
    await resumed.aclose()  # type: ignore[union-attr]


async def test_history_is_replayed_in_pages_in_order(make_harness: Callable[..., Harness]) -> None:
    harness = make_harness(replay_page=4)
    await harness.start()
    fid = str(uuid.uuid4())
    published = [await harness.publish(registered(fid))]
    published += [await harness.publish(notice(fid)) for _ in range(10)]
    await eventually(lambda: harness.projected() >= 11)

    stream = await schema.subscribe(EVENTS, context_value=agency(harness))
    seen = [await anext(stream) for _ in published]  # type: ignore[arg-type]
    await stream.aclose()  # type: ignore[union-attr]

    cursors = [int(s.data["familyEvents"]["cursor"]) for s in seen]
    assert cursors == sorted(set(cursors)) and len(cursors) == 11


@pytest.fixture
async def served(make_harness: Callable[..., Harness]) -> tuple[Harness, str]:
    port = free_port()
    harness = make_harness(gateway_port=port)
    harness.gateway.service.also_run(harness.gateway.serve_http)
    await harness.start()

    async def listening() -> bool:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            return False
        writer.close()
        await writer.wait_closed()
        return True

    await eventually(listening)
    return harness, f"ws://127.0.0.1:{port}/graphql"


async def subscribe(ws: Any, operation: str) -> None:
    await ws.send(json.dumps({"id": operation, "type": "subscribe", "payload": {"query": EVENTS}}))


async def test_revoking_a_token_closes_its_open_socket_with_the_reason(
    served: tuple[Harness, str],
) -> None:
    harness, url = served
    token, _ = harness.token(Role.REGISTRAR, kind=PartnerKind.DHS)
    revoke = "mutation ($t: ID!) { revokeToken(tokenId: $t) }"
    async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await init(ws, {"authorization": f"Bearer {token}"})
        await subscribe(ws, "1")
        await eventually(lambda: harness.gateway.hub.listening)
        [listener] = harness.gateway.hub._listeners
        revoked = await harness.execute(
            revoke, harness.context_for(Role.ADMIN), t=listener.principal.token_id
        )
        assert revoked.errors is None
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4403, "token revoked")


async def test_a_subscribe_on_a_socket_whose_token_was_revoked_is_refused_and_closed(
    served: tuple[Harness, str],
) -> None:
    harness, url = served
    token, _ = harness.token(Role.REGISTRAR, kind=PartnerKind.DHS)
    async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await init(ws, {"authorization": f"Bearer {token}"})
        caller = authenticate(harness.gateway.service.engine, f"Bearer {token}")
        assert caller is not None
        revoke_token(harness.gateway.service.engine, caller.token_id, now=harness.clock.now())
        await subscribe(ws, "2")  # no live subscription yet: nothing to stop, the check refuses
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4403, "token revoked")
