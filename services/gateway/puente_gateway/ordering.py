"""The fair queue's order, to count a waiting family's place in line: pure functions.

Key order (events.QueuePlace): granted expedites first, in order of grant; then the earliest
member's MPP enrollment date; then registration time. Families with no enrollment date (no
member in MPP) come after every dated one; the family id breaks the last ties so the order is
total.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from puente_schemas.order import Key, queue_key

__all__ = ["Place", "key"]


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
