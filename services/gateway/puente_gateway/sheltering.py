"""Shelter events in the read model: each shelter's beds and services, and the families each
one expects (size, languages, needs: never a name or legal history) until they arrive.

A family is expected at one shelter at a time: a new assignment replaces the last. It is no
longer expected when its appointment is cancelled (processing gives the beds back) or when it
is released to somewhere else (a sponsor). Both are processing's to say: it publishes
`shelter-assignment-withdrawn` when it gives the beds back, and the release names the shelter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from puente_runtime import Context
from puente_schemas import Event
from puente_schemas.events import (
    Released,
    ShelterArrivalConfirmed,
    ShelterAssigned,
    ShelterAssignmentWithdrawn,
    ShelterUpdated,
)
from sqlalchemy import func
from sqlmodel import Session, col, select

from puente_gateway.tables import ShelterArrival, ShelterRow

__all__ = [
    "ARRIVED",
    "EXPECTED",
    "RELEASED",
    "WITHDRAWN",
    "apply",
    "arrivals",
    "assigned_shelter",
    "assigned_shelters",
    "expected_counts",
    "families_at",
    "shelter",
    "shelters",
]

EXPECTED, RELEASED, ARRIVED, WITHDRAWN = "expected", "released", "arrived", "withdrawn"
_COMING = (EXPECTED, RELEASED, ARRIVED)  # a shelter follows these families


def _updated(event: ShelterUpdated, ctx: Context) -> None:
    shelter = event.shelter
    ctx.session.merge(
        ShelterRow(
            id=shelter.id,
            name=shelter.name,
            city=shelter.city,
            latitude=shelter.latitude,
            longitude=shelter.longitude,
            beds=shelter.beds,
            beds_free=shelter.beds_free,
            services=list(shelter.services),
            updated_at=ctx.envelope.time,
        )
    )


def _assigned(event: ShelterAssigned, ctx: Context) -> None:
    ctx.session.merge(
        ShelterArrival(
            family_unit_id=event.family_unit_id,
            shelter_id=event.shelter_id,
            site=event.site,
            expected_at=event.expected_at,
            people=event.people,
            languages=list(event.languages),
            needs_interpreter=event.needs_interpreter,
            needs=list(event.needs),
            status=EXPECTED,
            assigned_at=ctx.envelope.time,
        )
    )


def _withdrawn(event: ShelterAssignmentWithdrawn, ctx: Context) -> None:
    row = ctx.session.get(ShelterArrival, event.family_unit_id)
    if row is not None and row.status == EXPECTED and row.shelter_id == event.shelter_id:
        row.status = WITHDRAWN
        ctx.session.add(row)


def _released(event: Released, ctx: Context) -> None:
    row = ctx.session.get(ShelterArrival, event.family_unit_id)
    if row is None or row.status not in (EXPECTED, RELEASED):
        return
    row.status = RELEASED if event.shelter_id == row.shelter_id else WITHDRAWN
    row.released_at = event.released_at
    ctx.session.add(row)


def _confirmed(event: ShelterArrivalConfirmed, ctx: Context) -> None:
    row = ctx.session.get(ShelterArrival, event.family_unit_id)
    if row is not None and row.shelter_id == event.shelter_id:
        row.status, row.confirmed_at = ARRIVED, event.confirmed_at
        ctx.session.add(row)


_APPLY: Mapping[type[Event], Callable[[Any, Context], None]] = {
    ShelterUpdated: _updated,
    ShelterAssigned: _assigned,
    ShelterAssignmentWithdrawn: _withdrawn,
    Released: _released,
    ShelterArrivalConfirmed: _confirmed,
}


def apply(event: Event, ctx: Context) -> None:
    handler = _APPLY.get(type(event))
    if handler is not None:
        handler(event, ctx)
        ctx.session.flush()


def shelter(session: Session, shelter_id: str) -> ShelterRow | None:
    return session.get(ShelterRow, shelter_id)


def shelters(session: Session, shelter_id: str | None = None) -> Sequence[ShelterRow]:
    query = select(ShelterRow)
    if shelter_id is not None:
        query = query.where(ShelterRow.id == shelter_id)
    return session.exec(query.order_by(col(ShelterRow.id))).all()


def arrivals(
    session: Session, shelter_id: str, statuses: Sequence[str]
) -> Sequence[ShelterArrival]:
    """The families a shelter expects (in `statuses`), soonest first."""
    query = select(ShelterArrival).where(
        ShelterArrival.shelter_id == shelter_id, col(ShelterArrival.status).in_(list(statuses))
    )
    order = (col(ShelterArrival.expected_at), col(ShelterArrival.family_unit_id))
    return session.exec(query.order_by(*order)).all()


def assigned_shelter(session: Session, family_unit_id: str) -> str | None:
    """The shelter the family is coming to (or came to), if any."""
    row = session.get(ShelterArrival, family_unit_id)
    return row.shelter_id if row is not None and row.status in _COMING else None


def assigned_shelters(session: Session, family_unit_ids: set[str]) -> dict[str, str]:
    if not family_unit_ids:
        return {}
    query = select(ShelterArrival).where(
        col(ShelterArrival.family_unit_id).in_(family_unit_ids),
        col(ShelterArrival.status).in_(_COMING),
    )
    return {row.family_unit_id: row.shelter_id for row in session.exec(query)}


def expected_counts(session: Session) -> dict[str, tuple[int, int]]:
    """Per shelter, the families and people expected or on their way (not yet arrived)."""
    query = (
        select(ShelterArrival.shelter_id, func.count(), func.sum(ShelterArrival.people))
        .where(col(ShelterArrival.status).in_([EXPECTED, RELEASED]))
        .group_by(col(ShelterArrival.shelter_id))
    )
    return {shelter: (families, people or 0) for shelter, families, people in session.exec(query)}


def families_at(session: Session, shelter_id: str) -> set[str]:
    """Every family the shelter follows."""
    query = select(ShelterArrival.family_unit_id).where(
        ShelterArrival.shelter_id == shelter_id, col(ShelterArrival.status).in_(_COMING)
    )
    return set(session.exec(query).all())
