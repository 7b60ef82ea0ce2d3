"""stuckFamilies: the families the caller follows whose journey has not moved for longer than
expected, the longest overdue first, each with the rule that found it and the reason a service
gave, when one did (stuck.py). Filtered by access.py like every read of a family, and audited:
a caller learns nothing of families it does not follow."""

from __future__ import annotations

import datetime as dt
from itertools import islice

import strawberry
from sqlmodel import Session
from strawberry.types import Info

from puente_gateway import records, stuck
from puente_gateway.access import may_follow
from puente_gateway.api.families import Stage
from puente_gateway.api.permissions import audit_read, engine, gateway, principal

__all__ = ["StuckFamily", "stuck_families"]

MAX_FAMILIES = 500
ACCESS_PAGE = 1000  # families whose access is read at a time, until `limit` are followed


@strawberry.type(description="A family whose journey has not moved for longer than expected.")
class StuckFamily:
    family_unit_id: strawberry.ID
    stage: Stage
    site: str | None
    since: dt.datetime = strawberry.field(description="When it reached the step it stands at.")
    expected_by: dt.datetime = strawberry.field(description="When it should have moved on.")
    overdue_hours: float
    rule: str = strawberry.field(
        description="What found it: not-scheduled, not-booked, not-departed, not-arrived, "
        "processing-overdue or not-released."
    )
    rule_text: str
    reason: str | None = strawberry.field(
        description="Why, when a service said so: waitlisted, a missed pick-up or a failed "
        "trip, processing overdue, or an event held back (parked) waiting for its cause."
    )


def _followed(info: Info, session: Session, found: list[stuck.Stuck]) -> list[stuck.Stuck]:
    caller = principal(info)
    assert caller is not None
    if may_follow(caller, None):
        return found  # an agency's unscoped case role follows every family: nothing to read
    access = records.access_many(session, {s.family_unit_id for s in found})
    return [s for s in found if may_follow(caller, access.get(s.family_unit_id))]


def _reason(row: stuck.Stuck, parked: dict[str, str], failures: dict[str, str]) -> str | None:
    """An event held back explains most (the stage shown is behind it), then what the rule's
    own service said, then, for a family left without transport, why its trip failed."""
    if row.family_unit_id in parked:
        return f"parked: {parked[row.family_unit_id]}"
    if row.reason:
        return row.reason
    return failures.get(row.family_unit_id) if row.rule == "not-booked" else None


def _family(row: stuck.Stuck, now: dt.datetime, reason: str | None) -> StuckFamily:
    return StuckFamily(
        family_unit_id=strawberry.ID(row.family_unit_id),
        stage=Stage(row.stage),
        site=row.site,
        since=row.since,
        expected_by=row.expected_by,
        overdue_hours=round((now - row.expected_by).total_seconds() / 3600, 2),
        rule=row.rule,
        rule_text=stuck.RULES[row.rule],
        reason=reason,
    )


def stuck_families(info: Info, limit: int = 100) -> list[StuckFamily]:
    """At most `limit` (1 to 500) families."""
    if not 1 <= limit <= MAX_FAMILIES:
        raise ValueError(f"limit: must be between 1 and {MAX_FAMILIES}")
    now = gateway(info).clock.now()
    limits = stuck.Thresholds.of(gateway(info).settings)
    chosen: list[stuck.Stuck] = []
    with Session(engine(info)) as session:
        found = stuck.stuck(session, now, limits)
        while len(chosen) < limit and (page := list(islice(found, ACCESS_PAGE))):
            chosen.extend(_followed(info, session, page))
        chosen = chosen[:limit]
        ids = {s.family_unit_id for s in chosen}
        parked = stuck.parked_reasons(session, ids)
        failures = stuck.transport_failures(session, ids)
    caller = principal(info)
    assert caller is not None
    if chosen:
        audit_read(info, caller, [s.family_unit_id for s in chosen], allowed=True)
    return [_family(row, now, _reason(row, parked, failures)) for row in chosen]
