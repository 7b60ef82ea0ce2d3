"""Issue 8, item 5: a family registered in a city no route reaches (elsewhere in the region)
is told so and what happens next, instead of taking appointments transport can only fail
until it silently pauses."""

from __future__ import annotations

import datetime as dt

from puente_scheduling import domain
from puente_scheduling.announce import events
from puente_scheduling.domain import Status
from puente_schemas.events import Scheduled, Waitlisted

MONDAY = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)


def arrive(plan: domain.Plan, city: str, country: str) -> None:
    plan.register(
        domain.Arrival("f", 3, city, country, frozenset({"active"}), dt.date(2019, 6, 3), MONDAY),
        now=MONDAY,
    )


def test_a_family_no_route_reaches_waits_with_the_reason_and_what_comes_next() -> None:
    plan = domain.Plan(sites=domain.DEFAULT_SITES, policy=domain.Policy())

    arrive(plan, "Quetzaltenango", "GT")
    [told] = events(plan.changes())

    assert plan.families["f"].appointment is None
    assert isinstance(told, Waitlisted) and told.site is None
    assert told.reason == (
        "no transport from Quetzaltenango, GT: routes start in the Mexican cities Puente "
        "serves; the family joins a line when its location is updated to one"
    )

    plan.update(
        "f",
        people=3,
        city="Tapachula",
        country="MX",
        categories=frozenset({"active"}),
        now=MONDAY,
    )

    assert plan.families["f"].status is Status.SCHEDULED
    assert any(isinstance(e, Scheduled) for e in events(plan.changes()))
