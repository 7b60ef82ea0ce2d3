"""What the transport operator and port officers report from the field, and when a report is
refused: the booking must exist, be the family's, be still open, and be at the step the report
speaks of. Pure: the booking's state and the time are passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from puente_schemas.common import FieldError, SeatStatus

from puente_transport.domain import when


class Status(StrEnum):
    BOOKED = "booked"
    DEPARTED = "departed"
    ARRIVED = "arrived"
    CANCELLED = "cancelled"  # the appointment was moved or cancelled: seats given back
    FAILED = "failed"  # no booking could be made; no seats were ever held
    MISSED = "missed"  # the family was not at the pick-up point: seats given back
    LATE = "late"  # the vehicle would reach the site after the appointment


HOLDING = (Status.BOOKED, Status.DEPARTED)  # the statuses in which seats are held
# What each status means for the family's seats, as transport publishes it.
SEATS: Mapping[Status, SeatStatus] = {
    Status.BOOKED: SeatStatus.BOOKED,
    Status.DEPARTED: SeatStatus.DEPARTED,
    Status.ARRIVED: SeatStatus.ARRIVED,
    Status.CANCELLED: SeatStatus.CANCELLED,
    Status.MISSED: SeatStatus.FAILED,
    Status.LATE: SeatStatus.FAILED,
}


def seat_status(status: str) -> SeatStatus | None:
    """None for a request that never held seats (no booking could be made)."""
    return SEATS.get(Status(status))


@dataclass(frozen=True)
class Trip:
    """One booking as the field sees it."""

    booking_id: str
    family_unit_id: str
    site: str
    status: Status
    appointment_at: dt.datetime
    departure_at: dt.datetime
    arrival_at: dt.datetime
    departed_at: dt.datetime | None = None
    expected_arrival_at: dt.datetime | None = None
    arrived_at: dt.datetime | None = None
    reason: str | None = None


def _open_trip(trip: Trip | None, booking_id: str, family_unit_id: str) -> list[FieldError]:
    """The booking exists, is this family's and still open; else what is wrong with it."""
    if trip is None:
        return [FieldError(field="booking_id", message=f"no booking {booking_id!r}")]
    if trip.family_unit_id != family_unit_id:
        return [FieldError(field="family_unit_id", message="the booking is another family's")]
    if trip.status is Status.CANCELLED:
        return [FieldError(field="booking_id", message=f"is cancelled: {trip.reason}")]
    if trip.status in (Status.FAILED, Status.MISSED, Status.LATE):
        return [FieldError(field="booking_id", message=f"is closed: {trip.reason}")]
    return []


def departure_errors(
    trip: Trip | None, *, booking_id: str, family_unit_id: str
) -> list[FieldError]:
    errors = _open_trip(trip, booking_id, family_unit_id)
    if errors or trip is None:
        return errors
    if trip.departed_at is not None:
        return [FieldError(field="booking_id", message=f"already left {when(trip.departed_at)}")]
    if trip.arrived_at is not None:
        return [FieldError(field="booking_id", message=f"already arrived {when(trip.arrived_at)}")]
    return []


def arrival_errors(
    trip: Trip | None, *, booking_id: str, family_unit_id: str, site: str
) -> list[FieldError]:
    errors = _open_trip(trip, booking_id, family_unit_id)
    if errors or trip is None:
        return errors
    if trip.site != site:
        return [FieldError(field="site", message=f"the booking goes to {trip.site}, not {site}")]
    if trip.arrived_at is not None:
        return [FieldError(field="booking_id", message=f"already arrived {when(trip.arrived_at)}")]
    return []


def missed_pickup_errors(
    trip: Trip | None, *, booking_id: str, family_unit_id: str
) -> list[FieldError]:
    errors = _open_trip(trip, booking_id, family_unit_id)
    if errors or trip is None:
        return errors
    if trip.status is not Status.BOOKED:
        return [FieldError(field="booking_id", message=f"the family was picked up: {trip.status}")]
    return []


def delay_errors(
    trip: Trip | None, *, booking_id: str, family_unit_id: str, delay_minutes: int
) -> list[FieldError]:
    errors = []
    if delay_minutes < 0:
        errors.append(FieldError(field="delay_minutes", message="must not be negative"))
    errors += _open_trip(trip, booking_id, family_unit_id)
    if errors or trip is None:
        return errors
    if trip.status is not Status.DEPARTED:
        # Before departure a late vehicle is a late departure: RecordDeparture gives the time.
        message = f"has not left yet ({trip.status}): report the departure when it leaves"
        return [FieldError(field="booking_id", message=message)]
    return []


def expected_arrival(trip: Trip, departed_at: dt.datetime) -> dt.datetime:
    """A vehicle takes as long as planned from the moment it really left."""
    return departed_at + (trip.arrival_at - trip.departure_at)


def delayed(trip: Trip, delay_minutes: int) -> tuple[dt.datetime, bool]:
    """The new expected arrival, and whether it comes after the appointment."""
    assert trip.expected_arrival_at is not None
    expected = trip.expected_arrival_at + dt.timedelta(minutes=delay_minutes)
    return expected, expected > trip.appointment_at
