"""Shelters that receive released families, and which one expects a family.

A scheduled family is expected at the shelter nearest its processing site that has free beds
for every member: families are never split, and a shelter without room is passed over for the
next nearest. Beds are held from scheduling until the family's stay ends (`STAY` after it
arrives, or after release if the shelter never confirms the arrival): respite shelters host
families for a few days before onward travel; three days is this project's assumption.

A shelter sets its own number of beds. Cutting it below the beds already held keeps every
family already expected (nobody is turned away at the door) and stops new assignments until
enough families have left: free beds are never reported below zero.

The seed list is the partners we know of near each port; organisations keep the locations of
migrant shelters private, so coordinates are city centres, and bed counts are a starting
point that each shelter corrects with its first capacity update. Entries marked "placeholder"
stand for a partner not yet named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from puente_schemas.places import Place, distance_km

FOOD = "food"
MEDICAL = "medical"
MENTAL_HEALTH = "mental_health"
ONWARD_TRAVEL = "onward_travel"
STAY = dt.timedelta(hours=72)


@dataclass(frozen=True)
class Shelter:
    id: str
    name: str
    place: Place
    beds: int
    services: tuple[str, ...]
    held: int = 0

    @property
    def beds_free(self) -> int:
        return max(0, self.beds - self.held)


def _shelter(
    shelter_id: str,
    name: str,
    city: str,
    coordinates: tuple[float, float],
    beds: int,
    *services: str,
) -> Shelter:
    return Shelter(shelter_id, name, Place(city, "US", *coordinates), beds, services)


ALL = (FOOD, MEDICAL, MENTAL_HEALTH, ONWARD_TRAVEL)
SHELTERS: tuple[Shelter, ...] = (
    # San Ysidro
    _shelter(
        "jfs-san-diego",
        "Jewish Family Service of San Diego Migrant Family Shelter",
        "San Diego",
        (32.72, -117.10),
        120,
        *ALL,
    ),
    _shelter(
        "catholic-charities-san-diego",
        "Catholic Charities Diocese of San Diego",
        "San Diego",
        (32.76, -117.16),
        80,
        FOOD,
        MEDICAL,
        ONWARD_TRAVEL,
    ),
    # Calexico
    _shelter(
        "imperial-valley-welcome-center",
        "Imperial Valley welcome center (placeholder)",
        "El Centro",
        (32.79, -115.56),
        40,
        FOOD,
        ONWARD_TRAVEL,
    ),
    _shelter(
        "calexico-respite",
        "Calexico respite site (placeholder)",
        "Calexico",
        (32.68, -115.50),
        30,
        FOOD,
        MEDICAL,
    ),
    # Nogales
    _shelter(
        "casa-alitas",
        "Casa Alitas Welcome Center, Catholic Community Services of Southern Arizona",
        "Tucson",
        (32.22, -110.97),
        150,
        *ALL,
    ),
    _shelter(
        "nogales-respite",
        "Nogales respite site (placeholder)",
        "Nogales",
        (31.35, -110.93),
        30,
        FOOD,
        ONWARD_TRAVEL,
    ),
    _shelter(
        "phoenix-restoration-project",
        "Phoenix Restoration Project",
        "Phoenix",
        (33.45, -112.07),
        60,
        FOOD,
        ONWARD_TRAVEL,
    ),
    # El Paso
    _shelter("annunciation-house", "Annunciation House", "El Paso", (31.77, -106.48), 100, *ALL),
    _shelter(
        "casa-del-refugiado",
        "Casa del Refugiado, Annunciation House",
        "El Paso",
        (31.74, -106.40),
        200,
        FOOD,
        MEDICAL,
        ONWARD_TRAVEL,
    ),
    _shelter(
        "rescue-mission-el-paso",
        "Rescue Mission of El Paso",
        "El Paso",
        (31.79, -106.43),
        60,
        FOOD,
        MENTAL_HEALTH,
    ),
    # Eagle Pass
    _shelter(
        "mission-border-hope", "Mission: Border Hope", "Eagle Pass", (28.71, -100.49), 60, *ALL
    ),
    _shelter(
        "val-verde-humanitarian-coalition",
        "Val Verde Border Humanitarian Coalition",
        "Del Rio",
        (29.36, -100.90),
        50,
        FOOD,
        ONWARD_TRAVEL,
    ),
    # Laredo
    _shelter("holding-institute", "Holding Institute", "Laredo", (27.51, -99.51), 80, *ALL),
    _shelter(
        "catholic-charities-laredo",
        "Catholic Charities of the Diocese of Laredo",
        "Laredo",
        (27.53, -99.49),
        50,
        FOOD,
        MEDICAL,
        ONWARD_TRAVEL,
    ),
    # Hidalgo
    _shelter(
        "humanitarian-respite-center",
        "Catholic Charities Rio Grande Valley Humanitarian Respite Center",
        "McAllen",
        (26.20, -98.23),
        150,
        *ALL,
    ),
    _shelter(
        "loaves-and-fishes-rgv",
        "Loaves & Fishes of the Rio Grande Valley",
        "Harlingen",
        (26.19, -97.70),
        40,
        FOOD,
        ONWARD_TRAVEL,
    ),
    # Brownsville
    _shelter(
        "good-neighbor-settlement-house",
        "Good Neighbor Settlement House",
        "Brownsville",
        (25.92, -97.49),
        60,
        FOOD,
        MEDICAL,
        ONWARD_TRAVEL,
    ),
    _shelter("ozanam-center", "Ozanam Center", "Brownsville", (25.93, -97.47), 50, FOOD),
    _shelter(
        "la-posada-providencia",
        "La Posada Providencia",
        "San Benito",
        (26.13, -97.63),
        40,
        FOOD,
        MEDICAL,
        MENTAL_HEALTH,
    ),
    # Inland, for when the border shelters are full
    _shelter(
        "interfaith-welcome-coalition",
        "Interfaith Welcome Coalition",
        "San Antonio",
        (29.42, -98.49),
        80,
        FOOD,
        ONWARD_TRAVEL,
    ),
)


def choose_shelter(shelters: Iterable[Shelter], near: Place, people: int) -> Shelter | None:
    """The shelter nearest `near` with free beds for all `people`, or None when none has room.
    Of two equally near, the first by id, so the choice never depends on the order given."""
    with_room = [s for s in shelters if s.beds_free >= people]
    if not with_room:
        return None
    return min(with_room, key=lambda s: (distance_km(near, s.place), s.id))


def stay_ends(*, arrived_at: dt.datetime | None, released_at: dt.datetime) -> dt.datetime:
    """When the family's beds come free again."""
    return (arrived_at or released_at) + STAY
