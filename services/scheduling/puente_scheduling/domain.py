"""Scheduling rules: which port, which day. Pure: no I/O.

A family is never split: it gets one site and one day for all its members, and a day's
capacity is never exceeded. Nobody is asked to travel sooner than the minimum notice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from puente_schemas.places import PORTS, Place, city, distance_km

ROAD_SPEED_KMH = 50.0
SEARCH_DAYS = 366


@dataclass(frozen=True)
class Site:
    id: str
    capacity_per_day: int
    open_weekdays: frozenset[int] = frozenset(range(7))
    opens_at_hour: int = 8
    open: bool = True

    @property
    def place(self) -> Place:
        return PORTS[self.id]


SITES = (
    Site("san-ysidro", 120),
    Site("calexico", 60),
    Site("nogales", 60, open=False),
    Site("el-paso", 120),
    Site("eagle-pass", 60),
    Site("laredo", 80),
    Site("hidalgo", 100),
    Site("brownsville", 120),
)


class NoCapacity(Exception):
    """No open site has room for the family within the search horizon."""


@dataclass(frozen=True)
class Slot:
    site: str
    at: dt.datetime


def travel_hours(origin_city: str, site: Site) -> float | None:
    origin = city(origin_city)
    return None if origin is None else distance_km(origin, site.place) / ROAD_SPEED_KMH


def choose_slot(
    *,
    people: int,
    origin_city: str,
    now: dt.datetime,
    min_notice: dt.timedelta,
    sites: tuple[Site, ...],
    booked: Mapping[tuple[str, dt.date], int],
) -> Slot:
    """The earliest day at the nearest open site with room for the whole family.

    Sites are tried nearest first; a farther site wins only by offering an earlier day.
    A family from an unknown place may go to any site.
    """
    best: Slot | None = None
    for site in sorted(
        (s for s in sites if s.open), key=lambda s: travel_hours(origin_city, s) or 0.0
    ):
        hours = travel_hours(origin_city, site) or 0.0
        earliest = now + max(min_notice, dt.timedelta(hours=hours))
        slot = _first_day(site, people, earliest, booked)
        if slot and (best is None or slot.at < best.at):
            best = slot
    if best is None:
        raise NoCapacity(f"no open site has room for {people} people")
    return best


def _first_day(
    site: Site, people: int, earliest: dt.datetime, booked: Mapping[tuple[str, dt.date], int]
) -> Slot | None:
    if people > site.capacity_per_day:
        return None
    day = earliest.date()
    for _ in range(SEARCH_DAYS):
        start = dt.datetime.combine(day, dt.time(site.opens_at_hour), tzinfo=dt.UTC)
        room = site.capacity_per_day - booked.get((site.id, day), 0)
        if start >= earliest and day.weekday() in site.open_weekdays and room >= people:
            return Slot(site.id, start)
        day += dt.timedelta(days=1)
    return None
