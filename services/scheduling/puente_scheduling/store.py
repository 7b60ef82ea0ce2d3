"""The plan kept in memory between messages, and its rows in the database.

Loading every family takes a moment; one registration must not. So the plan stays in memory
and each transaction writes only what changed, with a new version of the plan (a random
token) that replaces the one it was read at, and refuses to when another process replaced it
first. A plan in memory is used only if the database holds its version: one whose
transaction failed, or that another process has moved past, is loaded again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

from puente_schemas.common import CaseCategory
from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from puente_scheduling.domain import (
    DEFAULT_SITES,
    Appointment,
    Changes,
    Family,
    FamilyChange,
    Plan,
    Policy,
    Site,
    Status,
)
from puente_scheduling.tables import AppointmentRow, PolicyRow, QueueRow, SiteRow

FIRST_START = "the sites scheduling starts with"


class StalePlan(Exception):
    """Another process changed the plan first: the message is tried again on a fresh plan."""


class Store:
    def __init__(self, *, defaults: Policy) -> None:
        self._defaults = defaults
        self._plan: Plan | None = None
        self._version: str | None = None  # the version the plan in memory is, if known
        self._seen = ""

    def open(self, session: Session) -> Plan:
        """The current plan, for one transaction; seeded on the very first start."""
        row = session.get(PolicyRow, 1)
        if row is None:
            row = PolicyRow(id=1, version=_new_version(), **_policy_values(self._defaults))
            session.add(row)
            session.flush()
            self._plan = Plan(sites=DEFAULT_SITES, policy=self._defaults)
            self._plan.announce_sites(FIRST_START)
        elif self._plan is None or row.version != self._version:
            self._plan = load(session, row)
        self._seen, self._version = row.version, None  # unknown until `save`
        return self._plan

    def save(self, session: Session, plan: Plan, changes: Changes) -> None:
        """Write what changed, in the caller's transaction, as a new version of the plan."""
        if not changes:
            self._version = self._seen
            return
        estimated = [c for c in changes.families if c.only_estimate]
        if estimated:  # one statement for the many estimates a change in a line moves
            rows = [
                {"family_unit_id": c.family.id, "estimated_day": c.family.estimate}
                for c in estimated
            ]
            session.execute(update(QueueRow), rows)
        for change in changes.families:
            if not change.only_estimate:
                _write_family(session, change)
        for site_id in {site.id for site, _ in changes.sites} | set(changes.cursors):
            session.merge(_site_row(plan.sites[site_id], plan.cursor(site_id)))
        values: dict[str, Any] = {"version": _new_version()}
        if changes.policy is not None:
            values |= _policy_values(changes.policy)
        statement = update(PolicyRow).where(
            col(PolicyRow.id) == 1, col(PolicyRow.version) == self._seen
        )
        if session.execute(statement.values(**values)).rowcount != 1:  # type: ignore[attr-defined]
            raise StalePlan("the plan changed in another process")
        self._version = values["version"]


def load(session: Session, policy: PolicyRow) -> Plan:
    rows = session.exec(select(SiteRow)).all()
    plan = Plan(
        sites=[_site(row) for row in rows],
        policy=Policy(
            eligible=frozenset(CaseCategory(c) for c in _split(policy.eligible_categories)),
            min_notice=dt.timedelta(hours=policy.min_notice_hours),
            horizon=dt.timedelta(days=policy.horizon_days),
        ),
        cursors={row.id: row.cursor_day for row in rows if row.cursor_day},
    )
    appointments = {a.family_unit_id: a for a in session.exec(select(AppointmentRow))}
    for row in session.exec(select(QueueRow)):
        plan.restore(_family(row, appointments.get(row.family_unit_id)))
    return plan


def _new_version() -> str:
    return uuid.uuid4().hex


def _write_family(session: Session, change: FamilyChange) -> None:
    family, before = change.family, change.before
    values = _queue_values(family)
    row = None if before.status is None else session.get(QueueRow, family.id)  # None: new
    if row is None:
        row = QueueRow(**values)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    session.add(row)
    if before.appointment != family.appointment:
        if before.appointment is not None:
            session.execute(
                delete(AppointmentRow).where(col(AppointmentRow.family_unit_id) == family.id)
            )
        if family.appointment is not None:
            session.add(_appointment_row(family, family.appointment))


def _queue_values(family: Family) -> dict[str, Any]:
    return {
        "family_unit_id": family.id,
        "people": family.people,
        "city": family.city,
        "country": family.country,
        "categories": ",".join(sorted(family.categories)),
        "earliest_enrollment": family.earliest_enrollment,
        "registered_at": family.registered_at,
        "queued_at": family.queued_at,
        "expedite_granted_at": family.expedite_granted_at,
        "status": family.status.value,
        "site": family.site,
        "decided_at": family.appointment.decided_at if family.appointment else None,
        "transport_failures": family.transport_failures,
        "not_before": family.not_before,
        "estimated_day": family.estimate,
    }


def _family(row: QueueRow, appointment: AppointmentRow | None) -> Family:
    family = Family(
        id=row.family_unit_id,
        people=row.people,
        city=row.city,
        country=row.country,
        categories=frozenset(_split(row.categories)),
        earliest_enrollment=row.earliest_enrollment,
        registered_at=row.registered_at,
        queued_at=row.queued_at,
        expedite_granted_at=row.expedite_granted_at,
        status=Status(row.status),
        site=row.site,
        transport_failures=row.transport_failures,
        not_before=row.not_before,
        estimate=row.estimated_day,
    )
    if appointment is not None and family.status is Status.SCHEDULED:
        family.appointment = Appointment(
            id=appointment.id,
            site=appointment.site,
            day=appointment.day,
            at=appointment.at,
            people=appointment.people,
            decided_at=row.decided_at or appointment.at,
        )
    return family


def _appointment_row(family: Family, appointment: Appointment) -> AppointmentRow:
    return AppointmentRow(
        id=appointment.id,
        family_unit_id=family.id,
        site=appointment.site,
        day=appointment.day,
        at=appointment.at,
        people=appointment.people,
        origin_city=family.city,
        origin_country=family.country,
        enrolled_on=family.earliest_enrollment,
    )


def _site_row(site: Site, cursor: dt.date | None) -> SiteRow:
    values = dataclasses.asdict(site)
    values["open_weekdays"] = ",".join(str(d) for d in sorted(site.open_weekdays))
    return SiteRow(**values, cursor_day=cursor)


def _site(row: SiteRow) -> Site:
    return Site(
        id=row.id,
        name=row.name,
        kind=row.kind,
        latitude=row.latitude,
        longitude=row.longitude,
        capacity_per_day=row.capacity_per_day,
        open_weekdays=frozenset(int(d) for d in _split(row.open_weekdays)),
        open=row.open,
        opens_at_hour=row.opens_at_hour,
    )


def _policy_values(policy: Policy) -> dict[str, Any]:
    return {
        "eligible_categories": ",".join(sorted(policy.eligible)),
        "min_notice_hours": policy.min_notice.total_seconds() / 3600,
        "horizon_days": policy.horizon.total_seconds() / 86400,
    }


def _split(text: str) -> list[str]:
    return [part for part in text.split(",") if part]
