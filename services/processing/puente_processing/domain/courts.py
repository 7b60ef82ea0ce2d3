"""EOIR immigration courts, and the rule that a case goes to the court nearest the family's
destination (DOMAIN.md, "active": "the immigration court nearest where the person will live").

Only non-detained courts are listed: a paroled family is not detained, so detained-docket
courts (Otay Mesa, Adelanto, Krome, Port Isabel and the like) never hear its case.
Coordinates are approximate city centres (degrees), enough to tell which court is nearest;
they are not court addresses. "Arlington" is the court EOIR ran in Arlington, Virginia for the
Washington area (it has since moved to Annandale and Sterling); keep this list in step with
EOIR's published list of immigration courts.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from puente_schemas.places import Place, distance_km


@dataclass(frozen=True)
class Court:
    id: str
    name: str
    place: Place


def _court(court_id: str, city: str, latitude: float, longitude: float) -> Court:
    return Court(court_id, f"{city} Immigration Court", Place(city, "US", latitude, longitude))


COURTS: tuple[Court, ...] = (
    _court("arlington", "Arlington", 38.88, -77.10),
    _court("atlanta", "Atlanta", 33.75, -84.39),
    _court("baltimore", "Baltimore", 39.29, -76.61),
    _court("boston", "Boston", 42.36, -71.06),
    _court("buffalo", "Buffalo", 42.89, -78.88),
    _court("charlotte", "Charlotte", 35.23, -80.84),
    _court("chicago", "Chicago", 41.88, -87.63),
    _court("cleveland", "Cleveland", 41.50, -81.69),
    _court("concord", "Concord", 37.98, -122.03),
    _court("dallas", "Dallas", 32.78, -96.80),
    _court("denver", "Denver", 39.74, -104.99),
    _court("detroit", "Detroit", 42.33, -83.05),
    _court("el-paso", "El Paso", 31.76, -106.49),
    _court("fort-snelling", "Fort Snelling", 44.86, -93.29),
    _court("harlingen", "Harlingen", 26.19, -97.70),
    _court("hartford", "Hartford", 41.76, -72.67),
    _court("honolulu", "Honolulu", 21.31, -157.86),
    _court("houston", "Houston", 29.76, -95.37),
    _court("hyattsville", "Hyattsville", 38.96, -76.95),
    _court("imperial", "Imperial", 32.85, -115.57),
    _court("kansas-city", "Kansas City", 39.10, -94.58),
    _court("las-vegas", "Las Vegas", 36.17, -115.14),
    _court("los-angeles", "Los Angeles", 34.05, -118.24),
    _court("memphis", "Memphis", 35.15, -90.05),
    _court("miami", "Miami", 25.77, -80.19),
    _court("new-orleans", "New Orleans", 29.95, -90.07),
    _court("new-york-broadway", "New York - Broadway", 40.71, -74.01),
    _court("newark", "Newark", 40.74, -74.17),
    _court("omaha", "Omaha", 41.26, -95.94),
    _court("orlando", "Orlando", 28.54, -81.38),
    _court("philadelphia", "Philadelphia", 39.95, -75.17),
    _court("phoenix", "Phoenix", 33.45, -112.07),
    _court("portland", "Portland", 45.52, -122.68),
    _court("sacramento", "Sacramento", 38.58, -121.49),
    _court("salt-lake-city", "Salt Lake City", 40.76, -111.89),
    _court("san-antonio", "San Antonio", 29.42, -98.49),
    _court("san-diego", "San Diego", 32.72, -117.16),
    _court("san-francisco", "San Francisco", 37.79, -122.40),
    _court("san-juan", "San Juan", 18.47, -66.11),
    _court("seattle", "Seattle", 47.61, -122.33),
    _court("tucson", "Tucson", 32.22, -110.97),
)
COURTS_BY_ID = {court.id: court for court in COURTS}


@functools.lru_cache(maxsize=4096)
def nearest_court(destination: Place, courts: tuple[Court, ...] = COURTS) -> Court:
    """The court nearest `destination`; of two equally near, the first by id (deterministic).
    Destinations repeat (a few hundred cities and shelters), so answers are remembered."""
    return min(courts, key=lambda court: (distance_km(destination, court.place), court.id))
