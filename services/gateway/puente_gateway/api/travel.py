"""Transport: bookings by route and day for the transport operator (what the journey needs:
size, pick-up, documents; never a name or legal history), a family's itinerary, and the
field's reports: departure, delay, missed pick-up (transport operator, on the routes its token
names), check-in at the port (port officer, at the sites its token names). A report the
gateway can tell is wrong is refused before anything is sent.
"""

from __future__ import annotations

import datetime as dt

import strawberry
from puente_schemas import commands
from puente_schemas.common import HOLDING_SEATS, SeatStatus
from sqlmodel import Session
from strawberry.types import Info

from puente_gateway import ports, travel
from puente_gateway.access import route_refusal
from puente_gateway.api.families import require_follow
from puente_gateway.api.permissions import audit_read, decide, engine, principal, refuse
from puente_gateway.api.ports import Release, release_of, require_family_site, require_site
from puente_gateway.api.sending import send
from puente_gateway.api.types import CommandAnswer
from puente_gateway.tables import BookingRow

# A booking's seats, as transport publishes them (the contract's enum, not a copy).
strawberry.enum(SeatStatus, name="BookingStatus")


@strawberry.type(description="A family's seats on one vehicle: what the journey needs.")
class Booking:
    booking_id: strawberry.ID
    family_unit_id: strawberry.ID
    appointment_id: strawberry.ID
    site: str
    route_id: str | None
    vehicle_id: str | None
    origin_city: str
    pickup_point: str
    departure_at: dt.datetime = strawberry.field(description="Planned departure.")
    arrival_at: dt.datetime = strawberry.field(description="Planned arrival at the site.")
    seats: int = strawberry.field(description="The whole family, on this one vehicle.")
    travel_documents: list[str] = strawberry.field(
        description="Documents the journey needs (e.g. a Mexican transit permit)."
    )
    escorted_convoy: bool
    risk: str | None
    cost_to_family: int = strawberry.field(description="Always zero.")
    status: SeatStatus
    departed_at: dt.datetime | None
    expected_arrival_at: dt.datetime | None = strawberry.field(
        description="Once the vehicle left: when it is expected, delays included."
    )
    arrived_at: dt.datetime | None
    reason: str | None = strawberry.field(description="Why it was cancelled or failed.")


def booking_of(row: BookingRow) -> Booking:
    return Booking(
        booking_id=strawberry.ID(row.booking_id),
        family_unit_id=strawberry.ID(row.family_unit_id),
        appointment_id=strawberry.ID(row.appointment_id),
        site=row.site,
        route_id=row.route_id,
        vehicle_id=row.vehicle_id,
        origin_city=row.origin_city,
        pickup_point=row.pickup_point,
        departure_at=row.departure_at,
        arrival_at=row.arrival_at,
        seats=row.seats,
        travel_documents=list(row.travel_documents),
        escorted_convoy=row.escorted_convoy,
        risk=row.risk,
        cost_to_family=row.cost_to_family,
        status=SeatStatus(row.status),
        departed_at=row.departed_at,
        expected_arrival_at=row.expected_arrival_at,
        arrived_at=row.arrived_at,
        reason=row.reason or None,
    )


def bookings(info: Info, date: dt.date, route: str | None = None) -> list[Booking]:
    """Every booking whose vehicle leaves on `date` (UTC), on `route` or on every route the
    caller's token names (no other), audited."""
    caller = principal(info)
    assert caller is not None
    if route is not None:
        refused = route_refusal(caller, route)
        if refused:
            audit_read(info, caller, [None], allowed=False)
            raise refuse(refused)
    routes = [route] if route is not None else sorted(caller.routes)
    with Session(engine(info)) as session:
        rows = travel.bookings_on(session, date, routes)
    audit_read(info, caller, [row.family_unit_id for row in rows], allowed=True)
    return [booking_of(row) for row in rows]


@strawberry.type
class TransportFailure:
    appointment_id: strawberry.ID
    reason: str
    failed_at: dt.datetime


@strawberry.type(description="A family's journey to the port and through it.")
class Itinerary:
    family_unit_id: strawberry.ID
    booking: Booking | None = strawberry.field(
        description="The booking the family travels on (the latest open one)."
    )
    bookings: list[Booking] = strawberry.field(description="Every booking, oldest first.")
    failures: list[TransportFailure]
    departed_at: dt.datetime | None
    expected_arrival_at: dt.datetime | None = strawberry.field(
        description="When the family should reach the site: the vehicle's expected arrival "
        "once it left, else the planned one."
    )
    arrived_at: dt.datetime | None
    checked_in_at: dt.datetime | None
    processed_at: dt.datetime | None
    released_at: dt.datetime | None
    release: Release | None


def itinerary(info: Info, family_unit_id: strawberry.ID) -> Itinerary:
    access = require_follow(info, family_unit_id)
    with Session(engine(info)) as session:
        current = travel.current_booking(session, family_unit_id)
        every = travel.bookings_of(session, family_unit_id)
        failures = travel.failures_of(session, family_unit_id)
        visit = ports.visit(session, family_unit_id)
    expected = None
    if current is not None and current.status != SeatStatus.CANCELLED:
        expected = current.expected_arrival_at or current.arrival_at
    return Itinerary(
        family_unit_id=family_unit_id,
        booking=booking_of(current) if current else None,
        bookings=[booking_of(row) for row in every],
        failures=[
            TransportFailure(
                appointment_id=strawberry.ID(row.appointment_id),
                reason=row.reason,
                failed_at=row.failed_at,
            )
            for row in failures
        ],
        departed_at=current.departed_at if current else None,
        expected_arrival_at=expected,
        arrived_at=visit.arrived_at if visit and visit.arrived_at else _arrived(current),
        checked_in_at=visit.checked_in_at if visit else None,
        processed_at=visit.processed_at if visit else None,
        released_at=visit.released_at if visit else None,
        release=release_of(visit, access) if visit and visit.released_at else None,
    )


def _arrived(row: BookingRow | None) -> dt.datetime | None:
    return row.arrived_at if row else None


def _booking(info: Info, booking_id: str) -> BookingRow:
    """A booking on a route the transport operator serves (anything else is refused, naming
    the route, and audited)."""
    caller = principal(info)
    assert caller is not None
    with Session(engine(info)) as session:
        row = travel.booking(session, booking_id)
    if row is None:
        raise ValueError(f"bookingId: unknown booking '{booking_id}'")
    decide(info, row.family_unit_id, route_refusal(caller, row.route_id))
    return row


async def record_departure(info: Info, booking_id: strawberry.ID) -> CommandAnswer:
    row = _booking(info, booking_id)
    command = commands.RecordDeparture(family_unit_id=row.family_unit_id, booking_id=booking_id)
    answer, _ = await send(info, command, accepted=frozenset({"transport-departed"}))
    return answer


async def report_delay(info: Info, booking_id: strawberry.ID, delay_minutes: int) -> CommandAnswer:
    """A vehicle late enough to miss the appointment fails the transport: the family is
    rescheduled."""
    if delay_minutes < 0:
        raise ValueError(f"delayMinutes: must not be negative (got {delay_minutes})")
    row = _booking(info, booking_id)
    command = commands.ReportDelay(
        family_unit_id=row.family_unit_id, booking_id=booking_id, delay_minutes=delay_minutes
    )
    accepted = frozenset({"transport-departed", "transport-failed"})
    answer, _ = await send(info, command, accepted=accepted)
    return answer


async def report_missed_pickup(info: Info, booking_id: strawberry.ID) -> CommandAnswer:
    row = _booking(info, booking_id)
    command = commands.ReportMissedPickup(family_unit_id=row.family_unit_id, booking_id=booking_id)
    answer, _ = await send(info, command, accepted=frozenset({"transport-failed"}))
    return answer


def _booking_to(info: Info, family_unit_id: str, site: str) -> BookingRow:
    """The family's open booking to `site`; a clear error when it is not scheduled there."""
    with Session(engine(info)) as session:
        row = travel.current_booking(session, family_unit_id)
    if row is None or row.status not in HOLDING_SEATS:
        state = f"its booking is {row.status}" if row else "it has no booking"
        raise ValueError(
            f"familyUnitId: family {family_unit_id} is not on its way to any site ({state})"
        )
    if row.site != site:
        raise ValueError(
            f"site: family {family_unit_id} is scheduled at '{row.site}', not '{site}'"
        )
    return row


async def check_in(info: Info, family_unit_id: strawberry.ID, site: str) -> CommandAnswer:
    """The port officer records the family's arrival at the site of its booking: a site it
    works at, where the family is expected."""
    require_family_site(info, family_unit_id)
    require_site(info, site)
    row = _booking_to(info, family_unit_id, site)
    command = commands.RecordArrival(
        family_unit_id=family_unit_id, booking_id=row.booking_id, site=site
    )
    answer, _ = await send(info, command, accepted=frozenset({"arrived-at-port"}))
    return answer
