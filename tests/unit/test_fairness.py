"""The fairness audit's rule (puente_schemas.fairness), the one scheduling is held to and the
public `fairnessAudit` recomputes: a family enrolled later (by the fair key), at the same site,
given an earlier day while the other was already in that line, without a granted expedite."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from puente_schemas.fairness import Appointment, Inversion, inversions
from puente_schemas.order import queue_key

T0 = dt.datetime(2021, 2, 19, 8, tzinfo=dt.UTC)
MONDAY = dt.date(2021, 2, 22)
HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)


def audited(
    family: str,
    day: int,
    *,
    enrolled: int | None = 1,
    registered: int = 0,
    queued: int = 0,
    decided: int = 0,
    expedited: int | None = None,
    site: str = "laredo",
) -> Appointment:
    """`family`'s appointment on MONDAY + `day`; times are hours after T0."""
    return Appointment(
        appointment_id=f"ap-{family}",
        family_unit_id=family,
        site=site,
        day=MONDAY + day * DAY,
        decided_at=T0 + decided * HOUR,
        earliest_enrollment=None if enrolled is None else dt.date(2019, 1, enrolled),
        registered_at=T0 - DAY + registered * HOUR,
        expedite_granted_at=None if expedited is None else T0 + expedited * HOUR,
        queued_at=T0 + queued * HOUR,
    )


def pairs(found: list[Inversion]) -> list[tuple[str, str]]:
    return [(i.ahead.family_unit_id, i.behind.family_unit_id) for i in found]


def test_a_family_enrolled_later_booked_earlier_is_an_inversion() -> None:
    ahead = audited("ahead", 5, enrolled=1)
    behind = audited("behind", 3, enrolled=2, decided=1)

    assert inversions([ahead, behind]) == [Inversion(ahead, behind)]


def test_ties_in_enrollment_go_by_registration_time() -> None:
    ahead = audited("registered-first", 5, registered=0)
    behind = audited("registered-second", 3, registered=1, decided=1)

    assert pairs(inversions([ahead, behind])) == [("registered-first", "registered-second")]


def test_the_same_day_is_never_an_inversion() -> None:
    ahead = audited("ahead", 3, enrolled=1)
    behind = audited("behind", 3, enrolled=2, decided=1)

    assert inversions([ahead, behind]) == []


def test_the_audit_accepts_what_the_rules_explain() -> None:
    joined_later = audited("joined-later", 5, enrolled=1, queued=2)  # after `behind` was booked
    behind = audited("behind", 3, enrolled=2, decided=1)
    expedited = audited("urgent", 3, enrolled=3, decided=4, expedited=3)
    elsewhere = audited("elsewhere", 1, enrolled=4, decided=1, site="hidalgo")

    assert inversions([joined_later, behind, expedited, elsewhere]) == []


def test_an_expedite_ahead_counts_only_from_its_grant() -> None:
    granted_later = audited("granted-later", 5, enrolled=3, expedited=2)
    booked_before = audited("booked-before", 3, enrolled=2, decided=1)
    booked_after = audited("booked-after", 3, enrolled=2, decided=3)

    assert inversions([granted_later, booked_before]) == []
    assert pairs(inversions([granted_later, booked_after])) == [("granted-later", "booked-after")]


def test_an_expedite_granted_after_the_decision_does_not_excuse_it() -> None:
    """A later grant cannot explain an earlier booking: `behind` jumped the line when it had
    no expedite (the gateway's copy used to excuse any family with a grant)."""
    ahead = audited("ahead", 5, enrolled=1)
    granted_after = audited("granted-after", 3, enrolled=2, decided=1, expedited=2)
    granted_before = audited("granted-before", 3, enrolled=2, decided=1, expedited=1)

    assert pairs(inversions([ahead, granted_after])) == [("ahead", "granted-after")]
    assert inversions([ahead, granted_before]) == []


def test_a_family_with_no_enrollment_comes_after_every_dated_one() -> None:
    dated = audited("dated", 5, enrolled=31)
    undated = audited("undated", 3, enrolled=None, decided=1)

    assert pairs(inversions([dated, undated])) == [("dated", "undated")]
    assert inversions([dataclasses.replace(dated, day=MONDAY), undated]) == []


def test_inversions_come_site_by_site_in_line_order() -> None:
    found = inversions(
        [
            audited("h-first", 6, enrolled=1, site="hidalgo"),
            audited("h-second", 1, enrolled=2, decided=1, site="hidalgo"),
            audited("l-first", 6, enrolled=1),
            audited("l-second", 5, enrolled=2),
            audited("l-third", 2, enrolled=3, decided=1),
            audited("l-fourth", 1, enrolled=4, decided=1),
        ]
    )

    assert pairs(found) == [
        ("h-first", "h-second"),
        ("l-first", "l-second"),
        ("l-first", "l-third"),
        ("l-second", "l-third"),
        ("l-first", "l-fourth"),
        ("l-second", "l-fourth"),
        ("l-third", "l-fourth"),
    ]


# Against the definition, pair by pair -------------------------------------------------------


def brute_force(appointments: list[Appointment]) -> set[tuple[str, str]]:
    """The rule read literally: every ordered pair, no sweep, no shortcut."""
    found = set()
    for ahead in appointments:
        for behind in appointments:
            moment = behind.decided_at
            granted = ahead.expedite_granted_at
            ahead_key = queue_key(
                family_unit_id=ahead.family_unit_id,
                earliest_enrollment=ahead.earliest_enrollment,
                registered_at=ahead.registered_at,
                expedite_granted_at=granted if granted and granted <= moment else None,
            )
            behind_key = queue_key(
                family_unit_id=behind.family_unit_id,
                earliest_enrollment=behind.earliest_enrollment,
                registered_at=behind.registered_at,
                expedite_granted_at=None,
            )
            behind_granted = behind.expedite_granted_at
            if (
                ahead.site == behind.site
                and behind.day < ahead.day
                and (behind_granted is None or behind_granted > moment)
                and ahead.queued_at <= moment
                and ahead_key < behind_key
            ):
                found.add((ahead.appointment_id, behind.appointment_id))
    return found


# Few values of each, so that ties (same day, same moment, same enrollment) are common.
hours = st.integers(0, 5).map(lambda n: T0 + n * HOUR)
bookings = st.lists(
    st.builds(
        Appointment,
        appointment_id=st.just(""),
        family_unit_id=st.just(""),
        site=st.sampled_from(["laredo", "hidalgo"]),
        day=st.integers(0, 4).map(lambda n: MONDAY + n * DAY),
        decided_at=hours,
        earliest_enrollment=st.none() | st.integers(1, 3).map(lambda n: dt.date(2019, 1, n)),
        registered_at=hours,
        expedite_granted_at=st.none() | hours,
        queued_at=hours,
    ),
    max_size=16,
).map(
    lambda drawn: [
        dataclasses.replace(a, appointment_id=f"ap-{n}", family_unit_id=f"f{n}")
        for n, a in enumerate(drawn)
    ]
)


@settings(max_examples=400, deadline=None)
@given(appointments=bookings)
def test_the_audit_finds_exactly_the_pairs_the_definition_names(
    appointments: list[Appointment],
) -> None:
    found = [(i.ahead.appointment_id, i.behind.appointment_id) for i in inversions(appointments)]

    assert len(found) == len(set(found))
    assert set(found) == brute_force(appointments)


# Plans --------------------------------------------------------------------------------------

families = st.lists(
    st.tuples(st.integers(1, 28), st.integers(1, 6), st.booleans()),  # enrolled, size, urgent
    min_size=2,
    max_size=30,
)


def planned(population: list[tuple[int, int, bool]], capacity: int) -> list[Appointment]:
    """A fair plan: families in key order, each on the first day with room for all of it."""
    line = sorted(
        (
            audited(f"f{n}", 0, enrolled=enrolled, expedited=0 if urgent else None)
            for n, (enrolled, _, urgent) in enumerate(population)
        ),
        key=lambda a: a.key_at(T0),
    )
    sizes = {f"f{n}": size for n, (_, size, _) in enumerate(population)}
    plan: list[Appointment] = []
    day, free = MONDAY, capacity
    for appointment in line:
        if sizes[appointment.family_unit_id] > free:
            day, free = day + DAY, capacity
        free -= sizes[appointment.family_unit_id]
        plan.append(dataclasses.replace(appointment, day=day))
    return plan


@settings(max_examples=60, deadline=None)
@given(population=families, capacity=st.integers(6, 12))
def test_a_plan_made_in_key_order_has_no_inversion(
    population: list[tuple[int, int, bool]], capacity: int
) -> None:
    assert inversions(planned(population, capacity)) == []


@settings(max_examples=60, deadline=None)
@given(population=families, capacity=st.integers(6, 12))
def test_moving_the_last_family_ahead_of_its_place_is_found(
    population: list[tuple[int, int, bool]], capacity: int
) -> None:
    plan = planned(population, capacity)
    last = plan[-1]
    assume(last.expedite_granted_at is None)
    jumped = dataclasses.replace(last, day=MONDAY - 3 * DAY)

    found = inversions([*plan[:-1], jumped])

    # Everyone was ahead of it and has a later day: each of them, and nobody else, was jumped.
    assert [(i.ahead, i.behind) for i in found] == [(other, jumped) for other in plan[:-1]]
