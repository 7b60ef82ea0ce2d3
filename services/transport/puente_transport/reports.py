"""Handlers of the field's reports: departure, delay, missed pick-up, arrival at the site.

A report the field module refuses is answered with TransportCommandRejected naming each
problem, and changes nothing.
"""

from __future__ import annotations

from puente_runtime import Context
from puente_schemas.commands import (
    Command,
    RecordArrival,
    RecordDeparture,
    ReportDelay,
    ReportMissedPickup,
)
from puente_schemas.common import FieldError
from puente_schemas.events import (
    ArrivedAtPort,
    Event,
    TransportCommandRejected,
    TransportDeparted,
    TransportFailed,
)

from puente_transport import field
from puente_transport.domain import when
from puente_transport.field import Status, Trip
from puente_transport.tables import BookingRow


def record_departure(command: RecordDeparture, ctx: Context) -> list[Event]:
    row, trip = _find(ctx, command.booking_id)
    errors = field.departure_errors(
        trip, booking_id=command.booking_id, family_unit_id=command.family_unit_id
    )
    if errors or row is None or trip is None:
        return [_rejected(command, command.family_unit_id, errors)]
    now = ctx.clock.now()
    row.status, row.departed_at = Status.DEPARTED, now
    row.expected_arrival_at = field.expected_arrival(trip, now)
    ctx.session.add(row)
    return [_departed(row)]


def report_delay(command: ReportDelay, ctx: Context) -> list[Event]:
    row, trip = _find(ctx, command.booking_id)
    errors = field.delay_errors(
        trip,
        booking_id=command.booking_id,
        family_unit_id=command.family_unit_id,
        delay_minutes=command.delay_minutes,
    )
    if errors or row is None or trip is None:
        return [_rejected(command, command.family_unit_id, errors)]
    row.expected_arrival_at, late = field.delayed(trip, command.delay_minutes)
    ctx.session.add(row)
    if not late:
        return [_departed(row)]
    row.status = Status.LATE
    row.reason = (
        f"vehicle late: expected {when(row.expected_arrival_at)}, "
        f"after the appointment at {when(row.appointment_at)}"
    )
    return [_failed(row)]


def report_missed_pickup(command: ReportMissedPickup, ctx: Context) -> list[Event]:
    row, trip = _find(ctx, command.booking_id)
    errors = field.missed_pickup_errors(
        trip, booking_id=command.booking_id, family_unit_id=command.family_unit_id
    )
    if errors or row is None or trip is None:
        return [_rejected(command, command.family_unit_id, errors)]
    row.status = Status.MISSED
    row.reason = f"missed pick-up: nobody came to {row.pickup_point} for {when(trip.departure_at)}"
    ctx.session.add(row)
    return [_failed(row)]


def record_arrival(command: RecordArrival, ctx: Context) -> list[Event]:
    row, trip = _find(ctx, command.booking_id)
    errors = field.arrival_errors(
        trip,
        booking_id=command.booking_id,
        family_unit_id=command.family_unit_id,
        site=command.site,
    )
    if errors or row is None:
        return [_rejected(command, command.family_unit_id, errors)]
    row.status, row.arrived_at = Status.ARRIVED, ctx.clock.now()
    ctx.session.add(row)
    return [
        ArrivedAtPort(
            family_unit_id=row.family_unit_id,
            booking_id=row.id,
            site=row.site,
            arrived_at=row.arrived_at,
            seat_status=field.seat_status(row.status),
        )
    ]


def _find(ctx: Context, booking_id: str) -> tuple[BookingRow | None, Trip | None]:
    """The booking the report names, if it ever held seats (a failed request never did)."""
    row = ctx.session.get(BookingRow, booking_id)
    if row is None or row.departure_at is None or row.arrival_at is None:
        return None, None
    trip = Trip(
        booking_id=row.id,
        family_unit_id=row.family_unit_id,
        site=row.site,
        status=Status(row.status),
        appointment_at=row.appointment_at,
        departure_at=row.departure_at,
        arrival_at=row.arrival_at,
        departed_at=row.departed_at,
        expected_arrival_at=row.expected_arrival_at,
        arrived_at=row.arrived_at,
        reason=row.reason,
    )
    return row, trip


def _departed(row: BookingRow) -> TransportDeparted:
    assert row.departed_at is not None and row.expected_arrival_at is not None
    return TransportDeparted(
        family_unit_id=row.family_unit_id,
        booking_id=row.id,
        departed_at=row.departed_at,
        expected_arrival_at=row.expected_arrival_at,
        seat_status=field.seat_status(row.status),
    )


def _failed(row: BookingRow) -> TransportFailed:
    return TransportFailed(
        family_unit_id=row.family_unit_id,
        appointment_id=row.appointment_id,
        reason=row.reason or "",
        booking_id=row.id,
        seat_status=field.seat_status(row.status),
    )


def _rejected(command: Command, family_unit_id: str, errors: list[FieldError]) -> Event:
    return TransportCommandRejected(
        command=command.TYPE, family_unit_id=family_unit_id, errors=errors
    )
