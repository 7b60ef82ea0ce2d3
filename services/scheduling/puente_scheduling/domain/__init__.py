"""Scheduling rules: sites, the fair queue and the passes that book it.

Pure: no I/O and no clock (time is passed in). A family is never split: one site and one day
for all its members, and no day is booked beyond its capacity. Nobody is asked to travel
sooner than the minimum notice, nor booked beyond the horizon. The fairness audit the plan
is held to (and anyone can recompute from its events) is `puente_schemas.fairness`.
"""

from puente_scheduling.domain.changes import Changes, FamilyChange, Notice
from puente_scheduling.domain.plan import (
    MAX_TRANSPORT_FAILURES,
    Arrival,
    NoRoom,
    Plan,
    SchedulingError,
    SiteClosed,
)
from puente_scheduling.domain.policy import policy_errors
from puente_scheduling.domain.queue import Appointment, Family, Key, Status, queue_key
from puente_scheduling.domain.sites import (
    CONSULATE,
    DEFAULT_SITES,
    FAR_FROM_BORDER_KM,
    PORT,
    Policy,
    Site,
    nearest_site,
    site,
    travel_time,
)

__all__ = [
    "CONSULATE",
    "DEFAULT_SITES",
    "FAR_FROM_BORDER_KM",
    "MAX_TRANSPORT_FAILURES",
    "PORT",
    "Appointment",
    "Arrival",
    "Changes",
    "Family",
    "FamilyChange",
    "Key",
    "NoRoom",
    "Notice",
    "Plan",
    "Policy",
    "SchedulingError",
    "Site",
    "SiteClosed",
    "Status",
    "nearest_site",
    "policy_errors",
    "queue_key",
    "site",
    "travel_time",
]
