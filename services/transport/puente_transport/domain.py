"""Booking rules: the whole family on one vehicle that reaches the site at least two hours
before the appointment, leaving no earlier than needed, at no cost to the family.
Pure: no I/O, no clock (the time is passed in).

"No earlier than needed": the latest departure with room for the family is chosen, so nobody
waits at the border longer than the timetable forces. On a convoy route that may be days
before the appointment; the family then waits in lodging IOM arranges near the site (the
booking names it) rather than travel a dangerous road alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from puente_schemas.places import CITIES, SITE_PLACES, city

from puente_transport.documents import slowest, travel_documents
from puente_transport.routes import ROUTES, SITE_CITY, Route, Routes

SAFETY_MARGIN = dt.timedelta(hours=2)  # arrival comes at least this long before the appointment
PICKUP_NOTICE = dt.timedelta(hours=6)  # a family hears of its pick-up at least this early
LONGEST_WAIT = dt.timedelta(days=7)  # the earliest departure considered, before the latest
LODGING_AFTER = dt.timedelta(hours=12)  # a longer wait at the site is spent in safe lodging


class CannotBook(Exception):
    """The family cannot be booked; the message starts with the reason scheduling acts on.
    `earliest_arrival` is, when known, the soonest the family could be at the site."""

    def __init__(self, reason: str, *, earliest_arrival: dt.datetime | None = None) -> None:
        super().__init__(reason)
        self.earliest_arrival = earliest_arrival


@dataclass(frozen=True)
class Request:
    family_unit_id: str
    appointment_id: str
    site: str
    appointment_at: dt.datetime
    people: int
    origin_city: str


@dataclass(frozen=True)
class Booking:
    request: Request
    route: Route
    vehicle_id: str
    departure_at: dt.datetime
    arrival_at: dt.datetime
    travel_documents: tuple[str, ...]
    lodging: str | None
    cost_to_family: int = 0

    @property
    def seats(self) -> int:
        return self.request.people

    @property
    def hold(self) -> Hold:
        return Hold(self.request.family_unit_id, self.vehicle_id, self.seats)


def when(moment: dt.datetime) -> str:
    return f"{moment.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC"


def route_for(request: Request, routes: Routes = ROUTES) -> Route:
    origin = city(request.origin_city)
    if origin is None:
        raise CannotBook(f"unknown origin city {request.origin_city!r}: no route from there")
    if request.site not in SITE_PLACES:
        raise CannotBook(f"unknown site {request.site!r}")
    key = (origin.name.casefold(), request.site)
    if key not in routes:
        raise CannotBook(f"no route from {origin.name} to {request.site}")
    return routes[key]


def departures(
    route: Route, *, latest: dt.datetime, earliest: dt.datetime
) -> Iterator[dt.datetime]:
    """The times vehicles leave on this route between `earliest` and `latest`, latest first."""
    hours = sorted(set(route.timetable.departure_hours), reverse=True)
    day = latest.astimezone(dt.UTC).date()
    while day >= earliest.astimezone(dt.UTC).date():
        if day.weekday() in route.timetable.weekdays:
            for hour in hours:
                at = dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)
                if earliest <= at <= latest:
                    yield at
        day -= dt.timedelta(days=1)


def vehicles(route: Route, departure: dt.datetime) -> list[str]:
    """The vehicles leaving together at `departure`; a vehicle id names one vehicle-day."""
    stamp = f"{departure.astimezone(dt.UTC):%Y-%m-%dT%H%MZ}"
    count = route.timetable.vehicles_per_departure
    return [f"{route.id}@{stamp}#{number}" for number in range(1, count + 1)]


def search_window(request: Request, route: Route) -> tuple[dt.datetime, dt.datetime]:
    """The first and last departure times that may carry the family to its appointment."""
    assert route.travel is not None  # the route table is checked when it is loaded
    latest = request.appointment_at - SAFETY_MARGIN - route.travel
    return latest - LONGEST_WAIT, latest


def plan(
    request: Request, *, now: dt.datetime, route: Route, seats_taken: Callable[[str], int]
) -> Booking:
    """The latest departure with room for the whole family that arrives in time."""
    seats = route.timetable.seats_per_vehicle
    if request.people > seats:
        raise CannotBook(
            f"no seat: a family of {request.people} does not fit in one vehicle of {seats} "
            "seats, and a family is never split"
        )
    earliest, latest = search_window(request, route)
    window = list(departures(route, latest=latest, earliest=earliest))
    documents = travel_documents(route)
    try:
        for departure in _in_time(window, route=route, now=now, documents=documents):
            for vehicle in vehicles(route, departure):
                if seats_taken(vehicle) + request.people <= seats:
                    return _booking(request, route, vehicle, departure, documents)
    except CannotBook as failure:
        raise CannotBook(
            str(failure), earliest_arrival=earliest_arrival(route, now=now, documents=documents)
        ) from None
    raise CannotBook(
        f"no seat: every vehicle from {route.pickup_point} to {route.site} that arrives by "
        f"{when(request.appointment_at - SAFETY_MARGIN)} is full for a family of {request.people}",
        earliest_arrival=request.appointment_at + dt.timedelta(days=1),
    )


def earliest_arrival(
    route: Route, *, now: dt.datetime, documents: tuple[str, ...]
) -> dt.datetime | None:
    """When the family could at the soonest be at the site, margin included: the first
    departure it can be told of in time with its documents ready (so scheduling can pick a
    day a convoy can reach)."""
    assert route.travel is not None
    start = now + max(PICKUP_NOTICE, slowest(documents)[1])
    first = min(departures(route, latest=start + LONGEST_WAIT, earliest=start), default=None)
    return None if first is None else first + route.travel + SAFETY_MARGIN


def _in_time(
    window: list[dt.datetime], *, route: Route, now: dt.datetime, documents: tuple[str, ...]
) -> list[dt.datetime]:
    """The departures a family can still take: told in time, documents ready."""
    kind = "convoy" if route.escorted_convoy else "departure"
    if not window:
        raise CannotBook(
            f"no {kind} in time: none runs from {route.pickup_point} to {route.site} in the "
            "week before the appointment"
        )
    told = [d for d in window if d >= now + PICKUP_NOTICE]
    if not told:
        raise CannotBook(
            f"no {kind} in time: the last {kind} that arrives before the appointment leaves "
            f"{when(window[0])}, and a family is told of its pick-up {_hours(PICKUP_NOTICE)} h "
            f"ahead (now {when(now)})"
        )
    document, takes = slowest(documents)
    ready = [d for d in told if d >= now + takes]
    if not ready:
        raise CannotBook(
            f"documents not ready: the {document} takes {_hours(takes)} h to issue and the "
            f"last {kind} in time leaves {when(told[0])}"
        )
    return ready


def _booking(
    request: Request,
    route: Route,
    vehicle: str,
    departure: dt.datetime,
    documents: tuple[str, ...],
) -> Booking:
    assert route.travel is not None
    arrival = departure + route.travel
    lodging = None
    if request.appointment_at - arrival > LODGING_AFTER:
        lodging = f"IOM-arranged safe lodging in {CITIES[SITE_CITY[route.site]].name}"
    return Booking(
        request=request,
        route=route,
        vehicle_id=vehicle,
        departure_at=departure,
        arrival_at=arrival,
        travel_documents=documents,
        lodging=lodging,
    )


def _hours(span: dt.timedelta) -> int:
    return int(span.total_seconds() // 3600)


@dataclass(frozen=True)
class Hold:
    """Seats a family holds on one vehicle."""

    family_unit_id: str
    vehicle_id: str
    seats: int


class Ledger:
    """The seats held on each vehicle and the hold of each family: what one booking decision
    reads and changes. Seats are never oversold and a family holds seats on one vehicle."""

    def __init__(self, routes: Routes = ROUTES, holds: Iterable[Hold] = ()) -> None:
        self.routes = routes
        self._taken: dict[str, int] = defaultdict(int)
        self._held: dict[str, Hold] = {}
        for hold in holds:
            self._hold(hold)

    def seats_taken(self, vehicle_id: str) -> int:
        return self._taken.get(vehicle_id, 0)

    def held_by(self, family_unit_id: str) -> Hold | None:
        return self._held.get(family_unit_id)

    def book(self, request: Request, *, now: dt.datetime) -> Booking:
        """Book the family; a family that holds seats must release them first."""
        if request.family_unit_id in self._held:
            raise ValueError(f"family unit {request.family_unit_id} already holds seats")
        route = route_for(request, self.routes)
        booking = plan(request, now=now, route=route, seats_taken=self.seats_taken)
        self._hold(booking.hold)
        return booking

    def release(self, family_unit_id: str) -> Hold | None:
        hold = self._held.pop(family_unit_id, None)
        if hold is not None:
            self._taken[hold.vehicle_id] -= hold.seats
        return hold

    def _hold(self, hold: Hold) -> None:
        self._held[hold.family_unit_id] = hold
        self._taken[hold.vehicle_id] += hold.seats
