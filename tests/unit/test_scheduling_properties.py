"""Properties of the fair queue over random histories: populations, capacities, expedites,
failed journeys, family changes, site closures and openings, phases, and time passing.

After every step: no site-day beyond its capacity, no family split, no appointment at a closed
site, an empty fairness audit, and every move kept its place in line. At the end, time runs on
until the horizon covers everyone: every eligible family that some open site can hold has
an appointment.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from puente_scheduling import domain
from puente_scheduling.announce import family_events
from puente_scheduling.domain import Status
from puente_schemas import fairness
from puente_schemas.common import CaseCategory, PolicyChanges, SiteChange
from puente_schemas.places import SITE_PLACES

START = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.UTC)
SITE_IDS = sorted(SITE_PLACES)
# Few places, so that families compete for the same sites; two of them far from the border.
CITY_NAMES = ["Tijuana", "Mexicali", "Ciudad Juarez", "Nogales", "Mexico City", "Tapachula"]
MOVES = ("site closed", "site capacity reduced", "transport failed")
capacities = st.integers(min_value=0, max_value=8)
enrollments = st.none() | st.dates(dt.date(2019, 1, 1), dt.date(2019, 1, 8))


@dataclass(frozen=True)
class Move:
    """A family moved off its appointment, and who waited behind it in its new line."""

    family: str
    site: str | None
    queued_at: dt.datetime
    behind: frozenset[str]


class FairQueue(RuleBasedStateMachine):
    @initialize(
        site_capacities=st.lists(capacities, min_size=len(SITE_IDS), max_size=len(SITE_IDS)),
        closed=st.sets(st.sampled_from(SITE_IDS)),
        horizon_days=st.integers(min_value=1, max_value=6),
        notice_hours=st.sampled_from([0, 20, 72]),
    )
    def start(self, site_capacities, closed, horizon_days, notice_hours):
        sites = [
            domain.site(site_id, capacity, open=site_id not in closed)
            for site_id, capacity in zip(SITE_IDS, site_capacities, strict=True)
        ]
        counter = iter(range(1_000_000))
        self.plan = domain.Plan(
            sites=sites,
            policy=domain.Policy(
                min_notice=dt.timedelta(hours=notice_hours),
                horizon=dt.timedelta(days=horizon_days),
            ),
            new_id=lambda: f"appointment-{next(counter)}",
        )
        self.now = START
        self.moves: list[Move] = []

    # Steps ---------------------------------------------------------------------------------

    @rule(
        arrivals=st.lists(
            st.tuples(
                st.sampled_from(CITY_NAMES),
                st.integers(min_value=1, max_value=6),
                enrollments,
                st.sampled_from(list(CaseCategory)),
            ),
            min_size=1,
            max_size=8,
        )
    )
    def register(self, arrivals):
        for city, people, enrolled, category in arrivals:
            self._tick()
            family = f"f{len(self.plan.families):03d}"
            arrival = domain.Arrival(
                family, people, city, "MX", frozenset({category}), enrolled, self.now
            )
            self.plan.register(arrival, now=self.now)
            self._record()

    @rule(hours=st.integers(min_value=1, max_value=60))
    def time_passes(self, hours):
        self.now += dt.timedelta(hours=hours)
        self.plan.run_passes(self.now)
        self._record()

    @precondition(lambda self: self.plan.families)
    @rule(data=st.data())
    def expedite(self, data):
        self._tick()
        family = data.draw(st.sampled_from(sorted(self.plan.families)))
        self.plan.grant_expedite(family, granted_at=self.now, now=self.now)
        self._record()

    @precondition(lambda self: any(self.plan.scheduled()))
    @rule(data=st.data())
    def transport_fails(self, data):
        self._tick()
        family = data.draw(st.sampled_from(sorted(f.id for f in self.plan.scheduled())))
        appointment = self.plan.families[family].appointment
        self.plan.transport_failed(family, appointment.id, reason="vehicle", now=self.now)
        self._record()

    @rule(
        site=st.sampled_from(SITE_IDS),
        open=st.none() | st.booleans(),
        capacity=st.none() | capacities,
    )
    def site_policy(self, site, open, capacity):
        self._tick()
        change = SiteChange(site=site, open=open, capacity_per_day=capacity)
        errors = self.plan.apply_policy(
            PolicyChanges(sites=[change]), now=self.now, reason="policy"
        )
        assert errors == []
        self._record()

    @rule(categories=st.sets(st.sampled_from(list(CaseCategory)), min_size=1))
    def phase(self, categories):
        self._tick()
        changes = PolicyChanges(eligible_categories=sorted(categories))
        assert self.plan.apply_policy(changes, now=self.now, reason="phase") == []
        self._record()

    @precondition(lambda self: self.plan.families)
    @rule(
        data=st.data(),
        city=st.sampled_from([*CITY_NAMES, "Houston"]),
        people=st.integers(min_value=1, max_value=6),
    )
    def family_changes(self, data, city, people):
        self._tick()
        family = self.plan.families[data.draw(st.sampled_from(sorted(self.plan.families)))]
        country = "US" if city == "Houston" else "MX"
        self.plan.update(
            family.id,
            people=people,
            city=city,
            country=country,
            categories=family.categories,
            now=self.now,
        )
        self._record()

    # Invariants ----------------------------------------------------------------------------

    @invariant()
    def capacity_is_never_exceeded_and_no_family_is_split(self):
        booked: Counter[tuple[str, dt.date]] = Counter()
        for family in self.plan.scheduled():
            appointment = family.appointment
            assert family.status is Status.SCHEDULED and family.site == appointment.site
            assert appointment.people == family.people  # the whole family, on one day
            booked[(appointment.site, appointment.day)] += appointment.people
        for (site_id, day), people in booked.items():
            assert self.plan.booked(site_id, day) == people
            site = self.plan.sites[site_id]
            if site.start(day) > self.now:
                assert site.opens_on(day), f"{site_id} is closed on {day}"
                assert people <= site.capacity_per_day

    @invariant()
    def the_fairness_audit_is_empty(self):
        assert fairness.inversions(self.plan.audited()) == []

    @invariant()
    def a_moved_family_keeps_its_place_in_line(self):
        for move in self.moves:
            moved = self.plan.families[move.family]
            if moved.queued_at != move.queued_at or moved.site != move.site:
                continue  # moved again since: a later move is checked on its own
            if moved.status not in (Status.WAITING, Status.SCHEDULED):
                continue  # paused, held or gone: out of line, so others may go ahead
            for other in move.behind:
                overtaking = self.plan.families[other]
                if (
                    overtaking.appointment is None
                    or overtaking.site != move.site
                    or overtaking.expedited
                    or overtaking.appointment.decided_at < move.queued_at
                ):
                    continue
                assert moved.appointment is not None, f"{other} overtook {move.family}"
                assert moved.appointment.day <= overtaking.appointment.day

    def teardown(self):
        if not hasattr(self, "plan"):
            return
        for _ in range(800):
            if not self._waiting_for_a_day():
                break
            self.now += dt.timedelta(days=1)
            self.plan.run_passes(self.now)
            self._record()
        assert self._waiting_for_a_day() == []
        for family in self.plan.families.values():
            if family.status is Status.WAITING:  # only where no open site can hold it
                assert family.site is None
                assert (
                    domain.nearest_site(family.city, family.people, self.plan.sites.values())
                    is None
                )
        self.the_fairness_audit_is_empty()
        self.a_moved_family_keeps_its_place_in_line()

    # Helpers -------------------------------------------------------------------------------

    def _tick(self):
        """Each step happens at its own moment, as messages do."""
        self.now += dt.timedelta(minutes=1)

    def _waiting_for_a_day(self):
        return [
            f.id
            for f in self.plan.families.values()
            if f.status is Status.WAITING and f.site is not None
        ]

    def _record(self):
        """Check each change makes valid events, and remember the moves made."""
        for change in self.plan.changes().families:
            family_events(change)
            was, family = change.before.appointment, change.family
            if was is None or was == family.appointment or not change.reason.startswith(MOVES):
                continue
            if family.status not in (Status.WAITING, Status.SCHEDULED):
                continue
            behind = {
                other.id
                for other in self.plan.families.values()
                if other.site == family.site
                and other.key > family.key
                and (
                    other.status is Status.WAITING
                    or (other.appointment and other.appointment.decided_at == self.now)
                )
            }
            self.moves.append(Move(family.id, family.site, family.queued_at, frozenset(behind)))


FairQueue.TestCase.settings = settings(max_examples=150, stateful_step_count=60, deadline=None)
TestFairQueue = FairQueue.TestCase


def test_the_audit_finds_what_a_planner_that_ignores_the_order_would_do():
    """The audit is not empty by accident: booking in arrival order breaks it."""
    plan = domain.Plan(
        sites=[domain.site("laredo", 1)],
        policy=domain.Policy(min_notice=dt.timedelta(0), horizon=dt.timedelta(days=5)),
    )
    first_day = START.date() + dt.timedelta(days=1)
    for index, enrolled in enumerate([dt.date(2020, 1, 1), dt.date(2019, 1, 1)]):
        arrival = domain.Arrival(
            f"f{index}", 1, "Nuevo Laredo", "MX", frozenset({"active"}), enrolled, START
        )
        plan.families[arrival.family_unit_id] = domain.Family(
            id=arrival.family_unit_id,
            people=1,
            city=arrival.city,
            country="MX",
            categories=arrival.categories,
            earliest_enrollment=enrolled,
            registered_at=START,
            queued_at=START,
            status=Status.WAITING,
            site="laredo",
        )
        plan.book(arrival.family_unit_id, "laredo", first_day + dt.timedelta(days=index), now=START)
    found = fairness.inversions(plan.audited())
    assert [(i.ahead.family_unit_id, i.behind.family_unit_id) for i in found] == [("f1", "f0")]
