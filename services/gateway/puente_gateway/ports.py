"""Processing events in the read model: each member's documents and their status, the
family's arrival, check-in, end of processing and release (each timestamped), what was not
ready at check-in, overdue processing, the court, attorney access; the reads of them; and
the site that processes each family, which port officers are limited to (access.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from puente_runtime import Context
from puente_schemas import Event
from puente_schemas.events import (
    ArrivedAtPort,
    AttorneyAccessDecided,
    CheckedIn,
    CourtAssigned,
    DocumentsPrepared,
    Processed,
    ProcessingOverdue,
    Released,
)
from sqlalchemy import delete
from sqlmodel import Session, col, select

from puente_gateway.tables import AttorneyAccessRow, DocumentRow, PortVisit, QueueEntry

__all__ = [
    "READY",
    "apply",
    "attorney_access",
    "documents",
    "not_ready",
    "site_of",
    "sites_of",
    "visit",
    "visits_at",
]

READY = "ready"


def _visit(session: Session, family_unit_id: str) -> PortVisit:
    return session.get(PortVisit, family_unit_id) or PortVisit(family_unit_id=family_unit_id)


def _documents(event: DocumentsPrepared, ctx: Context) -> None:
    """Each event lists every document the family needs now: it replaces what we had."""
    ctx.session.exec(
        delete(DocumentRow).where(col(DocumentRow.family_unit_id) == event.family_unit_id)
    )
    for document in event.documents:
        ctx.session.add(
            DocumentRow(
                family_unit_id=event.family_unit_id,
                member_id=document.member_id,
                kind=document.kind,
                status=document.status,
                updated_at=ctx.envelope.time,
            )
        )


def _arrived(event: ArrivedAtPort, ctx: Context) -> None:
    visit = _visit(ctx.session, event.family_unit_id)
    visit.site, visit.arrived_at = event.site, event.arrived_at
    ctx.session.add(visit)


def _checked_in(event: CheckedIn, ctx: Context) -> None:
    """Processing reported every document change before the check-in on the same topic, so
    what is pending here is what the family arrived without."""
    visit = _visit(ctx.session, event.family_unit_id)
    visit.site, visit.checked_in_at = event.site, event.checked_in_at
    visit.not_ready_at_check_in = [
        {"member_id": row.member_id, "kind": row.kind}
        for row in not_ready(documents(ctx.session, event.family_unit_id))
    ]
    ctx.session.add(visit)


def _processed(event: Processed, ctx: Context) -> None:
    visit = _visit(ctx.session, event.family_unit_id)
    visit.site, visit.processed_at = event.site, event.processed_at
    ctx.session.add(visit)


def _released(event: Released, ctx: Context) -> None:
    visit = _visit(ctx.session, event.family_unit_id)
    visit.site, visit.released_at = event.site, event.released_at
    visit.destination, visit.shelter_id = event.destination, event.shelter_id
    visit.court = event.court or visit.court
    visit.on_parole, visit.onward_travel = event.on_parole, list(event.onward_travel)
    visit.after_release, visit.language = event.after_release, event.language
    ctx.session.add(visit)


def _overdue(event: ProcessingOverdue, ctx: Context) -> None:
    visit = _visit(ctx.session, event.family_unit_id)
    visit.site, visit.checked_in_at = event.site, visit.checked_in_at or event.checked_in_at
    visit.overdue_target_hours = event.target_hours
    ctx.session.add(visit)


def _court(event: CourtAssigned, ctx: Context) -> None:
    visit = _visit(ctx.session, event.family_unit_id)
    visit.court = event.court
    ctx.session.add(visit)


def _attorney(event: AttorneyAccessDecided, ctx: Context) -> None:
    ctx.session.merge(
        AttorneyAccessRow(
            request_id=event.request_id,
            family_unit_id=event.family_unit_id,
            attorney_organisation_id=event.attorney_organisation_id,
            granted=event.granted,
            reason=event.reason,
            decided_at=ctx.envelope.time,
        )
    )


_APPLY: Mapping[type[Event], Callable[[Any, Context], None]] = {
    DocumentsPrepared: _documents,
    ArrivedAtPort: _arrived,
    CheckedIn: _checked_in,
    Processed: _processed,
    Released: _released,
    ProcessingOverdue: _overdue,
    CourtAssigned: _court,
    AttorneyAccessDecided: _attorney,
}


def apply(event: Event, ctx: Context) -> None:
    handler = _APPLY.get(type(event))
    if handler is not None:
        handler(event, ctx)
        ctx.session.flush()


def documents(session: Session, family_unit_id: str) -> Sequence[DocumentRow]:
    query = select(DocumentRow).where(DocumentRow.family_unit_id == family_unit_id)
    return session.exec(query.order_by(col(DocumentRow.member_id), col(DocumentRow.kind))).all()


def not_ready(rows: Sequence[DocumentRow]) -> list[DocumentRow]:
    return [row for row in rows if row.status != READY]


def visit(session: Session, family_unit_id: str) -> PortVisit | None:
    return session.get(PortVisit, family_unit_id)


def visits_at(session: Session, site: str | None) -> Sequence[PortVisit]:
    """Families that checked in (at `site`, or anywhere), by check-in time."""
    query = select(PortVisit).where(col(PortVisit.checked_in_at).is_not(None))
    if site is not None:
        query = query.where(PortVisit.site == site)
    order = (col(PortVisit.checked_in_at), col(PortVisit.family_unit_id))
    return session.exec(query.order_by(*order)).all()


def attorney_access(session: Session, family_unit_id: str) -> Sequence[AttorneyAccessRow]:
    """The attorneys' requests to reach the family during processing, and their outcome."""
    query = select(AttorneyAccessRow).where(AttorneyAccessRow.family_unit_id == family_unit_id)
    order = (col(AttorneyAccessRow.decided_at), col(AttorneyAccessRow.request_id))
    return session.exec(query.order_by(*order)).all()


def site_of(session: Session, family_unit_id: str) -> str | None:
    return sites_of(session, [family_unit_id]).get(family_unit_id)


def sites_of(session: Session, family_unit_ids: Iterable[str]) -> dict[str, str]:
    """The site that processes each family: the port it reached, else the site of its place
    in line or appointment (a booking follows its appointment: the gateway parks it until
    then). Families at no site yet are left out."""
    wanted = set(family_unit_ids)
    if not wanted:
        return {}
    lines = select(QueueEntry).where(
        col(QueueEntry.family_unit_id).in_(wanted), col(QueueEntry.site).is_not(None)
    )
    visits = select(PortVisit).where(
        col(PortVisit.family_unit_id).in_(wanted), col(PortVisit.site).is_not(None)
    )
    found = {row.family_unit_id: row.site for row in session.exec(lines) if row.site}
    return found | {row.family_unit_id: row.site for row in session.exec(visits) if row.site}
