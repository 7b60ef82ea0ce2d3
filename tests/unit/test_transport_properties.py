"""Properties of booking over random families, appointments, routes and vehicle capacities:
nobody arrives late, nobody leaves earlier than needed, nobody holds two vehicles, no vehicle
is oversold, nobody pays, and seats given back can be booked again."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections import Counter

from hypothesis import assume, event, given, settings
from hypothesis import strategies as st
from puente_transport import domain
from puente_transport.documents import slowest
from puente_transport.routes import ROUTES, Route, Timetable

NOW = dt.datetime(2026, 11, 28, 12, 17, tzinfo=dt.UTC)
PAIRS = sorted(ROUTES)


@st.composite
def routes(draw: st.DrawFn) -> dict[tuple[str, str], Route]:
    """One to three routes of the real table, with random travel times and fleets."""
    keys = draw(st.lists(st.sampled_from(PAIRS), min_size=1, max_size=3, unique=True))
    table = {}
    for key in keys:
        timetable = Timetable(
            departure_hours=tuple(
                draw(st.lists(st.integers(0, 23), min_size=1, max_size=4, unique=True))
            ),
            vehicles_per_departure=draw(st.integers(1, 3)),
            seats_per_vehicle=draw(st.integers(1, 12)),
            weekdays=frozenset(draw(st.sets(st.integers(0, 6), min_size=1))),
        )
        travel = dt.timedelta(minutes=draw(st.integers(20, 4 * 24 * 60)))
        table[key] = dataclasses.replace(ROUTES[key], travel=travel, timetable=timetable)
    return table


def requests(
    table: dict[tuple[str, str], Route], *, soonest_day: int = 1
) -> st.SearchStrategy[domain.Request]:
    """Families asking for few distinct appointment times, so that they share vehicles."""

    def request(family: int, key: tuple[str, str], people: int, day: int, hour: int):
        appointment_at = dt.datetime.combine(NOW.date(), dt.time(hour), tzinfo=dt.UTC)
        return domain.Request(
            family_unit_id=f"f{family}",
            appointment_id=f"a{family}-{day}-{hour}",
            site=key[1],
            appointment_at=appointment_at + dt.timedelta(days=day),
            people=people,
            origin_city=key[0].upper(),
        )

    return st.builds(
        request,
        st.integers(0, 15),
        st.sampled_from(sorted(table)),
        st.integers(1, 8),
        st.integers(soonest_day, soonest_day + 14),
        st.sampled_from([8, 12, 16]),
    )


@st.composite
def worlds(draw: st.DrawFn):
    table = draw(routes())
    steps = draw(
        st.lists(
            st.tuples(st.sampled_from(["book", "cancel", "rebook"]), requests(table)),
            min_size=1,
            max_size=40,
        )
    )
    return table, steps


def check_on_time_and_free(booking: domain.Booking) -> None:
    request, route = booking.request, booking.route
    assert route.travel is not None
    assert booking.arrival_at + domain.SAFETY_MARGIN <= request.appointment_at
    assert booking.arrival_at == booking.departure_at + route.travel
    assert booking.departure_at >= NOW + domain.PICKUP_NOTICE
    assert booking.departure_at >= NOW + slowest(booking.travel_documents)[1]
    assert booking.departure_at.weekday() in route.timetable.weekdays
    assert booking.departure_at.hour in route.timetable.departure_hours
    assert booking.vehicle_id in domain.vehicles(route, booking.departure_at)
    assert booking.cost_to_family == 0


def check_no_earlier_than_needed(booking: domain.Booking, taken: Counter[str]) -> None:
    """Every later departure in the timetable that still arrived in time had no room."""
    request, route = booking.request, booking.route
    assert route.travel is not None
    latest = request.appointment_at - domain.SAFETY_MARGIN - route.travel
    later = booking.departure_at + dt.timedelta(hours=1)
    room = route.timetable.seats_per_vehicle - request.people
    while later <= latest:
        timetable = route.timetable
        if later.weekday() in timetable.weekdays and later.hour in timetable.departure_hours:
            assert all(taken[v] > room for v in domain.vehicles(route, later)), later
        later += dt.timedelta(hours=1)


def check_ledger(ledger: domain.Ledger, held: dict[str, domain.Booking]) -> Counter[str]:
    """Seats per vehicle are what the families hold, and never more than the vehicle has."""
    taken: Counter[str] = Counter()
    for booking in held.values():
        taken[booking.vehicle_id] += booking.seats
        assert ledger.held_by(booking.request.family_unit_id) == booking.hold
    for booking in held.values():
        assert ledger.seats_taken(booking.vehicle_id) == taken[booking.vehicle_id]
        assert taken[booking.vehicle_id] <= booking.route.timetable.seats_per_vehicle
    return taken


@settings(max_examples=300, deadline=None)
@given(worlds())
def test_bookings_are_on_time_free_one_per_family_and_never_oversold(world):
    table, steps = world
    ledger = domain.Ledger(table)
    held: dict[str, domain.Booking] = {}  # what the families hold, as the test saw it happen
    for step, request in steps:
        family = request.family_unit_id
        if step in ("cancel", "rebook") and family in held:
            assert ledger.release(family) == held.pop(family).hold
        if step == "cancel":
            continue
        taken = check_ledger(ledger, held)
        try:
            booking = ledger.book(request, now=NOW)
        except ValueError:
            assert family in held  # a family already holding seats is never booked twice
            continue
        except domain.CannotBook as reason:
            event(str(reason).split(":")[0])
            assert ledger.held_by(family) == held.get(family)
            continue
        event("booked")
        assert family not in held
        held[family] = booking
        check_on_time_and_free(booking)
        check_no_earlier_than_needed(booking, taken)
    check_ledger(ledger, held)


@settings(max_examples=200, deadline=None)
@given(routes(), st.data())
def test_seats_given_back_are_booked_again_no_earlier(table, data):
    """Fill the route, cancel one booking: the same family books again, no earlier."""
    ledger = domain.Ledger(table)
    bookings = []
    # Appointments far enough ahead that only a full vehicle can refuse a family.
    far = requests(table, soonest_day=12)
    for request in data.draw(st.lists(far, min_size=1, max_size=30)):
        if ledger.held_by(request.family_unit_id) is None:
            with contextlib.suppress(domain.CannotBook):
                bookings.append(ledger.book(request, now=NOW))
    assume(bookings)
    cancelled = data.draw(st.sampled_from(bookings))
    ledger.release(cancelled.request.family_unit_id)
    again = ledger.book(cancelled.request, now=NOW)
    assert again.departure_at >= cancelled.departure_at
    check_on_time_and_free(again)
