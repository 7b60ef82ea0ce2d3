"""Scheduling's estimate of a waiting family's appointment: the day the passes would give it if
every family ahead were booked first, under the policy in force; announced when it changes."""

import datetime as dt

from puente_scheduling import domain
from puente_scheduling.announce import events
from puente_scheduling.domain import Notice
from puente_schemas.common import PolicyChanges, SiteChange
from puente_schemas.events import AppointmentEstimated, Waitlisted

from tests.unit.test_scheduling_rules import DAY, MONDAY, arrive, make_plan

WEEKDAYS = frozenset(range(5))
# MONDAY is Monday 30 November 2026 at noon; with 72 hours' notice the first day is Friday.
FRI, NEXT_MON, NEXT_TUE, NEXT_WED = (
    dt.date(2026, 12, 4) + dt.timedelta(days=n) for n in (0, 3, 4, 5)
)


def a_busy_site() -> domain.Plan:
    """San Ysidro takes 4 people a day, Monday to Friday, and books one day ahead (Friday):
    two families fill Friday; three more wait."""
    plan = make_plan(domain.site("san-ysidro", 4, weekdays=WEEKDAYS), horizon=DAY)
    sizes = {"a": 2, "b": 2, "c": 2, "d": 3, "e": 4}
    for month, (family, people) in enumerate(sizes.items(), start=1):
        arrive(plan, family, people=people, enrolled=(2019, month, 1))
    return plan


def estimates(plan: domain.Plan, now: dt.datetime = MONDAY) -> dict[str, dt.date | None]:
    plan.estimate(now)
    return {f.id: f.estimate for f in plan.families.values() if f.status is domain.Status.WAITING}


def test_waiting_families_are_estimated_in_key_order_on_the_open_days_with_room():
    plan = a_busy_site()

    assert [plan.families[f].appointment.day for f in ("a", "b")] == [FRI, FRI]
    # c takes two of Monday's seats; d (three) does not fit beside it; nobody on the weekend.
    assert estimates(plan) == {"c": NEXT_MON, "d": NEXT_TUE, "e": NEXT_WED}
    announced = [e for e in events(plan.changes()) if isinstance(e, Waitlisted)]
    assert {e.family_unit_id: e.estimated_date for e in announced} == estimates(plan)


def test_an_expedite_takes_the_first_gap_and_only_changed_estimates_are_announced():
    plan = a_busy_site()
    estimates(plan)
    plan.changes()

    plan.grant_expedite("d", granted_at=MONDAY, now=MONDAY)

    assert estimates(plan) == {"d": NEXT_MON, "c": NEXT_TUE, "e": NEXT_WED}
    changes = plan.changes()
    assert {c.family.id: c.notices() for c in changes.families} == {
        "d": [Notice.WAITLISTED],  # its place in line changed: it is told where it waits
        "c": [Notice.ESTIMATED],
    }
    (estimated,) = [e for e in events(changes) if isinstance(e, AppointmentEstimated)]
    assert (estimated.family_unit_id, estimated.site, estimated.estimated_date) == (
        "c",
        "san-ysidro",
        NEXT_TUE,
    )


def test_estimates_follow_the_notice_in_force_after_a_policy_changes_it():
    plan = a_busy_site()
    estimates(plan)
    plan.changes()

    plan.apply_policy(
        PolicyChanges(min_notice_hours=240),
        now=MONDAY,
        reason="ten days' notice",
    )

    # Ten days from Monday noon: Friday 11 December is the first day; c is booked on it.
    first = dt.date(2026, 12, 11)
    assert plan.families["c"].appointment.day == first
    found = estimates(plan)
    assert found == {"d": first + dt.timedelta(days=3), "e": first + dt.timedelta(days=4)}
    assert all(day is not None and day >= first for day in found.values())


def test_no_estimate_before_transport_can_bring_a_family_and_none_without_an_open_site():
    plan = a_busy_site()
    appointment = plan.families["a"].appointment
    later = dt.datetime(2026, 12, 21, 8, tzinfo=dt.UTC)

    plan.transport_failed(
        "a", appointment.id, reason="no convoy", now=MONDAY, earliest_arrival=later
    )

    assert estimates(plan)["a"] == later.date()
    plan.apply_policy(
        PolicyChanges(sites=[SiteChange(site="san-ysidro", open=False)]),
        now=MONDAY,
        reason="closed",
    )
    assert set(estimates(plan).values()) == {None}
