"""A family's standing, place in line and estimated date, from the read model. The estimate is
scheduling's (appointment-estimated), shown as published."""

from __future__ import annotations

from puente_schemas.places import SITE_PLACES
from sqlmodel import Session

from puente_gateway import projection, queueing, records
from puente_gateway.standing import Standing, Status, standing
from puente_gateway.tables import QueueEntry

__all__ = ["site_name", "status_of"]


def site_name(session: Session, site_id: str | None) -> str | None:
    if site_id is None:
        return None
    row = queueing.site(session, site_id)
    if row is not None:
        return row.name
    place = SITE_PLACES.get(site_id)
    return place.name if place else site_id


def status_of(session: Session, family_unit_id: str) -> Status | None:
    """None for a family the read model does not know (or whose registration was rejected)."""
    view = projection.family(session, family_unit_id)
    if view is None or view.stage in ("UNKNOWN", "REJECTED"):
        return None
    record = records.record(session, family_unit_id)
    entry = queueing.entry(session, family_unit_id)
    # Waiting for capacity means waiting at a site; waiting for eligibility may be anywhere.
    waiting = (
        entry is not None
        and entry.status == queueing.WAITING
        and (entry.site is not None or not entry.eligible)
    )
    found = standing(
        stage=view.stage,
        has_appointment=view.appointment_at is not None,
        inside_us=record.inside_us if record else False,
        waiting=waiting,
        eligible=entry.eligible if entry else True,
    )
    site_id = view.site or (entry.site if entry else None)
    status = Status(
        standing=found,
        site=site_id,
        site_name=site_name(session, site_id),
        appointment_at=view.appointment_at if view.site else None,
    )
    if found is Standing.WAITING and entry is not None:
        return _waiting(session, entry, status)
    return status


def _waiting(session: Session, entry: QueueEntry, status: Status) -> Status:
    return Status(
        standing=status.standing,
        place=len(queueing.waiting_ahead(session, entry)) + 1,
        site=status.site,
        site_name=status.site_name,
        estimated_date=entry.estimated_date,
    )
