"""Transport in the gateway: bookings by route and day for the transport operator (what the
journey needs, never a name or legal history), a family's itinerary, and the field's reports,
each sent to transport and answered with its outcome; a wrong report is refused unsent."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from puente_gateway.roles import Role
from puente_schemas import Envelope
from puente_schemas.common import FieldError, Location, PartnerKind, SeatStatus
from puente_schemas.events import (
    ArrivedAtPort,
    CheckedIn,
    DocumentsPrepared,
    Event,
    Rescheduled,
    TransportCommandRejected,
    TransportDeparted,
    TransportFailed,
)
from puente_schemas.topics import TRANSPORT_COMMANDS

from .support import (
    T0,
    Harness,
    answer_commands,
    booked,
    eventually,
    registered,
    scheduled,
    shelter_assigned,
)

HOUR = dt.timedelta(hours=1)
BOOKINGS = """
query ($route: String, $date: Date!) {
  bookings(route: $route, date: $date) {
    bookingId familyUnitId site routeId vehicleId pickupPoint departureAt arrivalAt seats
    travelDocuments escortedConvoy risk costToFamily status
  }
}
"""
ITINERARY = """
query ($id: ID!) {
  itinerary(familyUnitId: $id) {
    booking { bookingId status expectedArrivalAt }
    bookings { bookingId status reason }
    failures { appointmentId reason }
    departedAt expectedArrivalAt arrivedAt checkedInAt
  }
}
"""
STAGE = "query ($id: ID!) { familyUnit(id: $id) { stage } }"
CHECK_IN = """
mutation ($id: ID!, $site: String!) {
  checkIn(familyUnitId: $id, site: $site) { status outcome errors { field message } }
}
"""
DEPARTURE = """
mutation ($booking: ID!) { recordDeparture(bookingId: $booking) { status outcome } }
"""
DELAY = """
mutation ($booking: ID!, $minutes: Int!) {
  reportDelay(bookingId: $booking, delayMinutes: $minutes) { status outcome }
}
"""
MISSED = """
mutation ($booking: ID!) {
  reportMissedPickup(bookingId: $booking) { status outcome errors { field message } }
}
"""


# The routes an IOM operator in the Rio Grande valley serves (its token names them).
VALLEY = frozenset({"matamoros--brownsville", "matamoros--hidalgo"})


def operator(harness: Harness) -> dict[str, Any]:
    return harness.context_for(Role.TRANSPORT_OPERATOR, kind=PartnerKind.IOM, routes=VALLEY)


def officer(harness: Harness) -> dict[str, Any]:
    """A CBP officer at both Rio Grande valley ports."""
    return harness.context_for(
        Role.PORT_OFFICER, kind=PartnerKind.DHS, sites={"brownsville", "hidalgo"}
    )


async def booked_family(harness: Harness, booking_id: str = "bk-1", **changes: Any) -> str:
    fid = str(uuid.uuid4())
    await harness.publish_all(registered(fid), scheduled(fid))
    await harness.publish_all(booked(fid, booking_id, **changes))
    return fid


def field_reports(harness: Harness) -> Callable[[Envelope], Event | None]:
    """A stand-in for transport's field handlers."""

    def respond(command: Envelope) -> Event | None:
        data, kind = command.data, command.type.split(".")[-2]
        fid, booking = data["family_unit_id"], data["booking_id"]
        if kind == "record-departure":
            return TransportDeparted(
                family_unit_id=fid,
                booking_id=booking,
                departed_at=harness.clock.now(),
                expected_arrival_at=harness.clock.now() + 3 * HOUR,
                seat_status=SeatStatus.DEPARTED,
            )
        if kind == "report-delay":
            return TransportFailed(
                family_unit_id=fid,
                appointment_id=f"ap-{fid}",
                reason="vehicle late",
                booking_id=booking,
                seat_status=SeatStatus.FAILED,
            )
        if kind == "record-arrival":
            return ArrivedAtPort(
                family_unit_id=fid,
                booking_id=booking,
                site=data["site"],
                arrived_at=T0,
                seat_status=SeatStatus.ARRIVED,
            )
        error = FieldError(field="booking_id", message="the family was picked up: departed")
        return TransportCommandRejected(command=command.type, family_unit_id=fid, errors=[error])

    return respond


async def test_bookings_show_what_the_journey_needs_by_route_and_day(harness: Harness) -> None:
    fid = await booked_family(harness)
    await booked_family(harness, "bk-next-day", departure_at=T0 + dt.timedelta(days=4))
    await booked_family(harness, "bk-hidalgo", site="hidalgo")

    on_route = await harness.execute(
        BOOKINGS, operator(harness), route="matamoros--brownsville", date="2021-02-22"
    )
    every_route = await harness.execute(BOOKINGS, operator(harness), date="2021-02-22")

    assert on_route.errors is None
    assert on_route.data is not None
    assert on_route.data["bookings"] == [
        {
            "bookingId": "bk-1",
            "familyUnitId": fid,
            "site": "brownsville",
            "routeId": "matamoros--brownsville",
            "vehicleId": "matamoros--brownsville@1#1",
            "pickupPoint": "IOM pick-up point, Matamoros",
            "departureAt": "2021-02-22T04:00:00+00:00",
            "arrivalAt": "2021-02-22T07:00:00+00:00",
            "seats": 2,
            "travelDocuments": ["Mexican transit permit (FMM)"],
            "escortedConvoy": True,
            "risk": "high",
            "costToFamily": 0,
            "status": "BOOKED",
        }
    ]
    assert every_route.data is not None
    assert [b["bookingId"] for b in every_route.data["bookings"]] == ["bk-1", "bk-hidalgo"]
    for personal in ("Ana", "Lopez", "1990-05-01", "A123456789", "active"):
        assert personal not in str(every_route.data)


async def test_the_itinerary_shows_failures_then_the_new_booking_to_arrival(
    harness: Harness,
) -> None:
    fid = await booked_family(harness)
    await harness.publish_all(
        TransportFailed(
            family_unit_id=fid,
            appointment_id=f"ap-{fid}",
            reason="missed pick-up: nobody came",
            booking_id="bk-1",  # transport names the booking and its seats' status
            seat_status=SeatStatus.FAILED,
        )
    )
    after_failure = await harness.execute(STAGE, id=fid)
    new_appointment = T0 + dt.timedelta(days=6)
    await harness.publish_all(
        Rescheduled(
            family_unit_id=fid,
            appointment_id=f"ap-{fid}",
            site="brownsville",
            appointment_at=new_appointment,
            people=2,
            origin=Location(city="Matamoros", country="MX"),
            reason="transport failed",
        )
    )
    await harness.publish_all(booked(fid, "bk-2", departure_at=new_appointment - 6 * HOUR))
    await harness.publish_all(
        TransportDeparted(
            family_unit_id=fid,
            booking_id="bk-2",
            departed_at=new_appointment - 5 * HOUR,
            expected_arrival_at=new_appointment - HOUR,
            seat_status=SeatStatus.DEPARTED,
        ),
        ArrivedAtPort(
            family_unit_id=fid,
            booking_id="bk-2",
            site="brownsville",
            arrived_at=new_appointment - HOUR,
            seat_status=SeatStatus.ARRIVED,
        ),
    )
    await harness.publish_all(
        CheckedIn(family_unit_id=fid, site="brownsville", checked_in_at=new_appointment)
    )

    result = await harness.execute(ITINERARY, operator(harness), id=fid)

    assert after_failure.data == {"familyUnit": {"stage": "SCHEDULED"}}
    assert result.errors is None
    assert result.data is not None
    trip = result.data["itinerary"]
    assert trip["booking"] == {
        "bookingId": "bk-2",
        "status": "ARRIVED",
        "expectedArrivalAt": "2021-02-25T07:00:00+00:00",
    }
    assert trip["bookings"] == [
        {"bookingId": "bk-1", "status": "FAILED", "reason": "missed pick-up: nobody came"},
        {"bookingId": "bk-2", "status": "ARRIVED", "reason": None},
    ]
    assert trip["failures"] == [
        {"appointmentId": f"ap-{fid}", "reason": "missed pick-up: nobody came"}
    ]
    assert (trip["departedAt"], trip["expectedArrivalAt"]) == (
        "2021-02-25T03:00:00+00:00",
        "2021-02-25T07:00:00+00:00",
    )
    assert (trip["arrivedAt"], trip["checkedInAt"]) == (
        "2021-02-25T07:00:00+00:00",
        "2021-02-25T08:00:00+00:00",
    )


async def test_check_in_records_the_arrival_of_the_familys_booking_at_that_site(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness()
    answer_commands(harness, TRANSPORT_COMMANDS, field_reports(harness))
    await harness.start()
    fid = await booked_family(harness)

    result = await harness.execute(CHECK_IN, officer(harness), id=fid, site="brownsville")

    assert result.errors is None
    assert result.data == {
        "checkIn": {"status": "ACCEPTED", "outcome": "arrived-at-port", "errors": []}
    }
    assert harness.staged_commands() == [
        ("record-arrival", {"family_unit_id": fid, "booking_id": "bk-1", "site": "brownsville"})
    ]


async def test_check_in_of_a_family_not_scheduled_at_that_site_is_refused_unsent(
    harness: Harness,
) -> None:
    fid = await booked_family(harness)
    unbooked = str(uuid.uuid4())
    await harness.publish_all(registered(unbooked))

    elsewhere = await harness.execute(CHECK_IN, officer(harness), id=fid, site="hidalgo")
    nowhere = await harness.execute(CHECK_IN, officer(harness), id=unbooked, site="brownsville")

    assert elsewhere.data is None
    assert [e.message for e in elsewhere.errors or []] == [
        f"site: family {fid} is scheduled at 'brownsville', not 'hidalgo'"
    ]
    # Default deny: a family at no site yet is at none of the officer's.
    assert [e.message for e in nowhere.errors or []] == [
        "not your site: no site is known for this family yet"
    ]
    assert harness.staged_commands() == []


async def test_the_transport_operator_reports_departure_delay_and_missed_pickup(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness()
    answer_commands(harness, TRANSPORT_COMMANDS, field_reports(harness))
    await harness.start()
    fid = await booked_family(harness)

    left = await harness.execute(DEPARTURE, operator(harness), booking="bk-1")
    late = await harness.execute(DELAY, operator(harness), booking="bk-1", minutes=600)
    missed = await harness.execute(MISSED, operator(harness), booking="bk-1")

    assert left.data == {"recordDeparture": {"status": "ACCEPTED", "outcome": "transport-departed"}}
    assert late.data == {"reportDelay": {"status": "ACCEPTED", "outcome": "transport-failed"}}
    assert missed.data == {
        "reportMissedPickup": {
            "status": "REJECTED",
            "outcome": "command-rejected",
            "errors": [{"field": "bookingId", "message": "the family was picked up: departed"}],
        }
    }
    assert [name for name, _ in harness.staged_commands()] == [
        "record-departure",
        "report-delay",
        "report-missed-pickup",
    ]
    assert harness.staged_commands()[1][1] == {
        "family_unit_id": fid,
        "booking_id": "bk-1",
        "delay_minutes": 600,
    }


async def test_a_report_the_gateway_can_tell_is_wrong_is_refused_unsent(harness: Harness) -> None:
    await booked_family(harness)

    negative = await harness.execute(DELAY, operator(harness), booking="bk-1", minutes=-5)
    unknown = await harness.execute(DEPARTURE, operator(harness), booking="bk-none")

    assert [e.message for e in negative.errors or []] == [
        "delayMinutes: must not be negative (got -5)"
    ]
    assert [e.message for e in unknown.errors or []] == ["bookingId: unknown booking 'bk-none'"]
    assert harness.staged_commands() == []


async def test_a_report_nobody_answers_is_pending(make_harness: Callable[..., Harness]) -> None:
    harness = make_harness(outcome_timeout_seconds=0.1)
    await harness.start()
    await booked_family(harness)

    result = await harness.execute(DEPARTURE, operator(harness), booking="bk-1")

    assert result.data == {"recordDeparture": {"status": "PENDING", "outcome": None}}
    await eventually(lambda: harness.bus.read(TRANSPORT_COMMANDS))


async def test_events_that_come_before_their_cause_wait_for_it(harness: Harness) -> None:
    """A failure, a shelter or documents may reach the gateway before the appointment or the
    registration they follow (other topics): the timeline keeps the journey's order."""
    fid = str(uuid.uuid4())
    for event in (
        TransportFailed(family_unit_id=fid, appointment_id=f"ap-{fid}", reason="no seat"),
        shelter_assigned(fid),
        DocumentsPrepared(family_unit_id=fid, documents=[]),
        scheduled(fid),
        registered(fid),
    ):
        await harness.publish(event)

    timeline = await eventually(lambda: timeline_of(harness, fid, 5))

    assert timeline[:2] == ["registered", "scheduled"]
    assert sorted(timeline[2:]) == ["documents-prepared", "shelter-assigned", "transport-failed"]
    # Processing published the shelter first: the documents wait behind it on their topic.
    assert timeline.index("shelter-assigned") < timeline.index("documents-prepared")


async def timeline_of(harness: Harness, fid: str, length: int) -> list[str] | None:
    result = await harness.execute(
        "query ($id: ID!) { familyUnit(id: $id) { timeline { type } } }", id=fid
    )
    unit = (result.data or {}).get("familyUnit")
    types = [e["type"] for e in unit["timeline"]] if unit else []
    return types if len(types) == length else None
