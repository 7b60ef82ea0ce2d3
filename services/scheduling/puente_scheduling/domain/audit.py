"""The fairness audit: anyone holding the published appointments can recompute it.

An appointment is audited with its site, its day, when it was decided (`decided_at`) and its
`QueuePlace` (earliest enrollment, registration time, expedite grant time, and when the
family joined that site's line, `queued_at`).

An **inversion** is a pair (A, B) of appointments at the same site such that
  1. B's day is earlier than A's day;
  2. B was not expedited when it was decided (no grant, or granted after `B.decided_at`);
  3. A was already in that site's line when B was decided: `A.queued_at <= B.decided_at`;
  4. A was ahead of B in line at that moment: A's key, counting A's expedite only if it was
     granted by `B.decided_at`, is smaller than B's key (see `queue.queue_key`).
A family that joined the line after B's decision (registered late, became eligible, was moved
by a closure or a failed journey) explains its later day by condition 3. The planner makes
the audit empty by construction; this function lists whatever violates it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from puente_scheduling.domain.queue import Key, queue_key


@dataclass(frozen=True)
class Audited:
    family_unit_id: str
    site: str
    day: dt.date
    decided_at: dt.datetime
    earliest_enrollment: dt.date | None
    registered_at: dt.datetime
    expedite_granted_at: dt.datetime | None
    queued_at: dt.datetime

    def key_at(self, moment: dt.datetime) -> Key:
        granted = self.expedite_granted_at
        return queue_key(
            family_unit_id=self.family_unit_id,
            earliest_enrollment=self.earliest_enrollment,
            registered_at=self.registered_at,
            expedite_granted_at=granted if granted is not None and granted <= moment else None,
        )

    @property
    def expedited_when_decided(self) -> bool:
        granted = self.expedite_granted_at
        return granted is not None and granted <= self.decided_at


@dataclass(frozen=True)
class Inversion:
    site: str
    ahead: str  # the family that was ahead in line and got the later day
    behind: str
    ahead_day: dt.date
    behind_day: dt.date


def inversions(appointments: Iterable[Audited]) -> list[Inversion]:
    """Every inversion, site by site. O(n log n) to find the appointments that have one, then
    a scan per such appointment to name the families ahead of it."""
    by_site: dict[str, list[Audited]] = defaultdict(list)
    for appointment in appointments:
        by_site[appointment.site].append(appointment)
    found: list[Inversion] = []
    for site, audited in sorted(by_site.items()):
        for behind in _overtaking(audited):
            found.extend(
                Inversion(site, ahead.family_unit_id, behind.family_unit_id, ahead.day, behind.day)
                for ahead in audited
                if _inverted(ahead, behind)
            )
    return found


def _inverted(ahead: Audited, behind: Audited) -> bool:
    moment = behind.decided_at
    return (
        behind.day < ahead.day
        and not behind.expedited_when_decided
        and ahead.queued_at <= moment
        and ahead.key_at(moment) < behind.key_at(moment)
    )


def _overtaking(audited: list[Audited]) -> list[Audited]:
    """The appointments some family ahead in line had a later day than, found by a sweep over
    time: families enter as they join the line (and again when their expedite is granted);
    each decision asks for the latest day among those ahead of it."""
    ranks = {a.family_unit_id: r for r, a in enumerate(sorted(audited, key=_regular_key), 1)}
    moments: list[tuple[dt.datetime, int, int]] = []
    for index, appointment in enumerate(audited):
        moments.append((appointment.queued_at, 0, index))
        if appointment.expedite_granted_at is not None:
            moments.append((max(appointment.queued_at, appointment.expedite_granted_at), 1, index))
        if not appointment.expedited_when_decided:
            moments.append((appointment.decided_at, 2, index))
    latest = _PrefixMax(len(audited))
    latest_expedited = 0
    found = []
    for _, kind, index in sorted(moments):
        appointment = audited[index]
        day = appointment.day.toordinal()
        if kind == 0:
            latest.raise_to(ranks[appointment.family_unit_id], day)
        elif kind == 1:
            latest_expedited = max(latest_expedited, day)
        elif max(latest_expedited, latest.upto(ranks[appointment.family_unit_id] - 1)) > day:
            found.append(appointment)
    return found


def _regular_key(appointment: Audited) -> Key:
    return appointment.key_at(dt.datetime.min.replace(tzinfo=dt.UTC))


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
