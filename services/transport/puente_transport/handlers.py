"""Transport's message handlers."""

from __future__ import annotations

import uuid

from puente_runtime import Context, Handlers
from puente_schemas.commands import RecordArrival, RecordDeparture
from puente_schemas.events import ArrivedAtPort, Event, Scheduled, TransportBooked, TransportFailed
from sqlmodel import select

from puente_transport import domain
from puente_transport.tables import BookingRow


class UnknownBooking(Exception):
    pass


def book_family(event: Scheduled, ctx: Context) -> list[Event]:
    booked = select(BookingRow).where(BookingRow.appointment_id == event.appointment_id)
    if ctx.session.exec(booked).first():
        return []
    try:
        journey = domain.plan_journey(
            origin_city=event.origin.city, site=event.site, appointment_at=event.appointment_at
        )
    except domain.CannotBook as reason:
        return [
            TransportFailed(
                family_unit_id=event.family_unit_id,
                appointment_id=event.appointment_id,
                reason=str(reason),
            )
        ]
    booking = BookingRow(
        id=str(uuid.uuid4()),
        family_unit_id=event.family_unit_id,
        appointment_id=event.appointment_id,
        site=event.site,
        seats=event.people,
        departure_at=journey.departure_at,
        arrival_at=journey.arrival_at,
    )
    ctx.session.add(booking)
    return [
        TransportBooked(
            family_unit_id=event.family_unit_id,
            booking_id=booking.id,
            appointment_id=event.appointment_id,
            site=event.site,
            origin_city=event.origin.city,
            pickup_point=journey.pickup_point,
            departure_at=journey.departure_at,
            arrival_at=journey.arrival_at,
            seats=event.people,
            travel_documents=list(journey.travel_documents),
        )
    ]


def record_departure(command: RecordDeparture, ctx: Context) -> list[Event]:
    booking = _booking(ctx, command.booking_id, command.family_unit_id)
    booking.departed_at = booking.departed_at or ctx.clock.now()
    ctx.session.add(booking)
    return []


def record_arrival(command: RecordArrival, ctx: Context) -> list[Event]:
    booking = _booking(ctx, command.booking_id, command.family_unit_id)
    if booking.site != command.site:
        raise UnknownBooking(f"booking {booking.id} is for {booking.site}, not {command.site}")
    if booking.arrived_at is not None:
        return []
    booking.arrived_at = ctx.clock.now()
    ctx.session.add(booking)
    return [
        ArrivedAtPort(
            family_unit_id=booking.family_unit_id,
            booking_id=booking.id,
            site=booking.site,
            arrived_at=booking.arrived_at,
        )
    ]


def _booking(ctx: Context, booking_id: str, family_unit_id: str) -> BookingRow:
    booking = ctx.session.get(BookingRow, booking_id)
    if booking is None or booking.family_unit_id != family_unit_id:
        raise UnknownBooking(f"no booking {booking_id} for family unit {family_unit_id}")
    return booking


HANDLERS: Handlers = {
    Scheduled: book_family,
    RecordDeparture: record_departure,
    RecordArrival: record_arrival,
}
