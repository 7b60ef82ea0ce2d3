"""The fair queue's order and the estimate of a waiting family's date: pure functions.

Key order (events.QueuePlace): granted expedites first, in order of grant; then the earliest
member's MPP enrollment date; then registration time. Families with no enrollment date (no
member in MPP) come after every dated one; the family id breaks the last ties so the order is
total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from puente_schemas.order import Key, queue_key

__all__ = ["Place", "Site", "estimate_day", "key"]


@dataclass(frozen=True)
class Place:
    family_unit_id: str
    earliest_enrollment: dt.date | None
    registered_at: dt.datetime
    expedite_granted_at: dt.datetime | None
    queued_at: dt.datetime


def key(place: Place) -> Key:
    return queue_key(
        family_unit_id=place.family_unit_id,
        earliest_enrollment=place.earliest_enrollment,
        registered_at=place.registered_at,
        expedite_granted_at=place.expedite_granted_at,
    )


@dataclass(frozen=True)
class Site:
    capacity_per_day: int
    open_weekdays: frozenset[int]  # Monday is 0, as datetime.date.weekday()
    open: bool


def estimate_day(
    site: Site,
    *,
    booked: Mapping[dt.date, int],
    ahead: Sequence[int],
    people: int,
    earliest: dt.date,
) -> dt.date | None:
    """The first day the family would fit if every family ahead (their sizes, in order) were
    booked first, from the last booked day on, never sooner than `earliest`, never splitting a
    family, never over capacity. None when the site cannot take the family at all."""
    capacity = site.capacity_per_day
    if not site.open or capacity <= 0 or not site.open_weekdays or people > capacity:
        return None
    day = max([earliest, *booked])
    free = capacity - booked.get(day, 0)
    for size in [*(size for size in ahead if size <= capacity), people]:
        while day.weekday() not in site.open_weekdays or size > free:
            day += dt.timedelta(days=1)
            free = capacity - booked.get(day, 0)
        free -= size
    return day
