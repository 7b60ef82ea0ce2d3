"""Transport rules: a whole family on one journey that reaches the port before its
appointment with a safety margin, at no cost to the family. Pure: no I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from puente_schemas.places import PORTS, city, distance_km

ROAD_SPEED_KMH = 50.0
SAFETY_MARGIN = dt.timedelta(hours=2)
BORDER_ZONE_KM = 60.0


@dataclass(frozen=True)
class Journey:
    departure_at: dt.datetime
    arrival_at: dt.datetime
    pickup_point: str
    travel_documents: tuple[str, ...]


class CannotBook(Exception):
    """The journey cannot be planned; the message names why."""


def plan_journey(*, origin_city: str, site: str, appointment_at: dt.datetime) -> Journey:
    origin = city(origin_city)
    if origin is None:
        raise CannotBook(f"no route from unknown city {origin_city!r}")
    if site not in PORTS:
        raise CannotBook(f"unknown site {site!r}")
    km = distance_km(origin, PORTS[site])
    arrival = appointment_at - SAFETY_MARGIN
    departure = arrival - dt.timedelta(hours=km / ROAD_SPEED_KMH)
    documents = ["IOM travel letter"]
    if km > BORDER_ZONE_KM:
        documents.append("Mexican transit permit")
    return Journey(
        departure_at=departure,
        arrival_at=arrival,
        pickup_point=f"{origin.name} IOM pick-up point",
        travel_documents=tuple(documents),
    )
