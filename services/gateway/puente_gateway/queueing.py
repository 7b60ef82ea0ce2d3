"""Scheduling events in the read model: sites, each family's place in its site's queue and its
current appointment; and the reads queuePosition, sites and fairnessAudit make of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from puente_runtime import Context
from puente_schemas import Event, fairness
from puente_schemas.events import (
    AppointmentEstimated,
    QueuePlace,
    Rescheduled,
    ScheduleCancelled,
    Scheduled,
    SiteUpdated,
    Waitlisted,
)
from sqlmodel import Session, col, select

from puente_gateway import ordering
from puente_gateway.tables import QueueEntry, SiteRow

__all__ = [
    "SCHEDULED",
    "WAITING",
    "apply",
    "appointments",
    "booked_between",
    "entry",
    "place",
    "site",
    "sites",
    "waiting_ahead",
]

WAITING, SCHEDULED, CANCELLED = "waiting", "scheduled", "cancelled"


def _site_updated(event: SiteUpdated, ctx: Context) -> None:
    site = event.site
    ctx.session.merge(
        SiteRow(
            id=site.id,
            name=site.name,
            kind=site.kind,
            latitude=site.latitude,
            longitude=site.longitude,
            capacity_per_day=site.capacity_per_day,
            open_weekdays=sorted(site.open_weekdays),
            open=site.open,
            reason=event.reason,
            updated_at=ctx.envelope.time,
        )
    )


def _entry(session: Session, family_unit_id: str) -> QueueEntry:
    return session.get(QueueEntry, family_unit_id) or QueueEntry(
        family_unit_id=family_unit_id, status=WAITING
    )


def _set_place(row: QueueEntry, place: QueuePlace | None) -> None:
    if place is None:
        return  # an older event without a place: keep the one we had
    row.earliest_enrollment = place.earliest_enrollment
    row.registered_at = place.registered_at
    row.expedite_granted_at = place.expedite_granted_at
    row.queued_at = place.queued_at


def _waitlisted(event: Waitlisted, ctx: Context) -> None:
    row = _entry(ctx.session, event.family_unit_id)
    row.site, row.people, row.eligible = event.site, event.people, event.eligible
    row.status, row.reason = WAITING, event.reason
    row.appointment_id = row.appointment_at = row.decided_at = None
    row.estimated_date = event.estimated_date
    _set_place(row, event.place)
    ctx.session.add(row)


def _estimated(event: AppointmentEstimated, ctx: Context) -> None:
    row = ctx.session.get(QueueEntry, event.family_unit_id)
    if row is not None and row.status == WAITING and row.site == event.site:
        row.estimated_date = event.estimated_date
        ctx.session.add(row)


def _scheduled(event: Scheduled | Rescheduled, ctx: Context) -> None:
    row = _entry(ctx.session, event.family_unit_id)
    row.site, row.people, row.eligible, row.status = event.site, event.people, True, SCHEDULED
    row.appointment_id, row.appointment_at = event.appointment_id, event.appointment_at
    row.decided_at = event.decided_at or ctx.envelope.time
    row.reason, row.estimated_date = getattr(event, "reason", ""), None
    _set_place(row, event.place)
    ctx.session.add(row)


def _cancelled(event: ScheduleCancelled, ctx: Context) -> None:
    row = ctx.session.get(QueueEntry, event.family_unit_id)
    if row is not None and row.appointment_id == event.appointment_id:
        row.status, row.reason = CANCELLED, event.reason
        row.appointment_id = row.appointment_at = None
        ctx.session.add(row)


_APPLY: Mapping[type[Event], Callable[[Any, Context], None]] = {
    SiteUpdated: _site_updated,
    Waitlisted: _waitlisted,
    AppointmentEstimated: _estimated,
    Scheduled: _scheduled,
    Rescheduled: _scheduled,
    ScheduleCancelled: _cancelled,
}


def apply(event: Event, ctx: Context) -> None:
    handler = _APPLY.get(type(event))
    if handler is not None:
        handler(event, ctx)
        ctx.session.flush()


def entry(session: Session, family_unit_id: str) -> QueueEntry | None:
    return session.get(QueueEntry, family_unit_id)


def site(session: Session, site_id: str) -> SiteRow | None:
    return session.get(SiteRow, site_id)


def sites(session: Session) -> Sequence[SiteRow]:
    return session.exec(select(SiteRow).order_by(col(SiteRow.id))).all()


def place(row: QueueEntry) -> ordering.Place | None:
    """The entry's place in line, if scheduling told us one."""
    if row.registered_at is None or row.queued_at is None:
        return None
    return ordering.Place(
        family_unit_id=row.family_unit_id,
        earliest_enrollment=row.earliest_enrollment,
        registered_at=row.registered_at,
        expedite_granted_at=row.expedite_granted_at,
        queued_at=row.queued_at,
    )


def _at_site(session: Session, site_id: str, status: str) -> Sequence[QueueEntry]:
    query = select(QueueEntry).where(QueueEntry.site == site_id, QueueEntry.status == status)
    return session.exec(query).all()


def waiting_ahead(session: Session, row: QueueEntry) -> list[QueueEntry]:
    """Eligible families waiting at the same site ahead of this one, in key order."""
    own = place(row)
    if own is None or row.site is None:
        return []
    mine = ordering.key(own)
    ahead = [
        (ordering.key(p), other)
        for other in _at_site(session, row.site, WAITING)
        if other.eligible and (p := place(other)) is not None and ordering.key(p) < mine
    ]
    return [other for _, other in sorted(ahead, key=lambda pair: pair[0])]


def booked_between(
    session: Session, start: dt.datetime, end: dt.datetime
) -> list[tuple[str, dt.datetime, int]]:
    """(site, appointment time, people) of every appointment in [start, end)."""
    query = select(QueueEntry.site, QueueEntry.appointment_at, QueueEntry.people).where(
        QueueEntry.status == SCHEDULED,
        col(QueueEntry.appointment_at) >= start,
        col(QueueEntry.appointment_at) < end,
    )
    return [(site or "", at, people) for site, at, people in session.exec(query) if at]


def appointments(session: Session, site_id: str) -> list[fairness.Appointment]:
    """The current appointments at the site whose place in line is known, as the fairness
    audit sees them."""
    found = []
    for row in _at_site(session, site_id, SCHEDULED):
        own = place(row)
        if own is None or row.appointment_at is None or row.decided_at is None:
            continue
        found.append(
            fairness.Appointment(
                appointment_id=row.appointment_id or "",
                family_unit_id=row.family_unit_id,
                site=site_id,
                day=row.appointment_at.date(),
                decided_at=row.decided_at,
                earliest_enrollment=own.earliest_enrollment,
                registered_at=own.registered_at,
                expedite_granted_at=own.expedite_granted_at,
                queued_at=own.queued_at,
            )
        )
    return found
