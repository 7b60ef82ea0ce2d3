"""The gateway's pure rules: queue order and estimates, the fairness audit, the lookup rate
limit, registrant texts and the GraphQL enums that mirror the contracts."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from hypothesis import given, settings
from hypothesis import strategies as st
from puente_gateway.api.types import PartnerKind, RoleName
from puente_gateway.fairness import Booking, inversions
from puente_gateway.ordering import Place, Site, estimate_day, key
from puente_gateway.ratelimit import RateLimit
from puente_gateway.roles import ISSUABLE
from puente_gateway.standing import Standing, Status, message
from puente_gateway.templates import FALLBACK, TEMPLATES
from puente_schemas import common

T0 = dt.datetime(2021, 2, 19, 8, tzinfo=dt.UTC)
MONDAY = dt.date(2021, 2, 22)
WEEKDAYS = Site(capacity_per_day=10, open_weekdays=frozenset(range(5)), open=True)


def a_place(name: str, enrolled: dt.date | None, **more: dt.datetime | None) -> Place:
    values: dict[str, dt.datetime | None] = {
        "registered_at": T0,
        "expedite_granted_at": None,
        "queued_at": T0,
    } | more
    return Place(family_unit_id=name, earliest_enrollment=enrolled, **values)  # type: ignore[arg-type]


def test_expedites_go_first_by_grant_then_enrollment_then_registration() -> None:
    places = [
        a_place("late-registration", dt.date(2019, 1, 1), registered_at=T0 + dt.timedelta(1)),
        a_place("never-in-mpp", None),
        a_place("second-grant", dt.date(2020, 1, 1), expedite_granted_at=T0 + dt.timedelta(2)),
        a_place("early", dt.date(2019, 1, 1)),
        a_place("first-grant", dt.date(2020, 5, 1), expedite_granted_at=T0),
    ]

    ordered = [p.family_unit_id for p in sorted(places, key=key)]

    assert ordered == ["first-grant", "second-grant", "early", "late-registration", "never-in-mpp"]


def test_an_estimate_never_splits_a_family_nor_books_a_closed_day() -> None:
    booked = {MONDAY: 8}

    day = estimate_day(WEEKDAYS, booked=booked, ahead=[3, 9], people=4, earliest=MONDAY)

    # Monday has 2 seats: the family of 3 goes Tuesday (7 left), the 9 Wednesday (1 left),
    # so the family of 4 waits for Thursday.
    assert day == MONDAY + dt.timedelta(days=3)
    assert estimate_day(WEEKDAYS, booked={}, ahead=[10] * 5, people=1, earliest=MONDAY) == (
        MONDAY + dt.timedelta(days=7)
    )


def test_no_estimate_for_a_closed_site_or_a_family_larger_than_a_day() -> None:
    closed = Site(capacity_per_day=10, open_weekdays=frozenset(range(5)), open=False)

    assert estimate_day(closed, booked={}, ahead=[], people=1, earliest=MONDAY) is None
    assert estimate_day(WEEKDAYS, booked={}, ahead=[], people=11, earliest=MONDAY) is None


families = st.lists(
    st.tuples(
        st.dates(dt.date(2019, 1, 1), dt.date(2020, 12, 31)),
        st.integers(1, 6),
        st.booleans(),
    ),
    min_size=1,
    max_size=30,
)


def planned(population: list[tuple[dt.date, int, bool]], capacity: int) -> list[Booking]:
    """A fair plan: families in key order, each on the first day it fits."""
    places = [
        a_place(f"f{n}", enrolled, expedite_granted_at=T0 if urgent else None)
        for n, (enrolled, _, urgent) in enumerate(population)
    ]
    sizes = {f"f{n}": size for n, (_, size, _) in enumerate(population)}
    site = Site(capacity_per_day=capacity, open_weekdays=frozenset(range(5)), open=True)
    bookings: list[Booking] = []
    booked: dict[dt.date, int] = {}
    for place in sorted(places, key=key):
        # Only the last day can still have room: a fair plan fills days in order.
        last = max(booked, default=MONDAY)
        day = estimate_day(
            site,
            booked={last: booked.get(last, 0)},
            ahead=[],
            people=sizes[place.family_unit_id],
            earliest=MONDAY,
        )
        assert day is not None
        booked[day] = booked.get(day, 0) + sizes[place.family_unit_id]
        bookings.append(Booking(f"ap-{place.family_unit_id}", day, place, T0))
    return bookings


@settings(max_examples=60, deadline=None)
@given(population=families, capacity=st.integers(6, 12))
def test_a_plan_made_in_key_order_has_no_inversion(
    population: list[tuple[dt.date, int, bool]], capacity: int
) -> None:
    bookings = planned(population, capacity)

    assert inversions(bookings, checked=bookings) == []


@settings(max_examples=60, deadline=None)
@given(population=families, capacity=st.integers(6, 12))
def test_moving_a_family_ahead_of_its_place_is_found(
    population: list[tuple[dt.date, int, bool]], capacity: int
) -> None:
    bookings = planned(population, capacity)
    last = max(bookings, key=lambda b: (b.day, key(b.place)))
    earlier = [b for b in bookings if b.day < last.day and b.place.expedite_granted_at is None]
    if last.place.expedite_granted_at is not None or not earlier:
        return
    jumped = Booking(last.appointment_id, MONDAY - dt.timedelta(days=3), last.place, T0)
    changed = [jumped if b is last else b for b in bookings]

    found = inversions(changed, checked=changed)

    # The moved family is behind everyone booked before it, so it is the `behind` of every
    # pair found, and nothing else is.
    assert found
    assert {behind.appointment_id for _, behind in found} == {last.appointment_id}


def test_a_limit_counts_attempts_per_key_in_a_sliding_window() -> None:
    now = [0.0]
    limit = RateLimit(limit=2, window_seconds=60, now=lambda: now[0])

    first = [limit.allow("address:a", "code:x") for _ in range(3)]
    other_code_same_address = limit.allow("address:a", "code:y")
    now[0] = 61.0
    later = limit.allow("address:a", "code:x")

    assert first == [True, True, False]
    assert other_code_same_address is False
    assert later is True


def test_every_language_has_every_text_and_the_fallback_says_an_interpreter_helps() -> None:
    for language, texts in TEMPLATES.items():
        assert texts.keys() == TEMPLATES[FALLBACK].keys(), language
    status = Status(standing=Standing.WAITING, place=4, site_name="Nogales", estimated_date=MONDAY)

    used, text = message(status, "kek")

    assert used == "spa"
    assert text.startswith("Su familia tiene el lugar 4 en la fila de Nogales.")
    assert text.endswith(TEMPLATES["spa"]["interpreter"])
    assert {language: message(status, language)[0] for language in TEMPLATES} == {
        language: language for language in TEMPLATES
    }


def test_graphql_enums_spell_the_contracts() -> None:
    def values(enum: type[Enum]) -> set[str]:
        return {member.value for member in enum}

    assert values(PartnerKind) == values(common.PartnerKind)
    assert values(RoleName) == {role.value for role in ISSUABLE}
