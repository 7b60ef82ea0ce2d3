"""familyEvents: replay what a subscriber missed, then live, each event once and in order."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncGenerator
from typing import Any

import pytest
from puente_gateway.schema import schema
from puente_schemas.events import NoticeDelivered

from .support import Harness, registered

EVENTS = """
subscription ($family: ID, $after: String) {
  familyEvents(familyUnitId: $family, after: $after) { cursor familyUnitId type eventId }
}
"""


async def subscribe(harness: Harness, **variables: Any) -> AsyncGenerator[dict[str, Any], None]:
    results = await schema.subscribe(
        EVENTS, variable_values=variables, context_value=harness.context
    )
    assert not hasattr(results, "errors"), results
    async for result in results:  # type: ignore[union-attr]
        assert result.errors is None, result.errors
        yield result.data["familyEvents"]


def notice(family_unit_id: str) -> NoticeDelivered:
    """An event that follows no journey step, so any number of them project at once."""
    return NoticeDelivered(
        notice_id=str(uuid.uuid4()),
        family_unit_id=family_unit_id,
        recipient="shelter",
        channel="inbox",
        kind="expected-arrival",
    )


async def projected(harness: Harness, count: int) -> None:
    async def enough() -> bool:
        results = await schema.subscribe(EVENTS, context_value=harness.context)
        seen = 0
        async for _ in results:  # type: ignore[union-attr]
            seen += 1
            if seen == count:
                break
        await results.aclose()  # type: ignore[union-attr]
        return True

    await asyncio.wait_for(enough(), 5)


async def test_reconnecting_with_after_replays_the_missed_then_goes_live(
    harness: Harness,
) -> None:
    fid, other = str(uuid.uuid4()), str(uuid.uuid4())
    first = await harness.publish(registered(fid))
    await harness.publish(registered(other))
    second = await harness.publish(notice(fid))
    await projected(harness, 3)

    stream = subscribe(harness, family=fid)
    seen = [await anext(stream), await anext(stream)]
    await stream.aclose()
    assert [e["eventId"] for e in seen] == [first.id, second.id]
    assert {e["familyUnitId"] for e in seen} == {fid}

    stream = subscribe(harness, family=fid, after=seen[0]["cursor"])
    replayed = await anext(stream)
    live = await harness.publish(notice(fid))
    following = await asyncio.wait_for(anext(stream), 5)

    assert replayed["eventId"] == second.id
    assert following["eventId"] == live.id
    assert int(following["cursor"]) > int(replayed["cursor"])
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(anext(stream), 0.3)


async def test_events_arriving_while_replaying_come_once_in_order(harness: Harness) -> None:
    fid = str(uuid.uuid4())
    published = [await harness.publish(registered(fid))]
    published += [await harness.publish(notice(fid)) for _ in range(30)]

    stream = subscribe(harness, family=fid)
    seen = [(await asyncio.wait_for(anext(stream), 5))["eventId"] for _ in published]
    await stream.aclose()

    assert seen == [e.id for e in published]


async def test_a_malformed_cursor_is_an_error(harness: Harness) -> None:
    results = await schema.subscribe(
        EVENTS, variable_values={"after": "soon"}, context_value=harness.context
    )
    result = await anext(results)  # type: ignore[arg-type]
    assert result.errors
    assert "cursor" in result.errors[0].message


async def test_a_subscription_without_a_principal_is_refused(harness: Harness) -> None:
    results = await schema.subscribe(
        EVENTS, context_value={"gateway": harness.gateway, "principal": None}
    )
    result = results if hasattr(results, "errors") else await anext(results)  # type: ignore[arg-type]
    assert [e.message for e in result.errors] == ["authentication required"]
