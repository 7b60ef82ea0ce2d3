"""The fairness audit: every inversion of the fair order among a site's appointments.

An inversion is a pair (A, B) at the same site where A was ahead of B in key order, B's
appointment day is earlier than A's, B has no granted expedite, and A was already in the
site's queue when B was given its appointment (A.queued_at <= B.decided_at). "Ahead" is
judged as it stood when B was decided: an expedite granted to A afterwards does not make
B's earlier appointment an inversion.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from puente_gateway.ordering import Place, key

__all__ = ["Booking", "inversions"]


@dataclass(frozen=True)
class Booking:
    appointment_id: str
    day: dt.date
    place: Place
    decided_at: dt.datetime


def inversions(
    bookings: Sequence[Booking], *, checked: Sequence[Booking]
) -> list[tuple[Booking, Booking]]:
    """Each (ahead, behind) pair where `behind` is one of `checked` and `ahead` any booking.

    Sorted by key, a fair plan has days that never go down, so the common case costs one
    comparison per booking; only a booking with a later day somewhere ahead is looked at
    pairwise.
    """
    ordered = sorted(bookings, key=lambda b: key(b.place))
    wanted = {id(b) for b in checked}
    found: list[tuple[Booking, Booking]] = []
    latest_ahead = dt.date.min
    for position, behind in enumerate(ordered):
        if id(behind) in wanted and latest_ahead > behind.day:
            found.extend((ahead, behind) for ahead in _ahead_of(ordered, position, behind))
        latest_ahead = max(latest_ahead, behind.day)
    return found


def _ahead_of(ordered: Sequence[Booking], position: int, behind: Booking) -> list[Booking]:
    if behind.place.expedite_granted_at is not None:
        return []
    behind_key = key(behind.place)
    return [
        ahead
        for ahead in ordered[:position]
        if ahead.day > behind.day
        and ahead.place.queued_at <= behind.decided_at
        and key(ahead.place, granted_by=behind.decided_at) < behind_key
    ]
