"""Every event moves the read model: stage, members, appointment and timeline."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from puente_gateway.schema import schema
from puente_schemas.common import FieldError, Location
from puente_schemas.events import (
    ArrivedAtPort,
    CheckedIn,
    RegistrationRejected,
    Rescheduled,
    ScheduleCancelled,
    Scheduled,
    TransportBooked,
    TransportFailed,
)

from tests.polling import eventually

from .support import T0, Harness, registered

FAMILY = """
query ($id: ID!) {
  familyUnit(id: $id) {
    id stage
    members { memberId givenName familyName birthDate inMpp aNumber caseCategory language
              needsInterpreter }
    appointment { site date }
    timeline { type occurredAt }
  }
}
"""


async def family(harness: Harness, family_unit_id: str) -> dict[str, Any] | None:
    result = await schema.execute(
        FAMILY, variable_values={"id": family_unit_id}, context_value=harness.context
    )
    assert result.errors is None
    assert result.data is not None
    unit: dict[str, Any] | None = result.data["familyUnit"]
    return unit


def scheduled(family_unit_id: str) -> Scheduled:
    return Scheduled(
        family_unit_id=family_unit_id,
        appointment_id="ap-1",
        site="brownsville",
        appointment_at=T0 + dt.timedelta(days=3),
        people=2,
        origin=Location(city="Matamoros", country="MX"),
    )


def booked(family_unit_id: str) -> TransportBooked:
    return TransportBooked(
        family_unit_id=family_unit_id,
        booking_id="bk-1",
        appointment_id="ap-1",
        site="brownsville",
        origin_city="Matamoros",
        pickup_point="Plaza",
        departure_at=T0 + dt.timedelta(days=3, hours=-2),
        arrival_at=T0 + dt.timedelta(days=3, hours=-1),
        seats=2,
        travel_documents=[],
    )


async def test_events_move_the_stage_and_fill_the_timeline(harness: Harness) -> None:
    fid = str(uuid.uuid4())
    for event in (
        registered(fid),
        scheduled(fid),
        booked(fid),
        ArrivedAtPort(family_unit_id=fid, booking_id="bk-1", site="brownsville", arrived_at=T0),
        CheckedIn(family_unit_id=fid, site="brownsville", checked_in_at=T0),
    ):
        await harness.publish(event)

    unit = await eventually(lambda: _with_timeline(harness, fid, 5))

    assert unit["stage"] == "ARRIVED"
    assert [e["type"] for e in unit["timeline"]] == [
        "registered",
        "scheduled",
        "transport-booked",
        "arrived-at-port",
        "checked-in",
    ]
    assert unit["appointment"] == {"site": "brownsville", "date": "2021-02-22T08:00:00+00:00"}
    assert unit["members"][0] == {
        "memberId": "m-1",
        "givenName": "Ana",
        "familyName": "Lopez",
        "birthDate": "1990-05-01",
        "inMpp": True,
        "aNumber": "A123456789",
        "caseCategory": "ACTIVE",
        "language": "spa",
        "needsInterpreter": False,
    }
    assert unit["members"][1]["caseCategory"] is None


async def _with_timeline(harness: Harness, fid: str, length: int) -> dict[str, Any] | None:
    unit = await family(harness, fid)
    return unit if unit and len(unit["timeline"]) == length else None


async def test_a_rejected_registration_is_rejected(harness: Harness) -> None:
    fid = str(uuid.uuid4())
    await harness.publish(
        RegistrationRejected(
            family_unit_id=fid, errors=[FieldError(field="members", message="empty")]
        )
    )

    unit = await eventually(lambda: family(harness, fid))

    assert unit["stage"] == "REJECTED"
    assert unit["members"] == []


async def test_a_step_seen_before_the_one_it_follows_waits_for_it(harness: Harness) -> None:
    """Events of different topics may arrive out of order; the timeline keeps the journey's."""
    fid = str(uuid.uuid4())
    await harness.publish(booked(fid))
    await harness.publish(scheduled(fid))
    await harness.publish(registered(fid))

    unit = await eventually(lambda: _with_timeline(harness, fid, 3))

    assert unit["stage"] == "TRANSPORT_BOOKED"
    assert [e["type"] for e in unit["timeline"]] == ["registered", "scheduled", "transport-booked"]
    assert len(unit["members"]) == 2


async def test_an_unknown_family_is_null(harness: Harness) -> None:
    assert await family(harness, "nobody") is None


async def test_without_a_principal_nothing_is_read(harness: Harness) -> None:
    fid = str(uuid.uuid4())
    await harness.publish(registered(fid))
    await eventually(lambda: family(harness, fid))

    result = await schema.execute(
        FAMILY,
        variable_values={"id": fid},
        context_value={"gateway": harness.gateway, "principal": None},
    )

    assert result.data is None or result.data["familyUnit"] is None
    assert [e.message for e in result.errors or []] == ["authentication required"]


async def test_queries_are_bounded_in_depth(harness: Harness) -> None:
    deep = 'query { familyUnit(id: "x") { ' + "members { " * 12 + "memberId" + " }" * 13 + " }"
    result = await schema.execute(deep, context_value=harness.context)

    assert any("exceeds maximum operation depth" in e.message for e in result.errors or [])


async def test_queries_are_bounded_in_aliases_and_size(harness: Harness) -> None:
    aliased = "{ " + " ".join(f"s{n}: sites {{ id }}" for n in range(21)) + " }"
    large = "{ sites { " + "id " * 5000 + "} }"

    too_many = await schema.execute(aliased, context_value=harness.anonymous)
    too_large = await schema.execute(large, context_value=harness.anonymous)

    assert [e.message for e in too_many.errors or []] == ["21 aliases found. Allowed: 20"]
    assert [e.message for e in too_large.errors or []] == [
        "Syntax Error: Document contains more than 5000 tokens. Parsing aborted."
    ]


async def test_a_new_appointment_seen_after_its_booking_does_not_undo_the_journey(
    harness: Harness,
) -> None:
    """Transport's topic can run ahead of scheduling's: the booking for a rescheduled
    appointment, even the arrival, may come before the `rescheduled` event itself."""
    fid = str(uuid.uuid4())
    moved = booked(fid).model_copy(update={"booking_id": "bk-2", "appointment_id": "ap-2"})
    for event in (
        registered(fid),
        scheduled(fid),
        TransportFailed(family_unit_id=fid, appointment_id="ap-1", reason="no convoy in time"),
        moved,
        ArrivedAtPort(family_unit_id=fid, booking_id="bk-2", site="brownsville", arrived_at=T0),
        Rescheduled(
            **scheduled(fid).model_dump() | {"appointment_id": "ap-2"},
            reason="transport failed: no convoy in time",
        ),
        CheckedIn(family_unit_id=fid, site="brownsville", checked_in_at=T0),
    ):
        await harness.publish(event)

    unit = await eventually(lambda: _with_timeline(harness, fid, 7))
    assert unit["stage"] == "ARRIVED"  # not sent back to SCHEDULED, so check-in went through


async def test_a_family_whose_appointment_is_cancelled_shows_as_waiting_until_the_next(
    harness: Harness,
) -> None:
    fid = str(uuid.uuid4())
    await harness.publish(registered(fid))
    await harness.publish(scheduled(fid))
    await harness.publish(
        ScheduleCancelled(family_unit_id=fid, appointment_id="ap-1", reason="site closed")
    )
    unit = await eventually(lambda: _with_timeline(harness, fid, 3))
    assert (unit["stage"], unit["appointment"]) == ("WAITING", None)

    await harness.publish(scheduled(fid).model_copy(update={"appointment_id": "ap-2"}))
    unit = await eventually(lambda: _with_timeline(harness, fid, 4))
    assert unit["stage"] == "SCHEDULED" and unit["appointment"]["site"] == "brownsville"
