"""Transport events in the read model: each booking (what the journey needs, never a name or
legal history), its departure, delays, arrival, cancellation or failure; and the reads the
bookings, itinerary and field mutations make of them. The status of a booking's seats is
transport's (`seat_status` on each event), stored as published."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from puente_runtime import Context
from puente_schemas import Event
from puente_schemas.common import HOLDING_SEATS, SeatStatus
from puente_schemas.events import (
    ArrivedAtPort,
    BookingCancelled,
    TransportBooked,
    TransportDeparted,
    TransportFailed,
)
from sqlmodel import Session, col, select

from puente_gateway.tables import BookingRow, TransportFailureRow

__all__ = [
    "apply",
    "arriving_between",
    "booking",
    "bookings_of",
    "bookings_on",
    "current_booking",
    "failures_of",
    "routes_of",
]


def _seats(row: BookingRow, published: SeatStatus | None) -> None:
    """The seats' status as transport published it (an event from a release before it did
    leaves the last one known)."""
    if published is not None:
        row.status = published


def _booked(event: TransportBooked, ctx: Context) -> None:
    row = BookingRow(
        booking_id=event.booking_id,
        family_unit_id=event.family_unit_id,
        appointment_id=event.appointment_id,
        site=event.site,
        route_id=event.route_id,
        vehicle_id=event.vehicle_id,
        origin_city=event.origin_city,
        pickup_point=event.pickup_point,
        departure_at=event.departure_at,
        arrival_at=event.arrival_at,
        seats=event.seats,
        travel_documents=list(event.travel_documents),
        escorted_convoy=event.escorted_convoy,
        risk=event.risk,
        cost_to_family=event.cost_to_family,
        status=SeatStatus.BOOKED,
        booked_at=ctx.envelope.time,
    )
    _seats(row, event.seat_status)
    ctx.session.merge(row)


def _departed(event: TransportDeparted, ctx: Context) -> None:
    """A departure, or a delay on the road (the same event with a later expected arrival)."""
    row = ctx.session.get(BookingRow, event.booking_id)
    if row is not None:
        row.departed_at, row.expected_arrival_at = event.departed_at, event.expected_arrival_at
        _seats(row, event.seat_status)
        ctx.session.add(row)


def _arrived(event: ArrivedAtPort, ctx: Context) -> None:
    row = ctx.session.get(BookingRow, event.booking_id)
    if row is not None:
        row.arrived_at = event.arrived_at
        _seats(row, event.seat_status)
        ctx.session.add(row)


def _cancelled(event: BookingCancelled, ctx: Context) -> None:
    row = ctx.session.get(BookingRow, event.booking_id)
    if row is not None:
        row.reason = event.reason
        _seats(row, event.seat_status)
        ctx.session.add(row)


def _failed(event: TransportFailed, ctx: Context) -> None:
    """The failure is recorded, and the booking transport names (a missed pick-up, a late
    vehicle) with it. A failure to book has no booking."""
    ctx.session.add(
        TransportFailureRow(
            family_unit_id=event.family_unit_id,
            appointment_id=event.appointment_id,
            reason=event.reason,
            failed_at=ctx.envelope.time,
        )
    )
    row = ctx.session.get(BookingRow, event.booking_id) if event.booking_id else None
    if row is not None:
        row.reason = event.reason
        _seats(row, event.seat_status)
        ctx.session.add(row)


_APPLY: Mapping[type[Event], Callable[[Any, Context], None]] = {
    TransportBooked: _booked,
    TransportDeparted: _departed,
    ArrivedAtPort: _arrived,
    BookingCancelled: _cancelled,
    TransportFailed: _failed,
}


def apply(event: Event, ctx: Context) -> None:
    handler = _APPLY.get(type(event))
    if handler is not None:
        handler(event, ctx)
        ctx.session.flush()


def booking(session: Session, booking_id: str) -> BookingRow | None:
    return session.get(BookingRow, booking_id)


def bookings_of(session: Session, family_unit_id: str) -> Sequence[BookingRow]:
    """The family's bookings, oldest first."""
    query = select(BookingRow).where(BookingRow.family_unit_id == family_unit_id)
    return session.exec(query.order_by(col(BookingRow.booked_at), col(BookingRow.booking_id))).all()


def current_booking(session: Session, family_unit_id: str) -> BookingRow | None:
    """The booking the family travels on: the latest one still open, else the latest."""
    every = list(bookings_of(session, family_unit_id))
    travelling = [row for row in every if row.status in HOLDING_SEATS | {SeatStatus.ARRIVED}]
    chosen = travelling or every
    return chosen[-1] if chosen else None


def routes_of(session: Session, family_unit_ids: set[str]) -> dict[str, set[str]]:
    """The routes each family is (or was) booked on."""
    query = select(BookingRow).where(col(BookingRow.family_unit_id).in_(family_unit_ids))
    found: dict[str, set[str]] = {}
    for row in session.exec(query):
        if row.route_id is not None:
            found.setdefault(row.family_unit_id, set()).add(row.route_id)
    return found


def bookings_on(session: Session, day: dt.date, route_ids: Iterable[str]) -> Sequence[BookingRow]:
    """Bookings whose vehicle leaves on `day` (UTC), on the routes named, by departure."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    query = select(BookingRow).where(
        col(BookingRow.departure_at) >= start,
        col(BookingRow.departure_at) < start + dt.timedelta(days=1),
        col(BookingRow.route_id).in_(list(route_ids)),
    )
    order = (col(BookingRow.departure_at), col(BookingRow.vehicle_id), col(BookingRow.booking_id))
    return session.exec(query.order_by(*order)).all()


def arriving_between(
    session: Session, start: dt.datetime, end: dt.datetime
) -> list[tuple[str, bool]]:
    """(site, whether it arrived) of every booking due to arrive in [start, end)."""
    query = select(BookingRow.site, BookingRow.arrived_at).where(
        col(BookingRow.arrival_at) >= start,
        col(BookingRow.arrival_at) < end,
        col(BookingRow.status).in_([*HOLDING_SEATS, SeatStatus.ARRIVED]),
    )
    return [(site, arrived_at is not None) for site, arrived_at in session.exec(query)]


def failures_of(session: Session, family_unit_id: str) -> Sequence[TransportFailureRow]:
    query = select(TransportFailureRow).where(TransportFailureRow.family_unit_id == family_unit_id)
    return session.exec(query.order_by(col(TransportFailureRow.id))).all()
