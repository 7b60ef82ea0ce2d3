"""Issue 8, item 6: every policy value is bounded, and a policy scheduling could not apply is
refused when it is announced, never after shelters were told. The bounds are the contract's
(PolicyChanges, checked by the gateway, notifications and scheduling alike) and the
announcement's (notifications)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from puente_gateway.roles import Role
from puente_notifications import domain
from puente_schemas.common import PolicyChanges

from tests.gateway.support import Harness

ANNOUNCE = (
    'mutation($changes: PolicyChangesInput!) { announcePolicy(title: "Capacity",'
    ' effectiveAt: "2021-03-01T00:00:00Z", changes: $changes) { status } }'
)
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("changes", "refused_with"),
    [
        ({"minNoticeHours": 1e308}, "changes.minNoticeHours: must be between 24 and 504 hours"),
        ({"minNoticeHours": 0}, "changes.minNoticeHours: must be between 24 and 504 hours"),
        (
            {"sites": [{"site": "hidalgo", "capacityPerDay": 100_000}]},
            "changes.sites[0].capacityPerDay: must be at most 2000 people a day",
        ),
        (
            {"sites": [{"site": "hidalgo", "open": True}, {"site": "hidalgo", "open": False}]},
            "changes.sites[1].site: is listed twice",
        ),
    ],
    ids=["1e308 hours", "no notice", "capacity", "a site twice"],
)
async def test_a_policy_value_out_of_bounds_is_refused_and_nothing_sent(
    harness: Harness, changes: dict[str, Any], refused_with: str
) -> None:
    officer = harness.context_for(Role.POLICY_OFFICER)

    result = await harness.execute(ANNOUNCE, officer, changes=changes)

    assert [e.message for e in result.errors or []] == [refused_with]
    assert harness.staged_commands() == []


def test_a_policy_within_the_bounds_is_accepted() -> None:
    changes = PolicyChanges.model_validate(
        {"sites": [{"site": "hidalgo", "capacity_per_day": 300}], "min_notice_hours": 48}
    )
    assert changes.errors({"hidalgo"}) == []


@pytest.mark.parametrize(
    ("title", "effective_at", "refused_with"),
    [
        ("x" * 10_000, NOW + dt.timedelta(days=2), ("title", "is longer than 200 characters")),
        (
            "Nogales opens",
            dt.datetime(9999, 12, 31, tzinfo=dt.UTC),
            ("effective_at", "must be within a year of its announcement"),
        ),
    ],
    ids=["10,000-character title", "effective in 9999"],
)
def test_an_announcement_out_of_bounds_is_refused(
    title: str, effective_at: dt.datetime, refused_with: tuple[str, str]
) -> None:
    errors = domain.policy_errors(
        title=title,
        effective_at=effective_at,
        changes=PolicyChanges(),
        now=NOW,
        notice=dt.timedelta(hours=24),
    )
    assert [(e.field, e.message) for e in errors] == [refused_with]
