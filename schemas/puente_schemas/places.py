"""Reference geography every service shares: where families wait and where ports are.

Coordinates are approximate city centres (degrees). Capacity, hours and status of a site are
not geography: scheduling owns them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    name: str
    country: str
    latitude: float
    longitude: float


CITIES: dict[str, Place] = {
    p.name.casefold(): p
    for p in (
        Place("Tijuana", "MX", 32.53, -117.04),
        Place("Mexicali", "MX", 32.62, -115.45),
        Place("San Luis Rio Colorado", "MX", 32.46, -114.77),
        Place("Nogales", "MX", 31.31, -110.94),
        Place("Hermosillo", "MX", 29.07, -110.96),
        Place("Ciudad Juarez", "MX", 31.69, -106.42),
        Place("Piedras Negras", "MX", 28.70, -100.52),
        Place("Nuevo Laredo", "MX", 27.48, -99.52),
        Place("Reynosa", "MX", 26.09, -98.28),
        Place("Matamoros", "MX", 25.87, -97.50),
        Place("Monterrey", "MX", 25.69, -100.32),
        Place("Mexico City", "MX", 19.43, -99.13),
        Place("Tapachula", "MX", 14.91, -92.26),
    )
}

PORTS: dict[str, Place] = {
    "san-ysidro": Place("San Ysidro", "US", 32.54, -117.03),
    "calexico": Place("Calexico", "US", 32.67, -115.50),
    "nogales": Place("Nogales", "US", 31.34, -110.94),
    "el-paso": Place("El Paso", "US", 31.76, -106.45),
    "eagle-pass": Place("Eagle Pass", "US", 28.71, -100.50),
    "laredo": Place("Laredo", "US", 27.50, -99.50),
    "hidalgo": Place("Hidalgo", "US", 26.10, -98.26),
    "brownsville": Place("Brownsville", "US", 25.90, -97.50),
}

# US consulates that can process families far from the border (DOMAIN.md, rule 4).
CONSULATES: dict[str, Place] = {
    "consulate-mexico-city": Place("US Embassy Mexico City", "MX", 19.43, -99.17),
    "consulate-monterrey": Place("US Consulate General Monterrey", "MX", 25.67, -100.35),
}

# Every place that can process a family: the site ids scheduling and policies may name.
SITE_PLACES: dict[str, Place] = PORTS | CONSULATES

# How long processing at each site should take, check-in to the end of processing. The letter
# cites ports processing people in hours: Brownsville 2.5 h, Hidalgo 1-4 h, Progreso 2-4 h,
# Roma 1-2 h (DOMAIN.md, rule 5). Brownsville gets its own figure, Hidalgo the top of its
# range; Progreso and Roma are not Puente sites; the others take four hours, the top of the
# letter's "1-4 hours at several ports".
DEFAULT_PROCESSING_TARGET_HOURS = 4.0
PROCESSING_TARGET_HOURS: dict[str, float] = {
    site: {"brownsville": 2.5}.get(site, DEFAULT_PROCESSING_TARGET_HOURS) for site in SITE_PLACES
}


def city(name: str) -> Place | None:
    return CITIES.get(name.strip().casefold())


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))
