"""Transport's handlers: scheduling's decisions (book, rebook, cancel) and field reports.

A family holds seats on at most one vehicle: any booking it holds is cancelled (and its seats
given back) before a new one is made. The same appointment delivered again is answered once.
"""

from __future__ import annotations

import uuid
from functools import partial

from puente_runtime import Context, Handlers
from puente_runtime.storage import lock
from puente_schemas.commands import RecordArrival, RecordDeparture, ReportDelay, ReportMissedPickup
from puente_schemas.events import (
    BookingCancelled,
    Event,
    Rescheduled,
    ScheduleCancelled,
    Scheduled,
    TransportBooked,
    TransportFailed,
)
from sqlalchemy import ColumnElement
from sqlmodel import col, select

from puente_transport import domain, reports
from puente_transport.field import HOLDING, Status, seat_status
from puente_transport.routes import ROUTES, Routes
from puente_transport.tables import BookingRow


def book_family(event: Scheduled | Rescheduled, ctx: Context, *, routes: Routes) -> list[Event]:
    if event.origin.inside_us:
        return []  # already in the United States: processing takes the family from there
    if _already_answered(ctx, event):
        return []
    request = domain.Request(
        family_unit_id=event.family_unit_id,
        appointment_id=event.appointment_id,
        site=event.site,
        appointment_at=event.appointment_at,
        people=event.people,
        origin_city=event.origin.city,
    )
    moved = f"the appointment moved to {domain.when(event.appointment_at)} at {event.site}"
    cancelled = _cancel(ctx, col(BookingRow.family_unit_id) == event.family_unit_id, moved)
    row = BookingRow(
        id=str(uuid.uuid4()),
        family_unit_id=request.family_unit_id,
        appointment_id=request.appointment_id,
        appointment_at=request.appointment_at,
        site=request.site,
        origin_city=request.origin_city,
        seats=request.people,
        status=Status.BOOKED,
    )
    ctx.session.add(row)
    try:
        booking = _plan(ctx, request, routes)
    except domain.CannotBook as reason:
        row.status, row.reason = Status.FAILED, str(reason)
        failed = TransportFailed(
            family_unit_id=row.family_unit_id,
            appointment_id=row.appointment_id,
            reason=row.reason,
            earliest_arrival=reason.earliest_arrival,
        )
        return [*cancelled, failed]
    return [*cancelled, _booked(row, booking)]


def cancel_booking(event: ScheduleCancelled, ctx: Context) -> list[Event]:
    reason = f"the appointment was cancelled: {event.reason}"
    return _cancel(ctx, col(BookingRow.appointment_id) == event.appointment_id, reason)


def _already_answered(ctx: Context, event: Scheduled | Rescheduled) -> bool:
    """A booking or a failure for this very appointment, time and site already exists."""
    query = select(BookingRow.id).where(
        BookingRow.appointment_id == event.appointment_id,
        BookingRow.appointment_at == event.appointment_at,
        BookingRow.site == event.site,
    )
    return ctx.session.exec(query.limit(1)).first() is not None


def _plan(ctx: Context, request: domain.Request, routes: Routes) -> domain.Booking:
    """Book against the seats families hold on the route's vehicles that could take it.

    Replicas book one route at a time (a lock held until commit), so the seats read are
    the seats held: two families booked at once cannot both take a vehicle's last seat."""
    route = domain.route_for(request, routes)
    lock(ctx.session, f"transport route {route.id}")
    now = ctx.clock.now()
    earliest, latest = domain.search_window(request, route)
    query = select(BookingRow.family_unit_id, BookingRow.vehicle_id, BookingRow.seats).where(
        BookingRow.route_id == route.id,
        col(BookingRow.status).in_(HOLDING),
        col(BookingRow.departure_at) >= max(earliest, now),
        col(BookingRow.departure_at) <= latest,
    )
    holds = [
        domain.Hold(family, vehicle, seats)
        for family, vehicle, seats in ctx.session.exec(query).all()
        if vehicle is not None
    ]
    return domain.Ledger(routes, holds).book(request, now=now)


def _booked(row: BookingRow, booking: domain.Booking) -> TransportBooked:
    row.route_id, row.vehicle_id = booking.route.id, booking.vehicle_id
    row.departure_at, row.arrival_at = booking.departure_at, booking.arrival_at
    row.pickup_point, row.lodging = booking.route.pickup_point, booking.lodging
    row.travel_documents = "\n".join(booking.travel_documents)
    return TransportBooked(
        family_unit_id=row.family_unit_id,
        booking_id=row.id,
        appointment_id=row.appointment_id,
        site=row.site,
        origin_city=row.origin_city,
        pickup_point=booking.route.pickup_point,
        departure_at=booking.departure_at,
        arrival_at=booking.arrival_at,
        seats=booking.seats,
        cost_to_family=booking.cost_to_family,
        travel_documents=list(booking.travel_documents),
        route_id=booking.route.id,
        vehicle_id=booking.vehicle_id,
        escorted_convoy=booking.route.escorted_convoy,
        risk=booking.route.risk,
        lodging=booking.lodging,
        seat_status=seat_status(row.status),
    )


def _cancel(ctx: Context, which: ColumnElement[bool], reason: str) -> list[Event]:
    """Give back the seats of the matching bookings that hold any."""
    query = select(BookingRow).where(which, col(BookingRow.status).in_(HOLDING))
    events: list[Event] = []
    for row in ctx.session.exec(query).all():
        row.status, row.reason = Status.CANCELLED, reason
        ctx.session.add(row)
        events.append(
            BookingCancelled(
                family_unit_id=row.family_unit_id,
                booking_id=row.id,
                reason=reason,
                seat_status=seat_status(row.status),
            )
        )
    ctx.session.flush()
    return events


def handlers(routes: Routes = ROUTES) -> Handlers:
    book = partial(book_family, routes=routes)
    return {
        Scheduled: book,
        Rescheduled: book,
        ScheduleCancelled: cancel_booking,
        RecordDeparture: reports.record_departure,
        ReportDelay: reports.report_delay,
        ReportMissedPickup: reports.report_missed_pickup,
        RecordArrival: reports.record_arrival,
    }


HANDLERS: Handlers = handlers()
