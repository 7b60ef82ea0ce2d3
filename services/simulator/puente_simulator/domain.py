"""What the simulated people in the field do after each event, and when: pure functions.

Drivers report departures, port officers record arrivals, finish processing and release,
hotline operators make their call-backs. For demos, a small deterministic share of families
plays an unhappy case once: one family in `late_every` has a vehicle late enough to miss its
appointment, one in `missed_every` is not at the pick-up point (0 turns either off; a family
picked for both misses its pick-up). Either way transport fails and scheduling reschedules;
the new booking then goes well.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math

from puente_schemas import Event
from puente_schemas.commands import (
    Command,
    CompleteProcessing,
    RecordArrival,
    RecordCallback,
    RecordDeparture,
    ReleaseFamily,
    ReportDelay,
    ReportMissedPickup,
)
from puente_schemas.events import CallbackBooked, CheckedIn, Processed, TransportBooked

__all__ = [
    "LATE",
    "LATE_BY",
    "MISSED",
    "PROCESSING_TAKES",
    "RELEASE_TAKES",
    "TRANSPORT_COMMANDS",
    "Plan",
    "journey",
    "mishap_for",
    "plan",
]

PROCESSING_TAKES = dt.timedelta(hours=2)
RELEASE_TAKES = dt.timedelta(minutes=30)
LATE_BY = dt.timedelta(hours=1)  # a late vehicle arrives this long after the appointment
REACHED = "reached"  # what the hotline operator reports: the registrant answered
LATE, MISSED = "late", "missed"
TRANSPORT_COMMANDS = frozenset(
    model.TYPE for model in (RecordDeparture, RecordArrival, ReportDelay, ReportMissedPickup)
)

Plan = list[tuple[dt.datetime, Command]]


def mishap_for(family_unit_id: str, *, late_every: int, missed_every: int) -> str | None:
    """The unhappy case a family plays, chosen by a hash of its id: the same on every run."""
    number = int.from_bytes(hashlib.sha256(family_unit_id.encode()).digest()[:8], "big")
    if missed_every > 0 and number % missed_every == 0:
        return MISSED
    if late_every > 0 and number % late_every == 0:
        return LATE
    return None


def journey(
    event: TransportBooked, *, mishap: str | None = None, appointment_at: dt.datetime | None = None
) -> Plan:
    """The trip: departure then arrival; or nobody at the pick-up point; or a departure then,
    half-way, a delay that brings the vehicle in after the appointment (`appointment_at`)."""
    fid, booking = event.family_unit_id, event.booking_id
    if mishap == MISSED:
        return [(event.departure_at, ReportMissedPickup(family_unit_id=fid, booking_id=booking))]
    departure = (event.departure_at, RecordDeparture(family_unit_id=fid, booking_id=booking))
    if mishap == LATE:
        assert appointment_at is not None
        half_way = event.departure_at + (event.arrival_at - event.departure_at) / 2
        late = appointment_at - event.arrival_at + LATE_BY
        minutes = math.ceil(late / dt.timedelta(minutes=1))
        delay = ReportDelay(family_unit_id=fid, booking_id=booking, delay_minutes=minutes)
        return [departure, (half_way, delay)]
    arrival = RecordArrival(family_unit_id=fid, booking_id=booking, site=event.site)
    return [departure, (event.arrival_at, arrival)]


def plan(event: Event) -> Plan:
    """What someone at the port or on the hotline will do after this event, and when."""
    if isinstance(event, CheckedIn):
        done = CompleteProcessing(family_unit_id=event.family_unit_id)
        return [(event.checked_in_at + PROCESSING_TAKES, done)]
    if isinstance(event, Processed):
        release = ReleaseFamily(family_unit_id=event.family_unit_id)
        return [(event.processed_at + RELEASE_TAKES, release)]
    if isinstance(event, CallbackBooked):
        call = RecordCallback(
            family_unit_id=event.family_unit_id,
            callback_id=event.callback_id,
            operator=event.operator,
            outcome=REACHED,
        )
        return [(event.due_at, call)]
    if isinstance(event, TransportBooked):
        return journey(event)
    return []
