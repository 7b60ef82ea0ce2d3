"""stuckFamilies: families whose journey has not moved for longer than expected, each with
the rule that found it and the reason a service gave; only the families the caller follows
(access.py), audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from puente_gateway.roles import Role
from puente_gateway.tables import AuditRow
from puente_schemas.common import PartnerKind
from puente_schemas.events import ArrivedAtPort, CheckedIn, ProcessingOverdue, TransportFailed
from sqlmodel import Session, select

from .support import T0, Harness, booked, place, registered, scheduled, waitlisted

HOUR = dt.timedelta(hours=1)
STUCK = """{ stuckFamilies { familyUnitId stage site since expectedBy overdueHours rule
  reason } }"""


async def journeys(harness: Harness) -> None:
    """At T0 + 30 h: families at every step, some stuck and some moving on time."""
    ids = ["waiting", "new", "on-time", "missed", "not-departed", "overdue", "booked"]
    await harness.publish_all(*(registered(fid) for fid in ids))
    await harness.publish_all(
        waitlisted("waiting", place(dt.date(2019, 6, 1))),
        scheduled("on-time").model_copy(update={"decided_at": T0 + 20 * HOUR}),
        scheduled("missed"),
        scheduled("not-departed"),
        scheduled("overdue"),
        scheduled("booked"),
    )
    await harness.publish_all(
        booked("missed", "bk-missed"),
        booked("not-departed", "bk-nd", departure_at=T0 + 20 * HOUR),
        booked("overdue", "bk-overdue"),
        booked("booked", "bk-booked"),
    )
    await harness.publish_all(
        TransportFailed(family_unit_id="missed", appointment_id="ap-missed",
                        reason="missed pick-up: nobody came"),
        ArrivedAtPort(family_unit_id="overdue", booking_id="bk-overdue", site="brownsville",
                      arrived_at=T0 + 20 * HOUR),
    )  # fmt: skip
    await harness.publish_all(
        CheckedIn(family_unit_id="overdue", site="brownsville", checked_in_at=T0 + 21 * HOUR)
    )
    await harness.publish_all(
        ProcessingOverdue(family_unit_id="overdue", site="brownsville",
                          checked_in_at=T0 + 21 * HOUR, target_hours=2.5)
    )  # fmt: skip
    harness.clock.advance(30 * HOUR)


async def stuck(harness: Harness, context: dict[str, Any]) -> dict[str, dict[str, Any]]:
    result = await harness.execute(STUCK, context)
    assert result.errors is None, result.errors
    assert result.data is not None
    return {row["familyUnitId"]: row for row in result.data["stuckFamilies"]}


async def test_each_stuck_family_shows_with_its_rule_and_the_reason_its_service_gave(
    make_harness: Any,
) -> None:
    harness = make_harness(stuck_unbooked_hours=24.0, stuck_unscheduled_hours=24.0)
    await harness.start()
    await journeys(harness)

    found = await stuck(harness, harness.context)

    assert set(found) == {"waiting", "new", "missed", "not-departed", "overdue"}
    assert found["waiting"]["rule"] == "not-scheduled"
    assert found["waiting"]["stage"] == "WAITING"
    assert found["waiting"]["reason"] == "waitlisted: waiting for capacity"
    assert found["new"]["rule"] == "not-scheduled"
    assert found["new"]["reason"] is None
    assert found["new"]["overdueHours"] == 6.0
    assert found["missed"]["rule"] == "not-booked"
    assert found["missed"]["reason"] == "missed pick-up: nobody came"
    assert found["not-departed"]["rule"] == "not-departed"
    assert found["not-departed"]["expectedBy"] == (T0 + 21 * HOUR).isoformat()
    assert found["overdue"]["rule"] == "processing-overdue"
    assert found["overdue"]["reason"] == "processing overdue: over the site's target of 2.5 h"
    # The longest overdue first: the overdue processing was due at T0 + 23.5 h.
    assert list(found)[:2] == ["not-departed", "overdue"]


async def test_thresholds_are_settings(make_harness: Any) -> None:
    harness = make_harness(stuck_unscheduled_hours=48.0, stuck_unbooked_hours=48.0)
    await harness.start()
    await journeys(harness)

    found = await stuck(harness, harness.context)

    assert set(found) == {"not-departed", "overdue"}


async def test_a_caller_sees_only_the_stuck_families_it_follows_and_the_read_is_audited(
    harness: Harness,
) -> None:
    await harness.publish_all(
        registered("ours", organisation_id="org-legal-aid"), registered("theirs")
    )
    harness.clock.advance(30 * HOUR)
    lawyer = harness.context_for(
        Role.LEGAL_PROVIDER, kind=PartnerKind.LEGAL_PROVIDER, organisation_id="org-legal-aid"
    )
    shelter = harness.context_for(Role.SHELTER, kind=PartnerKind.SHELTER, shelter_id="casa")

    assert set(await stuck(harness, lawyer)) == {"ours"}
    assert await stuck(harness, shelter) == {}
    assert set(await stuck(harness, harness.context)) == {"ours", "theirs"}
    with Session(harness.gateway.service.engine) as session:
        rows = session.exec(select(AuditRow).where(AuditRow.operation == "stuckFamilies")).all()
    assert sorted((r.family_unit_id, r.organisation_id) for r in rows) == [
        ("ours", "org-dhs"),
        ("ours", "org-legal-aid"),
        ("theirs", "org-dhs"),
    ]


async def test_a_limit_out_of_bounds_is_refused_by_name(harness: Harness) -> None:
    result = await harness.execute("{ stuckFamilies(limit: 0) { rule } }", harness.context)

    assert result.errors is not None
    assert result.errors[0].message == "limit: must be between 1 and 500"
