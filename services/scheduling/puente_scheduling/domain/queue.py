"""Families in the fair queue, their place in line, and their appointments.

The order is `puente_schemas.order.queue_key`, shared with whoever audits it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from puente_schemas.order import Key, queue_key

__all__ = ["Appointment", "Family", "Key", "Snapshot", "Status", "queue_key"]


class Status(StrEnum):
    HELD = "held"  # no member's case category is eligible yet (wind-down phase)
    WAITING = "waiting"  # in a site's queue; no site when no open site can hold it
    SCHEDULED = "scheduled"
    PAUSED = "paused"  # transport failed again and again: waits for a new location
    AWAY = "away"  # inside the US: the court-transfer path, never queued


@dataclass(frozen=True, slots=True)
class Appointment:
    id: str
    site: str
    day: dt.date
    at: dt.datetime
    people: int
    decided_at: dt.datetime


@dataclass(slots=True)
class Family:
    id: str
    people: int
    city: str
    country: str
    categories: frozenset[str]
    earliest_enrollment: dt.date | None
    registered_at: dt.datetime
    queued_at: dt.datetime
    expedite_granted_at: dt.datetime | None = None
    status: Status = Status.HELD
    site: str | None = None
    appointment: Appointment | None = None
    transport_failures: int = 0
    not_before: dt.datetime | None = None  # transport said it cannot be at a site sooner
    estimate: dt.date | None = None  # the estimated day last announced, while it waits
    ticket: int = 0  # which queue entry is current (older ones are left behind in the heap)

    @property
    def key(self) -> Key:
        return queue_key(
            family_unit_id=self.id,
            earliest_enrollment=self.earliest_enrollment,
            registered_at=self.registered_at,
            expedite_granted_at=self.expedite_granted_at,
        )

    @property
    def inside_us(self) -> bool:
        return self.country == "US"

    @property
    def expedited(self) -> bool:
        return self.expedite_granted_at is not None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What others could see of a family before an operation touched it."""

    status: Status | None
    site: str | None
    appointment: Appointment | None
    place: tuple[int, dt.datetime | None, dt.datetime] | None  # people, expedite, queued at
    estimate: dt.date | None = None

    @classmethod
    def of(cls, family: Family | None) -> Snapshot:
        if family is None:
            return cls(None, None, None, None)
        place = (family.people, family.expedite_granted_at, family.queued_at)
        return cls(family.status, family.site, family.appointment, place, family.estimate)
