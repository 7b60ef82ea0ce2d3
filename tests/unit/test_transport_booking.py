"""Booking a whole family: on time, on convoy days, no earlier than needed, or a clear reason."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from puente_transport import domain
from puente_transport.documents import APPOINTMENT_LETTER, CONVOY_PASS, TRANSIT_PERMIT
from puente_transport.routes import ROUTES, Risk

NOW = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)  # a Saturday
TUESDAY, FRIDAY = 1, 4


def at(day: int, hour: int = 8) -> dt.datetime:
    """A time in the days after NOW: day 30 is Monday 30 November."""
    return dt.datetime(2026, 11, 1, hour, tzinfo=dt.UTC) + dt.timedelta(days=day - 1)


def request(city: str, site: str, appointment_at: dt.datetime, **changes: object):
    values: dict[str, object] = {
        "family_unit_id": "f1",
        "appointment_id": "a1",
        "site": site,
        "appointment_at": appointment_at,
        "people": 3,
        "origin_city": city,
    }
    return domain.Request(**(values | changes))


def book(*requests: domain.Request, routes=ROUTES, now: dt.datetime = NOW) -> domain.Booking:
    ledger = domain.Ledger(routes)
    return [ledger.book(r, now=now) for r in requests][-1]


def with_timetable(city: str, site: str, **changes: object):
    """The route table with one route's timetable changed."""
    route = ROUTES[(city, site)]
    timetable = dataclasses.replace(route.timetable, **changes)
    return {**ROUTES, (city, site): dataclasses.replace(route, timetable=timetable)}


def test_a_short_trip_leaves_as_late_as_it_can_and_arrives_with_the_margin():
    booking = book(request("Tijuana", "san-ysidro", at(30, 8)))
    assert booking.arrival_at <= at(30, 8) - domain.SAFETY_MARGIN
    assert booking.departure_at == at(30, 4)  # the 06:00 vehicle would arrive 06:31, too late
    assert booking.route.risk is Risk.LOW and not booking.route.escorted_convoy
    assert booking.cost_to_family == 0
    assert booking.travel_documents == (APPOINTMENT_LETTER,)
    assert booking.route.pickup_point == "IOM pick-up point, Tijuana"
    assert booking.lodging is None


def test_a_city_name_is_matched_whatever_its_case_and_spacing():
    booking = book(request("  ciudad JUAREZ ", "el-paso", at(30)))
    assert booking.route.id == "ciudad-juarez--el-paso"


def test_a_high_risk_route_leaves_only_in_a_convoy_on_its_convoy_days():
    departures = {
        book(request("Hermosillo", "nogales", at(day, 8))).departure_at for day in range(33, 47)
    }
    assert {d.weekday() for d in departures} == {TUESDAY, FRIDAY}
    assert {d.hour for d in departures} == {13}


def test_the_latest_convoy_that_arrives_in_time_is_chosen():
    booking = book(request("Hermosillo", "nogales", at(5 + 30, 8)))  # Saturday 5 December
    assert booking.departure_at == at(4 + 30, 13)  # Friday's convoy, not Tuesday's
    assert booking.route.escorted_convoy and booking.route.risk is Risk.HIGH
    assert CONVOY_PASS in booking.travel_documents


def test_a_family_waiting_days_for_its_appointment_waits_in_safe_lodging():
    booking = book(request("Hermosillo", "nogales", at(3 + 30, 8)))  # Thursday 3 December
    assert booking.departure_at == at(1 + 30, 13)  # Tuesday's convoy
    assert booking.lodging == "IOM-arranged safe lodging in Nogales"


def test_no_convoy_in_time_when_the_last_one_left_before_the_family_could_be_told():
    with pytest.raises(
        domain.CannotBook, match=r"^no convoy in time: .* 2026-11-27 13:00 UTC"
    ) as failure:
        book(request("Hermosillo", "nogales", at(30, 8)))  # Monday: the last convoy was Friday
    # ...and scheduling learns the soonest a convoy can bring the family: Tuesday's, arriving
    # (with the safety margin) that evening
    route = ROUTES[("hermosillo", "nogales")]
    soonest = failure.value.earliest_arrival
    assert soonest is not None and soonest.date() == at(31).date()
    assert soonest == at(31, 13) + route.travel + domain.SAFETY_MARGIN


def test_no_departure_in_time_on_an_ordinary_route_told_too_late():
    with pytest.raises(domain.CannotBook, match=r"^no departure in time: "):
        book(request("Tijuana", "san-ysidro", at(28, 20)))  # tonight, the 16:00 bus is too soon


def test_a_crossing_of_states_needs_a_transit_permit_that_must_be_ready():
    monday_early = at(30, 3)
    appointment = at(31, 8)  # Tuesday: Monday's 13:00 convoy to Laredo is the one
    booking = book(
        request("Monterrey", "laredo", appointment), now=monday_early - dt.timedelta(days=1)
    )
    assert TRANSIT_PERMIT in booking.travel_documents
    with pytest.raises(domain.CannotBook, match=r"^documents not ready: the Mexican transit"):
        book(request("Monterrey", "laredo", appointment), now=monday_early)


def test_travel_inside_one_state_needs_no_transit_permit():
    assert TRANSIT_PERMIT not in book(request("Hermosillo", "nogales", at(33))).travel_documents
    assert TRANSIT_PERMIT in book(request("Tijuana", "nogales", at(33))).travel_documents


def test_a_family_larger_than_a_vehicle_is_never_split():
    routes = with_timetable("tijuana", "san-ysidro", seats_per_vehicle=8)
    with pytest.raises(domain.CannotBook, match=r"^no seat: a family of 9 does not fit"):
        book(request("Tijuana", "san-ysidro", at(30), people=9), routes=routes)


def test_the_next_vehicle_of_the_same_departure_is_used_before_an_earlier_departure():
    routes = with_timetable("tijuana", "san-ysidro", vehicles_per_departure=2, seats_per_vehicle=4)
    ledger = domain.Ledger(routes)
    first = ledger.book(request("Tijuana", "san-ysidro", at(30), people=3), now=NOW)
    second = ledger.book(
        request("Tijuana", "san-ysidro", at(30), people=2, family_unit_id="f2"), now=NOW
    )
    third = ledger.book(
        request("Tijuana", "san-ysidro", at(30), people=3, family_unit_id="f3"), now=NOW
    )
    assert first.vehicle_id.endswith("#1") and second.vehicle_id.endswith("#2")
    assert first.departure_at == second.departure_at == at(30, 4)
    assert third.departure_at == at(29, 20)  # the evening before: the 04:00 vehicles are full


def test_no_seat_when_every_vehicle_in_time_is_full():
    routes = with_timetable("hermosillo", "nogales", vehicles_per_departure=1, seats_per_vehicle=4)
    ledger = domain.Ledger(routes)
    first = ledger.book(request("Hermosillo", "nogales", at(33)), now=NOW)
    assert first.departure_at == at(31, 13)  # Tuesday; Friday's convoy has already left
    with pytest.raises(domain.CannotBook, match=r"^no seat: every vehicle from"):
        ledger.book(request("Hermosillo", "nogales", at(33), family_unit_id="f2"), now=NOW)


def test_unknown_city_and_unknown_site_are_named():
    with pytest.raises(domain.CannotBook, match=r"^unknown origin city 'Atlantis'"):
        book(request("Atlantis", "nogales", at(33)))
    with pytest.raises(domain.CannotBook, match=r"^unknown site 'tucson'"):
        book(request("Nogales", "tucson", at(33)))


def test_released_seats_can_be_booked_again():
    routes = with_timetable("tijuana", "san-ysidro", vehicles_per_departure=1, seats_per_vehicle=3)
    ledger = domain.Ledger(routes)
    first = ledger.book(request("Tijuana", "san-ysidro", at(30)), now=NOW)
    assert ledger.seats_taken(first.vehicle_id) == 3
    assert ledger.release("f1") == first.hold
    assert ledger.seats_taken(first.vehicle_id) == 0
    again = ledger.book(request("Tijuana", "san-ysidro", at(30), family_unit_id="f2"), now=NOW)
    assert again.vehicle_id == first.vehicle_id


def test_a_family_holding_seats_cannot_be_booked_twice():
    ledger = domain.Ledger()
    ledger.book(request("Tijuana", "san-ysidro", at(30)), now=NOW)
    with pytest.raises(ValueError, match="already holds seats"):
        ledger.book(request("Tijuana", "san-ysidro", at(31)), now=NOW)


def test_a_route_running_one_day_a_week_leaves_on_that_day():
    routes = with_timetable("tijuana", "san-ysidro", departure_hours=(4,), weekdays=frozenset({6}))
    booking = book(request("Tijuana", "san-ysidro", at(30)), routes=routes)
    assert booking.departure_at == at(29, 4)  # Sunday
