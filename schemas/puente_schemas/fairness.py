"""The fairness audit (DOMAIN.md rule 2; issue 3, items 11 and 14): the one rule the scheduler
is held to, and that anyone holding the published appointments can recompute.

An **inversion** is a family enrolled later (by the fair key, `order.queue_key`), at the same
site, given an earlier day while the other was already in that line, without a granted
expedite. Precisely, a pair of appointments (`ahead`, `behind`) such that:
  1. both are at the same site, and `behind`'s day is earlier than `ahead`'s (the same day is
     never an inversion);
  2. `behind` had no granted expedite when it was decided: none, or one granted after its
     `decided_at` (a later grant cannot explain an earlier decision);
  3. `ahead` was already in that site's line when `behind` was decided:
     `ahead.queued_at <= behind.decided_at`;
  4. `ahead` was ahead of `behind` by the fair key as it stood at that moment: `ahead`'s
     expedite counts only if granted by `behind.decided_at`.
A family that joined the line after the decision (registered late, became eligible, was moved
by a closure or a failed journey) explains its later day by condition 3. The scheduler makes
the audit empty by construction; `inversions` lists whatever breaks it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from puente_schemas.order import Key, queue_key

__all__ = ["Appointment", "Inversion", "inversions"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Appointment:
    """One appointment as the audit sees it: its site and day, when it was decided, and the
    family's place in line (`events.QueuePlace`, with the family id that breaks exact ties)."""

    appointment_id: str
    family_unit_id: str
    site: str
    day: dt.date
    decided_at: dt.datetime
    earliest_enrollment: dt.date | None
    registered_at: dt.datetime
    expedite_granted_at: dt.datetime | None
    queued_at: dt.datetime

    def key_at(self, moment: dt.datetime | None) -> Key:
        """The place in line as it stood at `moment`: an expedite counts from its grant on;
        with no moment, not at all."""
        granted = self.expedite_granted_at
        counted = moment is not None and granted is not None and granted <= moment
        return queue_key(
            family_unit_id=self.family_unit_id,
            earliest_enrollment=self.earliest_enrollment,
            registered_at=self.registered_at,
            expedite_granted_at=granted if counted else None,
        )

    @property
    def expedited_when_decided(self) -> bool:
        granted = self.expedite_granted_at
        return granted is not None and granted <= self.decided_at


@dataclass(frozen=True, slots=True)
class Inversion:
    """`behind` was given an earlier day than `ahead`, who was ahead of it in line."""

    ahead: Appointment
    behind: Appointment


def inversions(appointments: Iterable[Appointment]) -> list[Inversion]:
    """Every inversion, site by site, in line order of the family behind, then of the one
    ahead. A sweep over time finds, in O(n log n), the appointments some family ahead of them
    had a later day than; only those are compared pair by pair, to name who was ahead."""
    by_site: dict[str, list[Appointment]] = defaultdict(list)
    for appointment in appointments:
        by_site[appointment.site].append(appointment)
    found = [
        Inversion(ahead, behind)
        for line in by_site.values()
        for behind in _overtaking(line)
        for ahead in line
        if _inverted(ahead, behind)
    ]
    return sorted(found, key=_reading_order)


def _inverted(ahead: Appointment, behind: Appointment) -> bool:
    moment = behind.decided_at
    return (
        ahead.site == behind.site
        and behind.day < ahead.day
        and not behind.expedited_when_decided
        and ahead.queued_at <= moment
        and ahead.key_at(moment) < behind.key_at(moment)
    )


def _reading_order(inversion: Inversion) -> tuple[str, Key, Key]:
    moment = inversion.behind.decided_at
    return (inversion.behind.site, inversion.behind.key_at(moment), inversion.ahead.key_at(moment))


# At one instant, families join the line and grants count before any decision is checked
# (conditions 3 and 4 compare with `<=`).
_JOINS, _GRANTED, _DECIDED = 0, 1, 2


def _overtaking(line: Sequence[Appointment]) -> list[Appointment]:
    """The appointments of one site that some family ahead in line, when they were decided,
    had a later day than. Time is swept in order: a family enters the line when it joins it
    (and, once its expedite counts, the expedited front of it); each decision without an
    expedite asks for the latest day among those ahead of it."""
    ranks = _regular_ranks(line)
    moments: list[tuple[dt.datetime, int, int]] = []
    for index, appointment in enumerate(line):
        moments.append((appointment.queued_at, _JOINS, index))
        granted = appointment.expedite_granted_at
        if granted is not None:
            moments.append((max(appointment.queued_at, granted), _GRANTED, index))
        if not appointment.expedited_when_decided:
            moments.append((appointment.decided_at, _DECIDED, index))
    latest_regular = _PrefixMax(len(line))
    latest_expedited = 0
    found: list[Appointment] = []
    for _, kind, index in sorted(moments):
        day = line[index].day.toordinal()
        if kind == _JOINS:
            latest_regular.raise_to(ranks[index], day)
        elif kind == _GRANTED:
            latest_expedited = max(latest_expedited, day)
        elif max(latest_expedited, latest_regular.upto(ranks[index] - 1)) > day:
            found.append(line[index])
    return found


def _regular_ranks(line: Sequence[Appointment]) -> list[int]:
    """Each appointment's rank (from 1) in key order without expedites."""
    ranks = [0] * len(line)
    ordered = sorted(range(len(line)), key=lambda index: line[index].key_at(None))
    for rank, index in enumerate(ordered, 1):
        ranks[index] = rank
    return ranks


class _PrefixMax:
    """A Fenwick tree answering: the largest value among positions 1..i."""

    def __init__(self, size: int) -> None:
        self._tree = [0] * (size + 1)

    def raise_to(self, position: int, value: int) -> None:
        while position < len(self._tree):
            self._tree[position] = max(self._tree[position], value)
            position += position & -position

    def upto(self, position: int) -> int:
        best = 0
        while position > 0:
            best = max(best, self._tree[position])
            position -= position & -position
        return best
