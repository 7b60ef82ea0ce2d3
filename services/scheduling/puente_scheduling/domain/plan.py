"""The plan: every family in line or booked, every site's days, and the passes that turn a
place in line into an appointment. Pure: no I/O, time is passed in.

Each site has one queue (a heap in key order) and a cursor: the latest day the passes booked
there. A pass walks the site's queue from the front and books each family until one cannot be
given a day inside the booking horizon; then everyone behind it waits too, so nobody overtakes
a family ahead of them. Regular families are booked on or after the cursor (their days never go
backwards in key order); a granted expedite takes the earliest day with room (gap filling).
A family is never split and no day is booked beyond its capacity: `book` refuses both.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from puente_schemas import fairness
from puente_schemas.common import FieldError, PolicyChanges

from puente_scheduling.domain.changes import Changes, FamilyChange
from puente_scheduling.domain.policy import changed_policy, changed_site, policy_errors
from puente_scheduling.domain.queue import Appointment, Family, Key, Snapshot, Status
from puente_scheduling.domain.sites import Policy, Site, nearest_site, travel_time

ONE_DAY = dt.timedelta(days=1)
MAX_TRANSPORT_FAILURES = 3


class SchedulingError(Exception):
    """An appointment that must not be made; the message says why."""


class SiteClosed(SchedulingError):
    pass


class NoRoom(SchedulingError):
    pass


@dataclass(frozen=True)
class Arrival:
    """What scheduling needs to know of a newly registered family."""

    family_unit_id: str
    people: int
    city: str
    country: str
    categories: frozenset[str]
    earliest_enrollment: dt.date | None
    registered_at: dt.datetime


class Plan:
    def __init__(
        self,
        *,
        sites: Iterable[Site],
        policy: Policy,
        cursors: dict[str, dt.date] | None = None,
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self.sites = {site.id: site for site in sites}
        self.policy = policy
        self.families: dict[str, Family] = {}
        self._new_id = new_id
        self._queues: dict[str, list[tuple[Key, int, str]]] = defaultdict(list)
        self._booked: dict[tuple[str, dt.date], int] = defaultdict(int)
        self._on_day: dict[tuple[str, dt.date], set[str]] = defaultdict(set)
        self._cursors: dict[str, dt.date] = dict(cursors or {})
        self._touched: dict[str, Snapshot] = {}
        self._reasons: dict[str, str] = {}
        self._changes = Changes()
        self._dirty: set[str] = set()  # sites whose waiting families need a new estimate
        self._only_estimated: set[str] = set()  # families whose estimate alone changed
        self._estimated_on: dt.date | None = None

    # Reading -----------------------------------------------------------------------------

    def booked(self, site_id: str, day: dt.date) -> int:
        return self._booked.get((site_id, day), 0)

    def cursor(self, site_id: str) -> dt.date | None:
        return self._cursors.get(site_id)

    def scheduled(self) -> Iterator[Family]:
        return (f for f in self.families.values() if f.appointment is not None)

    def audited(self) -> list[fairness.Appointment]:
        """The appointments as the published events show them to an auditor."""
        return [
            fairness.Appointment(
                appointment_id=f.appointment.id,
                family_unit_id=f.id,
                site=f.appointment.site,
                day=f.appointment.day,
                decided_at=f.appointment.decided_at,
                earliest_enrollment=f.earliest_enrollment,
                registered_at=f.registered_at,
                expedite_granted_at=f.expedite_granted_at,
                queued_at=f.queued_at,
            )
            for f in self.families.values()
            if f.appointment is not None
        ]

    # Operations --------------------------------------------------------------------------

    def announce_sites(self, reason: str) -> None:
        """Have every site announced with the next changes (on the very first start)."""
        self._changes.sites.extend((site, reason) for site in self.sites.values())

    def restore(self, family: Family) -> None:
        """Put back a family as it was stored (no change to announce)."""
        self.families[family.id] = family
        if family.appointment is not None:
            self._hold(family, family.appointment)
        elif family.status is Status.WAITING:
            self._push(family)

    def register(self, arrival: Arrival, *, now: dt.datetime) -> None:
        if arrival.family_unit_id in self.families:
            return  # the same registration heard twice changes nothing
        family = Family(
            id=arrival.family_unit_id,
            people=arrival.people,
            city=arrival.city,
            country=arrival.country,
            categories=arrival.categories,
            earliest_enrollment=arrival.earliest_enrollment,
            registered_at=arrival.registered_at,
            queued_at=now,
        )
        self.families[family.id] = family
        self._touched[family.id] = Snapshot.of(None)
        self._pass_at(self._settle(family, now), now)

    def update(
        self,
        family_unit_id: str,
        *,
        people: int,
        city: str,
        country: str,
        categories: frozenset[str],
        now: dt.datetime,
    ) -> None:
        """A family moved or changed: its place in line (its key) stays; its site may not."""
        family = self.families.get(family_unit_id)
        if family is None or (family.appointment is not None and family.appointment.at <= now):
            return  # unknown, or its day has come: it is on its way or at the port already
        moved = (city.strip().casefold(), country) != (
            family.city.strip().casefold(),
            family.country,
        )
        resized = people != family.people
        self._touch(family, "family moved" if moved else "family changed")
        family.people, family.city, family.country = people, city, country
        family.categories = categories
        if family.status is Status.SCHEDULED:
            if moved or (resized and not self._resize_in_place(family)):
                self._release(family)
                self._pass_at(self._settle(family, now), now)
        elif family.status is Status.WAITING:
            if family.inside_us or not self.policy.admits(categories):
                self._settle(family, now)
            else:
                self._pass_at(self._replace(family, now), now)
        elif family.status is not Status.PAUSED or moved:
            family.transport_failures = 0
            self._pass_at(self._settle(family, now), now)

    def grant_expedite(
        self, family_unit_id: str, *, granted_at: dt.datetime, now: dt.datetime
    ) -> None:
        family = self.families.get(family_unit_id)
        if family is None or family.expedited:
            return
        self._touch(family, "expedite granted")
        family.expedite_granted_at = granted_at
        if family.status is Status.WAITING:
            self._push(family)
            self._pass_at(family.site, now)
        elif family.status is Status.SCHEDULED:
            self._pull_forward(family, now)

    def transport_failed(
        self,
        family_unit_id: str,
        appointment_id: str,
        *,
        reason: str,
        now: dt.datetime,
        earliest_arrival: dt.datetime | None = None,
    ) -> None:
        """The family keeps its place in line and is booked again, never before transport
        can bring it (`earliest_arrival`, e.g. the next convoy); after repeated failures it
        waits for a new location instead of being booked into the same failure forever."""
        family = self.families.get(family_unit_id)
        if family is None or family.appointment is None or family.appointment.id != appointment_id:
            return  # an old appointment's failure: the family has moved on
        self._touch(family, f"transport failed: {reason}")
        self._release(family)
        family.not_before = earliest_arrival
        family.transport_failures += 1
        if family.transport_failures >= MAX_TRANSPORT_FAILURES:
            family.status = Status.PAUSED
            self._reasons[family.id] = (
                f"transport failed {family.transport_failures} times ({reason}): "
                "waiting for a new location"
            )
            return
        self._pass_at(self._settle(family, now), now)

    def apply_policy(
        self, changes: PolicyChanges, *, now: dt.datetime, reason: str
    ) -> list[FieldError]:
        """Apply a policy whole, or nothing and say why."""
        errors = policy_errors(changes, self.sites)
        if errors:
            return errors
        policy = changed_policy(self.policy, changes)
        if policy != self.policy:
            self.policy = self._changes.policy = policy
            self._dirty.update(self.sites)
        displaced = []
        for change in changes.sites:
            site = changed_site(self.sites[change.site], change)
            if site != self.sites[site.id]:
                self.sites[site.id] = site
                self._dirty.add(site.id)
                self._changes.sites.append((site, reason))
                displaced.extend(self._displace(site, now))
        for family in displaced:
            self._settle(family, now)
        for family in list(self.families.values()):
            self._reconsider(family, now)
        self.run_passes(now)
        return []

    def run_passes(self, now: dt.datetime) -> None:
        for site_id in self.sites:
            self._pass_at(site_id, now)

    def book(self, family_unit_id: str, site_id: str, day: dt.date, *, now: dt.datetime) -> None:
        """Book a waiting family on a given day, as the passes do: refused for a closed site,
        a day it does not open, or a day without room for the whole family."""
        family = self.families[family_unit_id]
        if family.status is not Status.WAITING:
            raise SchedulingError(f"family {family_unit_id} is not waiting ({family.status})")
        site = self.sites.get(site_id)
        if site is None:
            raise SchedulingError(f"unknown site {site_id!r}")
        self._book(family, site, day, now)

    def estimate(self, now: dt.datetime) -> None:
        """Give each waiting family whose line changed (every line, once a day) its estimated
        day: the one the passes would give it if every family ahead were booked first, with
        no horizon. A family that stopped waiting has none."""
        if now.date() != self._estimated_on:
            self._estimated_on = now.date()
            self._dirty.update(self.sites)
        for site_id in sorted(self._dirty):
            site = self.sites.get(site_id)
            for family, day in self._estimates(site, now) if site else []:
                if family.estimate != day:
                    if family.id not in self._touched:
                        self._only_estimated.add(family.id)
                    self._touch(family)
                    family.estimate = day
        self._dirty.clear()
        for family_id in self._touched:
            family = self.families[family_id]
            if family.status is not Status.WAITING or family.site is None:
                family.estimate = None

    def changes(self) -> Changes:
        """What changed since the last call, to store and announce."""
        changes = self._changes
        changes.families = [
            FamilyChange(
                self.families[i], before, self._reasons.get(i, ""), i in self._only_estimated
            )
            for i, before in self._touched.items()
        ]
        self._touched, self._reasons, self._changes = {}, {}, Changes()
        self._only_estimated = set()
        return changes

    # The passes ---------------------------------------------------------------------------

    def _pass_at(self, site_id: str | None, now: dt.datetime) -> None:
        site = self.sites.get(site_id) if site_id else None
        if site is None or not site.open:
            return
        queue = self._queues[site.id]
        while queue:
            _, ticket, family_id = queue[0]
            family = self.families[family_id]
            if family.ticket != ticket or family.status is not Status.WAITING:
                heapq.heappop(queue)  # left behind when the family moved on
                continue
            day = self._day_for(family, site, now)
            if day is None:
                return  # it waits, and so does everyone behind it
            heapq.heappop(queue)
            self._book(family, site, day, now)

    def _day_for(self, family: Family, site: Site, now: dt.datetime) -> dt.date | None:
        travel = travel_time(family.city, site)
        last = self.policy.last_day(now, site, travel)
        earliest = self.policy.first_day(now, site, travel)
        first = self._first_day(family, site, earliest, self._cursors.get(site.id))
        return self._room(site, family.people, first, last)

    @staticmethod
    def _first_day(
        family: Family, site: Site, earliest: dt.date, cursor: dt.date | None
    ) -> dt.date:
        """From the `earliest` the notice and the journey allow, never sooner than transport
        can bring it; a regular family never before the cursor (an expedite fills the gaps)."""
        first = earliest
        if not family.expedited and cursor is not None:
            first = max(first, cursor)
        while family.not_before and site.start(first) < family.not_before:
            first += ONE_DAY
        return first

    def _room(
        self,
        site: Site,
        people: int,
        first: dt.date,
        last: dt.date,
        extra: Mapping[dt.date, int] | None = None,
    ) -> dt.date | None:
        """The first day from `first` to `last` with room for `people` (beside `extra`)."""
        extra = extra or {}
        day = first
        while day <= last:
            taken = self.booked(site.id, day) + extra.get(day, 0)
            if site.opens_on(day) and taken + people <= site.capacity_per_day:
                return day
            day += ONE_DAY
        return None

    def _estimates(self, site: Site, now: dt.datetime) -> Iterator[tuple[Family, dt.date | None]]:
        """The families waiting at the site, in key order, each with the day it would get if
        the passes had no horizon: the ones ahead take their days first."""
        cursor, extra = self._cursors.get(site.id), Counter[dt.date]()
        bookable = site.open and bool(site.open_weekdays)
        earliest: dict[str, dt.date] = {}  # by city: the notice and the journey from there
        for family in self._waiting_at(site.id):
            if not bookable or family.people > site.capacity_per_day:
                yield family, None
                continue
            if family.city not in earliest:
                travel = travel_time(family.city, site)
                earliest[family.city] = self.policy.first_day(now, site, travel)
            first = self._first_day(family, site, earliest[family.city], cursor)
            day = self._room(site, family.people, first, dt.date.max, extra)
            assert day is not None  # an open day with room always comes
            extra[day] += family.people
            if not family.expedited:
                cursor = max(cursor or day, day)
            yield family, day

    def _waiting_at(self, site_id: str) -> list[Family]:
        waiting = []
        for _, ticket, family_id in sorted(self._queues.get(site_id, ())):
            family = self.families[family_id]
            if family.ticket == ticket and family.status is Status.WAITING:
                waiting.append(family)
        return waiting

    def _book(self, family: Family, site: Site, day: dt.date, now: dt.datetime) -> None:
        if not site.open:
            raise SiteClosed(f"{site.id} is closed: no appointment can be made there")
        if not site.opens_on(day):
            raise SiteClosed(f"{site.id} does not open on {day:%A} {day.isoformat()}")
        if self.booked(site.id, day) + family.people > site.capacity_per_day:
            raise NoRoom(f"{site.id} has no room for {family.people} people on {day.isoformat()}")
        self._touch(family)
        appointment = Appointment(self._new_id(), site.id, day, site.start(day), family.people, now)
        self._hold(family, appointment)
        family.status, family.site = Status.SCHEDULED, site.id
        if day > self._cursors.get(site.id, day - ONE_DAY):
            self._cursors[site.id] = self._changes.cursors[site.id] = day

    def _pull_forward(self, family: Family, now: dt.datetime) -> None:
        """An expedite granted to a booked family: an earlier day if one has room."""
        assert family.appointment is not None
        site = self.sites[family.appointment.site]
        travel = travel_time(family.city, site)
        first = self.policy.first_day(now, site, travel)
        last = min(self.policy.last_day(now, site, travel), family.appointment.day - ONE_DAY)
        day = self._room(site, family.people, first, last) if site.open else None
        if day is not None:
            self._release(family)
            self._book(family, site, day, now)

    # Moving families in and out of line ------------------------------------------------

    def _settle(self, family: Family, now: dt.datetime) -> str | None:
        """Where a family without an appointment goes: the court-transfer path, its phase's
        wait, or the line of its nearest site, joined now with its key unchanged. Returns
        that site: the caller runs its pass once everyone who moves has joined."""
        if family.inside_us:
            family.status = Status.AWAY
            return None
        if not self.policy.admits(family.categories):
            family.status = Status.HELD
            return None
        target = nearest_site(family.city, family.people, self.sites.values())
        family.status, family.site = Status.WAITING, target.id if target else None
        family.queued_at = now
        self._push(family)
        return family.site

    def _replace(self, family: Family, now: dt.datetime) -> str | None:
        """A waiting family moves to another line only if its nearest site changed."""
        target = nearest_site(family.city, family.people, self.sites.values())
        if (target.id if target else None) != family.site:
            return self._settle(family, now)
        return family.site

    def _reconsider(self, family: Family, now: dt.datetime) -> None:
        """After a policy: held families whose phase came join the line; waiting families go
        to a nearer site that opened, or wait for their phase if it was narrowed."""
        if family.status is Status.HELD and self.policy.admits(family.categories):
            self._touch(family, "case category now eligible")
            self._settle(family, now)
        elif family.status is Status.WAITING:
            if not self.policy.admits(family.categories):
                self._touch(family, "case category no longer eligible")
                family.status = Status.HELD
                return
            target = nearest_site(family.city, family.people, self.sites.values())
            if (target.id if target else None) != family.site:
                self._touch(family, "sites changed by policy")
                self._settle(family, now)

    def _displace(self, site: Site, now: dt.datetime) -> list[Family]:
        """Families whose future appointment a closure or capacity cut takes away: all of
        them at a closed site; else those too large, then the latest in line, per day."""
        reason = "site closed" if not site.open else "site capacity reduced"
        displaced = []
        days = sorted(d for s, d in self._on_day if s == site.id and site.start(d) > now)
        for day in days:
            booked = sorted((self.families[i] for i in self._on_day[(site.id, day)]), key=_key)
            keep = [f for f in booked if site.open and f.people <= site.capacity_per_day]
            while sum(f.people for f in keep) > site.capacity_per_day:
                keep.pop()
            for family in booked:
                if family not in keep:
                    self._touch(family, reason)
                    self._release(family)
                    displaced.append(family)
        return displaced

    def _resize_in_place(self, family: Family) -> bool:
        """A booked family that grew or shrank keeps its day if the day still holds it."""
        old = family.appointment
        assert old is not None
        site = self.sites[old.site]
        room = site.capacity_per_day - self.booked(site.id, old.day) + old.people
        if not site.opens_on(old.day) or family.people > room:
            return False
        self._release(family)
        self._hold(family, dataclasses.replace(old, id=self._new_id(), people=family.people))
        return True

    # Bookkeeping ---------------------------------------------------------------------------

    def _push(self, family: Family) -> None:
        family.ticket += 1
        if family.site is not None:
            self._dirty.add(family.site)
            heapq.heappush(self._queues[family.site], (family.key, family.ticket, family.id))

    def _hold(self, family: Family, appointment: Appointment) -> None:
        family.appointment = appointment
        self._dirty.add(appointment.site)
        self._booked[(appointment.site, appointment.day)] += appointment.people
        self._on_day[(appointment.site, appointment.day)].add(family.id)

    def _release(self, family: Family) -> None:
        appointment = family.appointment
        assert appointment is not None
        family.appointment = None
        self._dirty.add(appointment.site)
        self._booked[(appointment.site, appointment.day)] -= appointment.people
        self._on_day[(appointment.site, appointment.day)].discard(family.id)

    def _touch(self, family: Family, reason: str | None = None) -> None:
        if family.site is not None:
            self._dirty.add(family.site)  # it may be leaving the line there
        if family.id not in self._touched:
            self._touched[family.id] = Snapshot.of(family)
        if reason and family.id not in self._reasons:
            self._reasons[family.id] = reason


def _key(family: Family) -> Key:
    return family.key
