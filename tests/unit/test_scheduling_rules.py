"""Scheduling's rules, one behaviour at a time: fair order, phases, sites, moves, bad input."""

import datetime as dt

import pytest
from puente_scheduling import domain
from puente_scheduling.domain import Notice, Status
from puente_scheduling.handlers import handlers
from puente_scheduling.store import Store
from puente_schemas.catalog import CONSUMES
from puente_schemas.common import PolicyChanges, SiteChange

MONDAY = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)
NOTICE = dt.timedelta(hours=72)


def make_plan(*sites, **policy):
    return domain.Plan(sites=sites or domain.DEFAULT_SITES, policy=domain.Policy(**policy))


def arrive(
    plan,
    family,
    *,
    people=1,
    city="Tijuana",
    country="MX",
    enrolled=(2019, 6, 3),
    categories=("active",),
    now=MONDAY,
):
    plan.register(
        domain.Arrival(
            family,
            people,
            city,
            country,
            frozenset(categories),
            dt.date(*enrolled) if enrolled else None,
            now - HOUR,
        ),
        now=now,
    )


def notices(plan):
    return {c.family.id: (c.notices(), c.reason) for c in plan.changes().families}


def days(plan, *families):
    return [plan.families[f].appointment.day for f in families]


def policy(plan, now=MONDAY, **changes):
    return plan.apply_policy(PolicyChanges(**changes), now=now, reason="policy p1")


def one_a_day(site_id="san-ysidro", capacity=1, **policy_values):
    """A plan with one site taking `capacity` people a day and a horizon of one day."""
    return make_plan(domain.site(site_id, capacity), horizon=DAY, **policy_values)


# Where and when ------------------------------------------------------------------------


def test_a_lone_family_is_scheduled_at_once_three_days_ahead_at_the_nearest_port():
    plan = make_plan()
    arrive(plan, "f1", people=3)
    appointment = plan.families["f1"].appointment
    assert (appointment.site, appointment.at) == ("san-ysidro", MONDAY + NOTICE + 20 * HOUR)
    assert notices(plan) == {"f1": ([Notice.SCHEDULED], "")}


def test_families_beyond_the_horizon_wait_and_are_booked_as_days_come_into_it():
    plan = one_a_day(capacity=2)
    for family in ("f1", "f2", "f3", "f4", "f5"):
        arrive(plan, family)
    assert [plan.families[f].status for f in ("f1", "f2", "f3")] == [
        Status.SCHEDULED,
        Status.SCHEDULED,
        Status.WAITING,
    ]
    assert notices(plan)["f3"][0] == [Notice.WAITLISTED]
    plan.run_passes(MONDAY + DAY)
    assert days(plan, "f3", "f4") == [days(plan, "f1")[0] + DAY] * 2
    assert plan.families["f5"].status is Status.WAITING
    assert notices(plan) == {"f3": ([Notice.SCHEDULED], ""), "f4": ([Notice.SCHEDULED], "")}


def test_consulates_serve_only_families_far_from_every_open_port():
    plan = make_plan()
    arrive(plan, "capital", city="Mexico City")
    arrive(plan, "monterrey", city="Monterrey")
    assert plan.families["capital"].appointment.site == "consulate-mexico-city"
    assert plan.families["monterrey"].appointment.site == "hidalgo"  # 211 km: a port


def test_a_family_inside_the_us_is_never_queued_and_nothing_is_announced():
    plan = make_plan()
    arrive(plan, "f1", city="Houston", country="US")
    assert plan.families["f1"].status is Status.AWAY
    assert notices(plan) == {"f1": ([], "")}


# Fair order ----------------------------------------------------------------------------


def test_waiting_families_are_booked_by_earliest_enrollment_whatever_their_arrival():
    plan = one_a_day()
    arrive(plan, "first-come", enrolled=(2020, 5, 1))  # takes the only day in the horizon
    for family, enrolled in [
        ("late", (2020, 1, 1)),
        ("early", (2019, 2, 1)),
        ("mid", (2019, 9, 1)),
    ]:
        arrive(plan, family, enrolled=enrolled, now=MONDAY + HOUR)
    for day in range(1, 4):
        plan.run_passes(MONDAY + day * DAY)
    assert days(plan, "early", "mid", "late") == sorted(days(plan, "early", "mid", "late"))
    assert days(plan, "first-come")[0] < days(plan, "early")[0]


def test_a_family_with_no_enrollment_date_goes_after_those_with_one():
    plan = one_a_day()
    arrive(plan, "blocker")
    arrive(plan, "no-date", enrolled=None, now=MONDAY + HOUR)
    arrive(plan, "dated", enrolled=(2020, 12, 1), now=MONDAY + 2 * HOUR)
    plan.run_passes(MONDAY + DAY)
    assert plan.families["dated"].status is Status.SCHEDULED
    assert plan.families["no-date"].status is Status.WAITING


def test_granted_expedites_go_first_in_order_of_grant():
    plan = one_a_day()
    arrive(plan, "blocker")
    for family in ("a", "b", "c"):
        arrive(plan, family, now=MONDAY + HOUR)
    plan.grant_expedite("c", granted_at=MONDAY + 2 * HOUR, now=MONDAY + 2 * HOUR)
    plan.grant_expedite("b", granted_at=MONDAY + 3 * HOUR, now=MONDAY + 3 * HOUR)
    assert notices(plan)["c"] == ([Notice.WAITLISTED], "expedite granted")  # a new place
    for day in (1, 2, 3):
        plan.run_passes(MONDAY + day * DAY)
    assert days(plan, "c", "b", "a") == sorted(days(plan, "c", "b", "a"))
    assert days(plan, "c")[0] < days(plan, "b")[0]


def test_an_expedite_fills_an_earlier_gap_that_a_regular_family_may_not_take():
    plan = make_plan(domain.site("san-ysidro", 4), horizon=3 * DAY)
    for family, people in [("three", 3), ("two", 2), ("pair", 2), ("four", 4)]:
        arrive(plan, family, people=people)
    first = days(plan, "three")[0]
    assert days(plan, "two", "pair", "four") == [first + DAY, first + DAY, first + 2 * DAY]
    arrive(plan, "single", now=MONDAY + HOUR)  # one place left on the first day, not for it
    assert plan.families["single"].status is Status.WAITING
    plan.grant_expedite("single", granted_at=MONDAY + 2 * HOUR, now=MONDAY + 2 * HOUR)
    assert days(plan, "single") == [first]


def test_an_expedite_granted_to_a_booked_family_pulls_it_forward_into_a_gap():
    plan = make_plan(domain.site("san-ysidro", 4), horizon=3 * DAY)
    for family, people in [("three", 3), ("two", 2), ("one", 1), ("another", 1)]:
        arrive(plan, family, people=people)
    first = days(plan, "three")[0]
    assert days(plan, "another") == [first + DAY]
    plan.changes()
    plan.grant_expedite("another", granted_at=MONDAY + HOUR, now=MONDAY + HOUR)
    assert days(plan, "another") == [first]
    assert notices(plan) == {"another": ([Notice.RESCHEDULED], "expedite granted")}


# Phases --------------------------------------------------------------------------------


def test_a_family_whose_phase_has_not_come_is_held_then_joins_with_its_original_place():
    plan = one_a_day(eligible=frozenset({"active"}))
    arrive(plan, "blocker")
    arrive(plan, "in-absentia", categories=("in_absentia",), enrolled=(2019, 1, 2))
    arrive(plan, "active", enrolled=(2019, 6, 1), now=MONDAY + HOUR)
    changes = notices(plan)
    assert changes["in-absentia"] == ([Notice.HELD], "")
    assert plan.families["in-absentia"].status is Status.HELD
    assert (
        policy(plan, now=MONDAY + 2 * HOUR, eligible_categories=list(domain.Policy().eligible))
        == []
    )
    assert notices(plan)["in-absentia"] == ([Notice.WAITLISTED], "case category now eligible")
    plan.run_passes(MONDAY + DAY)
    assert plan.families["in-absentia"].status is Status.SCHEDULED  # enrolled first: first
    assert plan.families["active"].status is Status.WAITING


def test_a_family_goes_forward_when_any_member_is_eligible_the_others_go_with_it():
    plan = make_plan(eligible=frozenset({"active"}))
    arrive(plan, "mixed", people=3, categories=("active", "inactive"))
    assert plan.families["mixed"].status is Status.SCHEDULED


# Sites by policy -----------------------------------------------------------------------


def test_opening_nogales_moves_its_waiting_families_there_keeping_their_place():
    plan = make_plan(domain.site("nogales", 2, open=False), domain.site("el-paso", 1), horizon=DAY)
    arrive(plan, "juarez", city="Ciudad Juarez")
    arrive(plan, "nogales-early", city="Nogales", enrolled=(2019, 1, 1), now=MONDAY + HOUR)
    arrive(plan, "nogales-late", city="Nogales", enrolled=(2020, 1, 1), now=MONDAY + HOUR)
    assert [plan.families[f].site for f in ("nogales-early", "nogales-late")] == ["el-paso"] * 2
    plan.changes()
    assert policy(plan, now=MONDAY + 2 * HOUR, sites=[SiteChange(site="nogales", open=True)]) == []
    changes = plan.changes()
    assert [(s.id, s.open, why) for s, why in changes.sites] == [("nogales", True, "policy p1")]
    early, late = plan.families["nogales-early"], plan.families["nogales-late"]
    assert (early.site, late.site) == ("nogales", "nogales")
    assert early.appointment.day == late.appointment.day  # room for both on the same day
    assert plan.families["juarez"].site == "el-paso"


def test_closing_a_site_moves_every_future_appointment_keeping_the_order():
    plan = make_plan(domain.site("san-ysidro", 2), domain.site("calexico", 1), horizon=5 * DAY)
    for index, family in enumerate(("a", "b", "c", "d")):
        arrive(plan, family, enrolled=(2019, 1, 1 + index))
    arrive(plan, "mexicali", city="Mexicali")
    plan.changes()
    later = MONDAY + 2 * HOUR
    assert policy(plan, now=later, sites=[SiteChange(site="san-ysidro", open=False)]) == []
    changes = notices(plan)
    assert {f: changes[f] for f in "abcd"} == {
        f: ([Notice.RESCHEDULED], "site closed") for f in "abcd"
    }
    assert {plan.families[f].site for f in "abcd"} == {"calexico"}
    assert days(plan, "a", "b", "c", "d") == sorted(days(plan, "a", "b", "c", "d"))
    assert days(plan, "mexicali")[0] < days(plan, "a")[0]  # was booked there before the move
    assert plan.families["a"].queued_at == later
    arrive(plan, "newcomer", now=later + HOUR)
    assert plan.families["newcomer"].site == "calexico"


def test_a_closure_with_no_room_in_the_horizon_cancels_and_the_family_waits():
    plan = make_plan(domain.site("san-ysidro", 2), domain.site("calexico", 1), horizon=DAY)
    arrive(plan, "mexicali", city="Mexicali")
    arrive(plan, "tijuana")
    plan.changes()
    policy(plan, now=MONDAY + HOUR, sites=[SiteChange(site="san-ysidro", open=False)])
    assert notices(plan)["tijuana"] == ([Notice.CANCELLED, Notice.WAITLISTED], "site closed")
    assert plan.families["tijuana"].status is Status.WAITING
    plan.run_passes(MONDAY + DAY + HOUR)
    assert notices(plan)["tijuana"] == ([Notice.SCHEDULED], "")


def test_a_capacity_cut_moves_the_families_latest_in_line_off_over_full_days():
    plan = make_plan(domain.site("san-ysidro", 4), horizon=3 * DAY)
    for index, family in enumerate(("a", "b", "c", "d")):
        arrive(plan, family, enrolled=(2019, 1, 1 + index))
    first = days(plan, "a")[0]
    assert days(plan, "a", "b", "c", "d") == [first] * 4
    plan.changes()
    policy(plan, now=MONDAY + HOUR, sites=[SiteChange(site="san-ysidro", capacity_per_day=2)])
    changes = notices(plan)
    assert set(changes) == {"c", "d"}
    assert changes["c"] == ([Notice.RESCHEDULED], "site capacity reduced")
    assert days(plan, "a", "b", "c", "d") == [first, first, first + DAY, first + DAY]


def test_a_capacity_cut_below_a_family_size_sends_it_to_a_site_that_can_hold_it():
    plan = make_plan(domain.site("san-ysidro", 6), domain.site("calexico", 6))
    arrive(plan, "big", people=5)
    policy(plan, now=MONDAY + HOUR, sites=[SiteChange(site="san-ysidro", capacity_per_day=4)])
    assert plan.families["big"].appointment.site == "calexico"


def test_a_shorter_notice_by_policy_brings_appointments_within_reach_sooner():
    plan = make_plan(min_notice=NOTICE)
    policy(plan, min_notice_hours=24)
    arrive(plan, "f1", now=MONDAY + HOUR)
    assert plan.families["f1"].appointment.at == MONDAY + DAY + 20 * HOUR
    assert plan.changes().policy == domain.Policy(min_notice=DAY)


# Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {
                "sites": [
                    SiteChange(site="nogales", open=True),
                    SiteChange(site="atlantis", open=False),
                ]
            },
            "changes.sites[1].site",
            "unknown site 'atlantis'",
        ),
        (
            {"sites": [SiteChange(site="nogales", open=True, capacity_per_day=-1)]},
            "changes.sites[0].capacity_per_day",
            "must not be below zero",
        ),
        (
            {"sites": [SiteChange(site="nogales", open=True)], "min_notice_hours": -2},
            "changes.min_notice_hours",
            "must not be below zero",
        ),
    ],
)
def test_an_invalid_policy_names_the_field_and_changes_nothing(changes, field, message):
    plan = make_plan()
    arrive(plan, "f1", city="Nogales")
    plan.changes()
    sites, rules = dict(plan.sites), plan.policy
    errors = policy(plan, **changes)
    assert [(e.field, e.message) for e in errors] == [(field, message)]
    assert (plan.sites, plan.policy) == (sites, rules)
    assert plan.families["f1"].appointment.site == "el-paso"
    assert not plan.changes()


def test_booking_a_closed_site_or_beyond_its_capacity_is_refused():
    plan = make_plan(domain.site("nogales", 2, open=False), domain.site("el-paso", 2), horizon=DAY)
    arrive(plan, "f1", people=2, city="Ciudad Juarez")
    arrive(plan, "f2", people=1, city="Ciudad Juarez")
    day = days(plan, "f1")[0]
    with pytest.raises(domain.SiteClosed, match="nogales is closed"):
        plan.book("f2", "nogales", day, now=MONDAY)
    with pytest.raises(domain.NoRoom, match="el-paso has no room for 1 people"):
        plan.book("f2", "el-paso", day, now=MONDAY)
    with pytest.raises(domain.SchedulingError, match="unknown site 'atlantis'"):
        plan.book("f2", "atlantis", day, now=MONDAY)
    assert plan.families["f2"].status is Status.WAITING


def test_a_consulate_does_not_book_on_a_weekend():
    plan = make_plan()
    arrive(plan, "f1", city="Mexico City", now=MONDAY + 2 * DAY)  # Wednesday: +72 h is Saturday
    assert plan.families["f1"].appointment.day.weekday() == 0


# Moves ---------------------------------------------------------------------------------


def test_failed_transport_rebooks_the_family_keeping_its_place_in_line():
    plan = make_plan(domain.site("san-ysidro", 1), horizon=3 * DAY)
    arrive(plan, "a")
    arrive(plan, "b", enrolled=(2020, 1, 1))
    failed = plan.families["a"].appointment
    plan.changes()
    plan.transport_failed("a", failed.id, reason="road closed", now=MONDAY + HOUR)
    assert notices(plan) == {"a": ([Notice.RESCHEDULED], "transport failed: road closed")}
    # never before the days already given (b's was decided before a rejoined the line) ...
    assert days(plan, "a") == [failed.day + 2 * DAY]
    assert plan.families["a"].queued_at == MONDAY + HOUR
    assert plan.families["a"].key == domain.queue_key(
        family_unit_id="a",
        earliest_enrollment=dt.date(2019, 6, 3),
        registered_at=MONDAY - HOUR,
        expedite_granted_at=None,
    )
    # ... and ahead of everyone who waits behind it
    arrive(plan, "c", enrolled=(2019, 12, 1), now=MONDAY + 2 * HOUR)
    plan.run_passes(MONDAY + DAY)
    assert days(plan, "c") == [failed.day + 3 * DAY]


def test_failed_transport_is_never_rebooked_before_transport_can_bring_the_family():
    plan = make_plan(domain.site("san-ysidro", 10), horizon=10 * DAY)
    arrive(plan, "a")
    failed = plan.families["a"].appointment
    next_convoy_arrives = dt.datetime.combine(failed.day + 3 * DAY, dt.time(12), tzinfo=dt.UTC)
    plan.transport_failed(
        "a",
        failed.id,
        reason="no convoy in time",
        now=MONDAY + HOUR,
        earliest_arrival=next_convoy_arrives,
    )
    (day,) = days(plan, "a")
    assert day == failed.day + 4 * DAY  # the first day whose appointment the convoy reaches


def test_failed_transport_with_no_day_left_cancels_then_books_when_one_comes():
    plan = one_a_day()
    arrive(plan, "a")
    failed = plan.families["a"].appointment
    plan.run_passes(MONDAY + DAY)
    arrive(plan, "b", now=MONDAY + DAY)  # takes the next day
    plan.changes()
    plan.transport_failed("a", failed.id, reason="road closed", now=MONDAY + DAY + HOUR)
    assert notices(plan) == {
        "a": ([Notice.CANCELLED, Notice.WAITLISTED], "transport failed: road closed")
    }
    plan.run_passes(MONDAY + 2 * DAY)
    assert notices(plan) == {"a": ([Notice.SCHEDULED], "")}
    assert days(plan, "a")[0] == days(plan, "b")[0] + DAY


def test_a_failure_of_an_old_appointment_changes_nothing():
    plan = make_plan()
    arrive(plan, "a")
    plan.changes()
    plan.transport_failed("a", "an-old-appointment", reason="late", now=MONDAY + HOUR)
    assert not plan.changes()


def test_repeated_transport_failures_pause_the_family_until_it_moves():
    plan = make_plan()
    arrive(plan, "a", city="Mexicali")
    plan.changes()
    for attempt in range(domain.MAX_TRANSPORT_FAILURES):
        appointment = plan.families["a"].appointment
        plan.transport_failed(
            "a", appointment.id, reason="no convoy in time", now=MONDAY + attempt * HOUR
        )
    assert plan.families["a"].status is Status.PAUSED
    assert notices(plan)["a"][0] == [Notice.CANCELLED]
    plan.update(
        "a",
        people=1,
        city="Tijuana",
        country="MX",
        categories=frozenset({"active"}),
        now=MONDAY + 5 * HOUR,
    )
    assert plan.families["a"].status is Status.SCHEDULED


def test_a_family_that_grows_keeps_its_day_when_the_day_holds_it():
    plan = make_plan(domain.site("san-ysidro", 4))
    arrive(plan, "a", people=2)
    before = plan.families["a"].appointment
    plan.changes()
    plan.update(
        "a",
        people=3,
        city="Tijuana",
        country="MX",
        categories=frozenset({"active"}),
        now=MONDAY + HOUR,
    )
    after = plan.families["a"].appointment
    assert (after.day, after.people, after.decided_at) == (before.day, 3, before.decided_at)
    assert notices(plan) == {"a": ([Notice.RESCHEDULED], "family changed")}


def test_a_family_that_moves_is_rescheduled_at_its_new_nearest_site():
    plan = make_plan()
    arrive(plan, "a")
    plan.update(
        "a",
        people=1,
        city="Matamoros",
        country="MX",
        categories=frozenset({"active"}),
        now=MONDAY + HOUR,
    )
    assert plan.families["a"].appointment.site == "brownsville"


def test_a_family_whose_day_has_come_is_not_moved_by_an_update():
    plan = make_plan()
    arrive(plan, "a")
    appointment = plan.families["a"].appointment
    plan.changes()
    plan.update(
        "a",
        people=2,
        city="Matamoros",
        country="MX",
        categories=frozenset({"active"}),
        now=appointment.at + HOUR,
    )
    assert plan.families["a"].appointment == appointment
    assert plan.families["a"].people == 1
    assert not plan.changes()


def test_a_family_that_reaches_the_us_leaves_the_line():
    plan = make_plan()
    arrive(plan, "a")
    plan.changes()
    plan.update(
        "a",
        people=1,
        city="Houston",
        country="US",
        categories=frozenset({"active"}),
        now=MONDAY + HOUR,
    )
    assert plan.families["a"].status is Status.AWAY
    assert notices(plan)["a"][0] == [Notice.CANCELLED]
    assert plan.booked("san-ysidro", MONDAY.date() + 4 * DAY) == 0


def test_scheduling_consumes_what_the_catalog_says():
    store = Store(defaults=domain.Policy())
    assert set(handlers(store)) == set(CONSUMES["scheduling"])
