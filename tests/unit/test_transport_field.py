"""Reports from the field: each invalid one is refused naming the problem."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from puente_schemas.common import FieldError
from puente_transport import field
from puente_transport.field import Status, Trip

T = dt.datetime(2026, 11, 30, 4, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
TRIP = Trip(
    booking_id="b1",
    family_unit_id="f1",
    site="hidalgo",
    status=Status.BOOKED,
    appointment_at=T + 4 * HOUR,
    departure_at=T,
    arrival_at=T + HOUR,
)
DEPARTED = dataclasses.replace(
    TRIP, status=Status.DEPARTED, departed_at=T, expected_arrival_at=T + HOUR
)


def error(name: str, message: str) -> list[FieldError]:
    return [FieldError(field=name, message=message)]


def depart(trip: Trip | None, family: str = "f1") -> list[FieldError]:
    return field.departure_errors(trip, booking_id="b1", family_unit_id=family)


def arrive(trip: Trip | None, site: str = "hidalgo", family: str = "f1") -> list[FieldError]:
    return field.arrival_errors(trip, booking_id="b1", family_unit_id=family, site=site)


def miss(trip: Trip | None, family: str = "f1") -> list[FieldError]:
    return field.missed_pickup_errors(trip, booking_id="b1", family_unit_id=family)


def delay(trip: Trip | None, minutes: int = 30, family: str = "f1") -> list[FieldError]:
    return field.delay_errors(trip, booking_id="b1", family_unit_id=family, delay_minutes=minutes)


@pytest.mark.parametrize("check", [depart, arrive, miss, delay])
def test_a_report_on_an_unknown_booking_is_refused(check):
    assert check(None) == error("booking_id", "no booking 'b1'")


@pytest.mark.parametrize("check", [depart, arrive, miss, delay])
def test_a_report_on_another_familys_booking_is_refused(check):
    trip = DEPARTED if check is delay else TRIP
    assert check(trip, family="f2") == error("family_unit_id", "the booking is another family's")


@pytest.mark.parametrize("check", [depart, arrive, miss, delay])
def test_a_report_on_a_cancelled_booking_is_refused(check):
    cancelled = dataclasses.replace(TRIP, status=Status.CANCELLED, reason="appointment moved")
    assert check(cancelled) == error("booking_id", "is cancelled: appointment moved")


@pytest.mark.parametrize("status", [Status.MISSED, Status.LATE])
def test_a_report_on_a_closed_booking_is_refused(status):
    closed = dataclasses.replace(TRIP, status=status, reason="missed pick-up")
    assert arrive(closed) == error("booking_id", "is closed: missed pick-up")


def test_departure_is_recorded_once():
    assert depart(TRIP) == []
    assert depart(DEPARTED) == error("booking_id", "already left 2026-11-30 04:00 UTC")


def test_arrival_at_a_site_that_is_not_the_bookings_is_refused():
    assert arrive(TRIP, site="brownsville") == error(
        "site", "the booking goes to hidalgo, not brownsville"
    )


def test_arrival_is_recorded_once_and_needs_no_recorded_departure():
    assert arrive(TRIP) == [] and arrive(DEPARTED) == []
    arrived = dataclasses.replace(DEPARTED, status=Status.ARRIVED, arrived_at=T + HOUR)
    assert arrive(arrived) == error("booking_id", "already arrived 2026-11-30 05:00 UTC")
    assert depart(arrived) == error("booking_id", "already left 2026-11-30 04:00 UTC")


def test_a_negative_delay_is_refused():
    assert delay(DEPARTED, minutes=-5) == error("delay_minutes", "must not be negative")


def test_a_negative_delay_on_an_unknown_booking_names_both_problems():
    assert delay(None, minutes=-5) == [
        *error("delay_minutes", "must not be negative"),
        *error("booking_id", "no booking 'b1'"),
    ]


def test_a_delay_before_departure_is_refused():
    assert delay(TRIP) == error(
        "booking_id", "has not left yet (booked): report the departure when it leaves"
    )


def test_a_missed_pick_up_after_the_family_left_is_refused():
    assert miss(TRIP) == []
    assert miss(DEPARTED) == error("booking_id", "the family was picked up: departed")


def test_the_vehicle_takes_as_long_as_planned_from_when_it_really_left():
    assert field.expected_arrival(TRIP, T + 30 * dt.timedelta(minutes=1)) == T + 90 * (HOUR / 60)


def test_a_delay_is_late_only_when_it_brings_arrival_after_the_appointment():
    assert field.delayed(DEPARTED, 180) == (T + 4 * HOUR, False)  # into the margin: recorded
    assert field.delayed(DEPARTED, 181) == (T + 4 * HOUR + HOUR / 60, True)
