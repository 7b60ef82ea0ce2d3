"""Processing sites and the scheduling policy as data, and the day arithmetic they imply.

A site is a port of entry or a US consulate. Capacity, open weekdays and status are
scheduling's own data, changed by policy; coordinates come from the shared geography.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from puente_schemas.common import CaseCategory
from puente_schemas.places import SITE_PLACES, Place, city, distance_km

PORT = "port"
CONSULATE = "consulate"
ROAD_SPEED_KMH = 50.0
# A consulate is offered only to families this far from every open port (Mexico City is
# about 740 km from the nearest port, Tapachula 1,340 km; Hermosillo 250 km from Nogales).
FAR_FROM_BORDER_KM = 600.0
EVERY_DAY = frozenset(range(7))
WEEKDAYS = frozenset(range(5))


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    kind: str
    latitude: float
    longitude: float
    capacity_per_day: int
    open_weekdays: frozenset[int] = EVERY_DAY
    open: bool = True
    opens_at_hour: int = 8

    def opens_on(self, day: dt.date) -> bool:
        return self.open and day.weekday() in self.open_weekdays

    def start(self, day: dt.date) -> dt.datetime:
        """When the site starts processing on `day`: the appointment time of that day."""
        return dt.datetime.combine(day, dt.time(self.opens_at_hour), tzinfo=dt.UTC)


def site(
    site_id: str,
    capacity: int,
    *,
    open: bool = True,
    weekdays: frozenset[int] = EVERY_DAY,
) -> Site:
    """A site at its place in the shared geography."""
    place = SITE_PLACES[site_id]
    kind = CONSULATE if site_id.startswith("consulate-") else PORT
    return Site(
        site_id, place.name, kind, place.latitude, place.longitude, capacity, weekdays, open
    )


DEFAULT_SITES: tuple[Site, ...] = (
    site("san-ysidro", 120),
    site("calexico", 60),
    site("nogales", 60, open=False),
    site("el-paso", 120),
    site("eagle-pass", 60),
    site("laredo", 80),
    site("hidalgo", 100),
    site("brownsville", 120),
    site("consulate-mexico-city", 40, weekdays=WEEKDAYS),
    site("consulate-monterrey", 30, weekdays=WEEKDAYS),
)


@dataclass(frozen=True)
class Policy:
    """What scheduling may book: eligible case categories, notice and horizon."""

    eligible: frozenset[CaseCategory] = field(default_factory=lambda: frozenset(CaseCategory))
    min_notice: dt.timedelta = dt.timedelta(hours=72)
    horizon: dt.timedelta = dt.timedelta(days=14)

    def admits(self, categories: Iterable[str]) -> bool:
        """A family goes forward when any member's category is eligible (the others go with
        it, never split); a family with no categorised case has nothing to wait for."""
        categories = set(categories)
        return not categories or bool(categories & self.eligible)

    def first_day(
        self, now: dt.datetime, site: Site, travel: dt.timedelta = dt.timedelta(0)
    ) -> dt.date:
        """The first day a family can be there: never sooner than the notice, nor than the
        journey takes."""
        limit = now + max(self.min_notice, travel)
        day = limit.date()
        return day if site.start(day) >= limit else day + dt.timedelta(days=1)

    def last_day(
        self, now: dt.datetime, site: Site, travel: dt.timedelta = dt.timedelta(0)
    ) -> dt.date:
        """The last day inside the booking horizon, which starts at the family's first
        possible moment (so a journey longer than the notice never shuts it out)."""
        limit = now + max(self.min_notice, travel) + self.horizon
        day = limit.date()
        return day if site.start(day) <= limit else day - dt.timedelta(days=1)


@lru_cache(maxsize=4096)
def _km(city_name: str, latitude: float, longitude: float) -> float | None:
    origin = city(city_name)
    if origin is None:
        return None
    return float(distance_km(origin, Place("", "", latitude, longitude)))


def km_to(city_name: str, site: Site) -> float | None:
    """Distance from a family's city to a site, or None for a city we do not know."""
    return _km(city_name.strip().casefold(), site.latitude, site.longitude)


def travel_time(city_name: str, site: Site) -> dt.timedelta:
    km = km_to(city_name, site)
    return dt.timedelta(hours=(km or 0.0) / ROAD_SPEED_KMH)


def nearest_site(city_name: str, people: int, sites: Iterable[Site]) -> Site | None:
    """The nearest open site whose day can hold the whole family.

    Consulates are offered only to families far from every open port. A family in a city we
    do not know (elsewhere in the region: no route starts there) gets no site: an appointment
    there would only fail transport and take a day from a family that can come.
    """
    if city(city_name) is None:
        return None
    fitting = [s for s in sites if s.open and s.capacity_per_day >= people]
    ports = [s for s in fitting if s.kind == PORT]
    nearest_port = min((km_to(city_name, s) or 0.0 for s in ports), default=float("inf"))
    candidates: Sequence[Site] = fitting if nearest_port > FAR_FROM_BORDER_KM else ports
    return min(candidates, key=lambda s: (km_to(city_name, s) or 0.0, s.id), default=None)
