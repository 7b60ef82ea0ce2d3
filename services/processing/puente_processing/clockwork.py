"""What happens because time passes, run on the service's clock (`Service.every`): documents
come ready, a processing that runs past its site's target is reported once, families inside
the US are released when their documents are ready, beds come free when a stay ends, and a
family still waiting for a shelter gets one when beds free up."""

from __future__ import annotations

import datetime as dt

from puente_runtime.outbox import Contract
from puente_schemas.events import Event
from sqlmodel import Session, col, select

from puente_processing import cases, placement, store
from puente_processing.domain import documents as docs
from puente_processing.domain import shelters, steps
from puente_processing.outcome import Outcome
from puente_processing.tables import BedHoldRow, CaseFileRow, DocumentRow, ShelterRow


def seed_shelters(session: Session, now: dt.datetime) -> list[Contract]:
    """On the first start, the shelters we know of, each announced to the others."""
    if session.exec(select(ShelterRow).limit(1)).first() is not None:
        return []
    for seed in shelters.SHELTERS:
        store.add_shelter(session, seed)
    session.flush()
    return [store.shelter_updated(session, seed.id) for seed in shelters.SHELTERS]


def tick(session: Session, now: dt.datetime) -> list[Contract]:
    return [
        *documents_due(session, now),
        *overdue(session, now),
        *released_inside_us(session, now),
        *stays_ended(session, now),
        *waiting_for_beds(session, now),
    ]


def documents_due(session: Session, now: dt.datetime) -> list[Event]:
    query = select(DocumentRow.family_unit_id).where(
        DocumentRow.status == docs.PENDING, col(DocumentRow.ready_at) <= now
    )
    out = Outcome()
    for family_unit_id in sorted(set(session.exec(query).all())):
        cases.documents_now(session, family_unit_id, now, out)
    return out.finish(session)


def overdue(session: Session, now: dt.datetime) -> list[Event]:
    query = select(CaseFileRow).where(
        CaseFileRow.step == steps.CHECKED_IN, col(CaseFileRow.overdue_reported).is_(False)
    )
    found = (cases.overdue(session, case, now) for case in session.exec(query).all())
    return [event for event in found if event is not None]


def released_inside_us(session: Session, now: dt.datetime) -> list[Event]:
    """Families inside the US with a court and no document pending (those due are ready now)."""
    waiting = select(DocumentRow.family_unit_id).where(DocumentRow.status == docs.PENDING)
    query = select(CaseFileRow).where(
        col(CaseFileRow.in_us).is_(True),
        CaseFileRow.step == steps.REGISTERED,
        col(CaseFileRow.court).is_not(None),
        col(CaseFileRow.family_unit_id).not_in(waiting),
    )
    return [
        e for case in session.exec(query).all() for e in cases.release_in_us(session, case, now)
    ]


def stays_ended(session: Session, now: dt.datetime) -> list[Event]:
    out = Outcome()
    for hold in session.exec(select(BedHoldRow).where(col(BedHoldRow.ends_at) <= now)).all():
        placement.release_hold(session, hold, out)
    return out.finish(session)


def waiting_for_beds(session: Session, now: dt.datetime) -> list[Event]:
    """Families at the border with no shelter yet, oldest appointment first."""
    if not any(shelter.beds_free for shelter in store.shelters(session)):
        return []
    held = select(BedHoldRow.family_unit_id)
    query = select(CaseFileRow).where(
        col(CaseFileRow.in_us).is_(False),
        col(CaseFileRow.step).in_((steps.SCHEDULED, *steps.IN_PROCESSING)),
        col(CaseFileRow.family_unit_id).not_in(held),
    )
    out = Outcome()
    for case in session.exec(query.order_by(col(CaseFileRow.appointment_at))).all():
        placement.place_family(session, case, now, out)
    return out.finish(session)
