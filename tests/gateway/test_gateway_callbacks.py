"""callbacks(day, operator): what hotline operators owe on a day, what became of each call,
and how many were missed; names only for a record the operator's organisation may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from puente_gateway.roles import Role
from puente_schemas.common import PartnerKind
from puente_schemas.events import CallbackBooked, CallbackMissed, CallbackRecorded

from .support import Harness, family_of

DAY = dt.date(2021, 2, 20)
HOTLINE = "org-hotline-juarez"
CALLBACKS = """
query ($day: Date!, $operator: String) {
  callbacks(day: $day, operator: $operator) {
    day missed
    callbacks { callbackId familyUnitId operator dueAt status outcome rebookedFrom familyNames }
  }
}
"""


def at(hour: int, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def booked(callback_id: str, fid: str, due: dt.datetime, operator: str, **more: Any) -> Any:
    return CallbackBooked(
        callback_id=callback_id, family_unit_id=fid, due_at=due, operator=operator, **more
    )


async def a_day_of_callbacks(harness: Harness) -> None:
    await harness.publish_all(
        family_of("ours", people=2, organisation_id=HOTLINE),
        family_of("theirs", people=1, organisation_id="org-elsewhere"),
    )
    await harness.publish_all(
        booked("c1", "ours", at(10), "maria"),
        CallbackMissed(callback_id="c1", family_unit_id="ours", operator="maria", due_at=at(10)),
        booked("c2", "ours", at(14), "maria", rebooked_from="c1"),
        booked("c3", "theirs", at(11), "jose"),
        CallbackRecorded(
            callback_id="c3",
            family_unit_id="theirs",
            operator="jose",
            outcome="reached",
            made_at=at(11),
        ),
        booked("c4", "theirs", at(9, DAY + dt.timedelta(days=1)), "jose"),
    )


def operator_context(harness: Harness) -> dict[str, Any]:
    return harness.context_for(
        Role.HOTLINE_OPERATOR, kind=PartnerKind.HOTLINE, organisation_id=HOTLINE
    )


async def test_the_day_lists_each_callback_with_its_status_and_counts_the_missed(
    harness: Harness,
) -> None:
    await a_day_of_callbacks(harness)

    result = await harness.execute(CALLBACKS, operator_context(harness), day=DAY.isoformat())

    assert result.data is not None
    day = result.data["callbacks"]
    assert (day["day"], day["missed"]) == ("2021-02-20", 1)
    assert [
        (c["callbackId"], c["status"], c["outcome"], c["rebookedFrom"], c["familyNames"])
        for c in day["callbacks"]
    ] == [
        ("c1", "REBOOKED", None, None, ["Ana Lopez", "Child 1 Lopez"]),
        ("c3", "MADE", "reached", None, None),
        ("c2", "BOOKED", None, "c1", ["Ana Lopez", "Child 1 Lopez"]),
    ]
    assert [(e.message, e.path) for e in result.errors or []] == [
        ("not authorised", ["callbacks", "callbacks", 1, "familyNames"])
    ]


async def test_one_operators_day(harness: Harness) -> None:
    await a_day_of_callbacks(harness)
    context = operator_context(harness)

    maria = await harness.execute(CALLBACKS, context, day=DAY.isoformat(), operator="maria")
    jose = await harness.execute(CALLBACKS, context, day=DAY.isoformat(), operator="jose")

    assert maria.data is not None and jose.data is not None
    assert [c["callbackId"] for c in maria.data["callbacks"]["callbacks"]] == ["c1", "c2"]
    assert maria.data["callbacks"]["missed"] == 1
    assert [c["callbackId"] for c in jose.data["callbacks"]["callbacks"]] == ["c3"]
    assert jose.data["callbacks"]["missed"] == 0


async def test_only_hotline_operators_see_callbacks(harness: Harness) -> None:
    result = await harness.execute(
        CALLBACKS, harness.context_for(Role.REGISTRAR, Role.SHELTER), day=DAY.isoformat()
    )

    assert [e.message for e in result.errors or []] == [
        "not authorised: callbacks needs role hotline_operator"
    ]


async def test_recording_a_callback_sends_it_for_its_family_by_the_operator(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness(outcome_timeout_seconds=0.1)
    await harness.start()
    await a_day_of_callbacks(harness)
    record = 'mutation($c: ID!) { recordCallback(callbackId: $c, outcome: "reached") { status } }'

    unknown = await harness.execute(record, operator_context(harness), c="c9")
    recorded = await harness.execute(record, operator_context(harness), c="c2")

    assert [e.message for e in unknown.errors or []] == ["unknown call-back 'c9'"]
    assert recorded.data == {"recordCallback": {"status": "PENDING"}}
    assert harness.staged_commands() == [
        (
            "record-callback",
            {
                "family_unit_id": "ours",
                "callback_id": "c2",
                "operator": "test",
                "outcome": "reached",
            },
        )
    ]
