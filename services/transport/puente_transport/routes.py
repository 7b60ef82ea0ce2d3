"""Routes from the cities where families wait to every processing site, as data.

Each route has a road distance (great circle times a road factor), a travel time, a risk
level, and a timetable: the hours vehicles leave, how many leave together, their seats and
the weekdays they run. A high-risk route runs only as an escorted convoy on the corridor's
convoy days (Tamaulipas, long Sonora roads, the long haul from the south and the interior).

The table is built from the shared geography and checked when this module is imported, so a
broken route (no travel time, no seats, no running day) stops the service at start with a
message naming it; `check_routes` runs the same check on any table a test builds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from puente_schemas.places import CITIES, SITE_PLACES, Place, distance_km

ROAD_FACTOR = 1.3  # roads are about 30 % longer than the great circle in northern Mexico
ROAD_SPEED_KMH = 60.0
BOARDING = dt.timedelta(minutes=30)  # boarding, checkpoints, the approach to the port
DRIVING_PER_DAY = dt.timedelta(hours=10)  # then the vehicle stops for the night...
NIGHT_STOP = dt.timedelta(hours=10)  # ...in IOM-arranged lodging: nobody drives at night
LOCAL_KM = 50.0  # a route shorter than this stays inside one metropolitan area
LONG_HAUL_KM = 1000.0
LONG_SONORA_KM = 250.0
EVERY_DAY = frozenset(range(7))
MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = range(5)


class Risk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class Timetable:
    """When vehicles leave (UTC hours, on `weekdays`), how many leave together, their seats."""

    departure_hours: tuple[int, ...]
    vehicles_per_departure: int
    seats_per_vehicle: int
    weekdays: frozenset[int] = EVERY_DAY

    @property
    def vehicles_per_day(self) -> int:
        return len(self.departure_hours) * self.vehicles_per_departure


@dataclass(frozen=True)
class Route:
    id: str
    city: str  # key of places.CITIES
    site: str  # key of places.SITE_PLACES
    distance_km: float
    travel: dt.timedelta | None  # None is invalid data: check_routes refuses it
    risk: Risk
    timetable: Timetable
    pickup_point: str
    crosses_states: bool

    @property
    def escorted_convoy(self) -> bool:
        """High-risk corridors are travelled only in an escorted convoy."""
        return self.risk is Risk.HIGH


Routes = Mapping[tuple[str, str], Route]


class InvalidRoutes(ValueError):
    """The route table is not usable; the message names every bad route."""


# Mexican state of each city, and the Mexican city on the other side of each site (where a
# family waits, if it must, before its appointment).
STATE = {
    "tijuana": "Baja California",
    "mexicali": "Baja California",
    "san luis rio colorado": "Sonora",
    "nogales": "Sonora",
    "hermosillo": "Sonora",
    "ciudad juarez": "Chihuahua",
    "piedras negras": "Coahuila",
    "nuevo laredo": "Tamaulipas",
    "reynosa": "Tamaulipas",
    "matamoros": "Tamaulipas",
    "monterrey": "Nuevo Leon",
    "mexico city": "Ciudad de Mexico",
    "tapachula": "Chiapas",
}
SITE_CITY = {
    "san-ysidro": "tijuana",
    "calexico": "mexicali",
    "nogales": "nogales",
    "el-paso": "ciudad juarez",
    "eagle-pass": "piedras negras",
    "laredo": "nuevo laredo",
    "hidalgo": "reynosa",
    "brownsville": "matamoros",
    "consulate-mexico-city": "mexico city",
    "consulate-monterrey": "monterrey",
}
CARTEL_STATES = frozenset({"Tamaulipas"})
WATCHFUL_STATES = frozenset({"Sonora", "Chihuahua", "Coahuila", "Nuevo Leon"})

EVERY_TWO_HOURS = tuple(range(4, 21, 2))
LOCAL_BUSES = Timetable(EVERY_TWO_HOURS, vehicles_per_departure=2, seats_per_vehicle=40)
REGIONAL_BUSES = Timetable(EVERY_TWO_HOURS, vehicles_per_departure=1, seats_per_vehicle=40)
# Escorted shuttles across a dangerous city to its bridge: several a day, every day.
ESCORTED_SHUTTLES = Timetable((4, 8, 12, 16), vehicles_per_departure=3, seats_per_vehicle=40)
# Convoys leave at 13:00 UTC (early morning in Mexico) to travel by daylight.
TAMAULIPAS_CONVOYS = Timetable((13,), 10, 45, frozenset({MONDAY, WEDNESDAY, FRIDAY}))
SONORA_CONVOYS = Timetable((13,), 6, 45, frozenset({TUESDAY, FRIDAY}))
LONG_HAUL_CONVOYS = Timetable((13,), 6, 45, frozenset({MONDAY, THURSDAY}))


def travel_time(road_km: float) -> dt.timedelta:
    """Driving at road speed, a night stop after each full day's driving, plus boarding."""
    driving = dt.timedelta(hours=road_km / ROAD_SPEED_KMH)
    nights = int(driving / DRIVING_PER_DAY)
    return BOARDING + driving + nights * NIGHT_STOP


def corridor(city: str, site: str, road_km: float) -> tuple[Risk, Timetable]:
    """The risk of a route and the service that runs on it, by the states it touches."""
    states = {STATE[city], STATE[SITE_CITY[site]]}
    if road_km >= LONG_HAUL_KM or city == "tapachula":
        return Risk.HIGH, LONG_HAUL_CONVOYS
    if "Sonora" in states and road_km >= LONG_SONORA_KM:
        return Risk.HIGH, SONORA_CONVOYS
    if states & CARTEL_STATES:
        return Risk.HIGH, ESCORTED_SHUTTLES if road_km < LOCAL_KM else TAMAULIPAS_CONVOYS
    if road_km < LOCAL_KM:
        return Risk.LOW, LOCAL_BUSES
    if states & WATCHFUL_STATES or road_km >= LONG_HAUL_KM / 2:
        return Risk.MEDIUM, REGIONAL_BUSES
    return Risk.LOW, REGIONAL_BUSES


def route_id(city: str, site: str) -> str:
    return f"{city.replace(' ', '-')}--{site}"


def build_route(city: str, site: str) -> Route:
    origin: Place = CITIES[city]
    road_km = round(distance_km(origin, SITE_PLACES[site]) * ROAD_FACTOR, 1)
    risk, timetable = corridor(city, site, road_km)
    return Route(
        id=route_id(city, site),
        city=city,
        site=site,
        distance_km=road_km,
        travel=travel_time(road_km),
        risk=risk,
        timetable=timetable,
        pickup_point=f"IOM pick-up point, {origin.name}",
        crosses_states=STATE[city] != STATE[SITE_CITY[site]],
    )


def build_routes() -> dict[tuple[str, str], Route]:
    """A route from every city to every site: scheduling may send a family to any of them."""
    return {(city, site): build_route(city, site) for city in CITIES for site in SITE_PLACES}


def route_problems(route: Route) -> list[str]:
    problems = []
    if route.travel is None or route.travel <= dt.timedelta(0):
        problems.append("has no travel time")
    if route.city not in CITIES:
        problems.append(f"starts in unknown city {route.city!r}")
    if route.site not in SITE_PLACES:
        problems.append(f"ends at unknown site {route.site!r}")
    if route.distance_km <= 0:
        problems.append("has no distance")
    table = route.timetable
    if not table.departure_hours or any(not 0 <= h <= 23 for h in table.departure_hours):
        problems.append("needs departure hours between 0 and 23")
    if not table.weekdays or not table.weekdays <= EVERY_DAY:
        problems.append("needs weekdays between 0 (Monday) and 6")
    if table.vehicles_per_departure < 1 or table.seats_per_vehicle < 1:
        problems.append("needs at least one vehicle with at least one seat")
    return problems


def check_routes(routes: Routes) -> Routes:
    """The table itself when every route is usable; InvalidRoutes naming each bad one if not."""
    problems = [
        f"route {route.id} {problem}"
        for route in routes.values()
        for problem in route_problems(route)
    ]
    problems += [
        f"route {route.id} is filed under {key}"
        for key, route in routes.items()
        if key != (route.city, route.site)
    ]
    if problems:
        raise InvalidRoutes("; ".join(problems))
    return routes


ROUTES: Routes = check_routes(build_routes())
