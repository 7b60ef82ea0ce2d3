"""Reading and writing processing's tables as domain values."""

from __future__ import annotations

import json
from collections.abc import Sequence

from puente_schemas.common import Member
from puente_schemas.events import DocumentsPrepared, DocumentStatus, ShelterUpdated
from puente_schemas.events import Shelter as ShelterView
from puente_schemas.places import Place
from sqlalchemy import func
from sqlmodel import Session, col, select

from puente_processing.domain.documents import Document
from puente_processing.domain.shelters import Shelter
from puente_processing.tables import BedHoldRow, CaseFileRow, DocumentRow, ShelterRow


def members(case: CaseFileRow) -> list[Member]:
    return [Member.model_validate(m) for m in json.loads(case.members)]


def dump_members(people: Sequence[Member]) -> str:
    return json.dumps([m.model_dump(mode="json") for m in people])


def document_rows(session: Session, family_unit_id: str) -> list[DocumentRow]:
    query = select(DocumentRow).where(DocumentRow.family_unit_id == family_unit_id)
    return list(session.exec(query.order_by(col(DocumentRow.id))).all())


def as_document(row: DocumentRow) -> Document:
    return Document(row.member_id, row.kind, row.status, row.ready_at)


def documents(session: Session, family_unit_id: str) -> list[Document]:
    return [as_document(row) for row in document_rows(session, family_unit_id)]


def save_documents(session: Session, family_unit_id: str, changed: Sequence[Document]) -> bool:
    """Write `changed` over the family's documents (matched by member and kind), adding the
    new ones. True when anything a reader would see (a document or a status) changed."""
    rows = {(r.member_id, r.kind): r for r in document_rows(session, family_unit_id)}
    visible = False
    for document in changed:
        row = rows.get((document.member_id, document.kind))
        if row is None:
            row = DocumentRow(
                family_unit_id=family_unit_id, member_id=document.member_id, kind=document.kind
            )
            visible = True
        else:
            visible = visible or row.status != document.status
        row.status, row.ready_at = document.status, document.ready_at
        session.add(row)
    return visible


def documents_prepared(family_unit_id: str, docs: Sequence[Document]) -> DocumentsPrepared:
    return DocumentsPrepared(
        family_unit_id=family_unit_id,
        documents=[
            DocumentStatus(member_id=d.member_id, kind=d.kind, status=d.status) for d in docs
        ],
    )


def held_beds(session: Session) -> dict[str, int]:
    query = select(BedHoldRow.shelter_id, func.sum(BedHoldRow.people)).group_by(
        col(BedHoldRow.shelter_id)
    )
    return {shelter_id: int(total) for shelter_id, total in session.exec(query).all()}


def as_shelter(row: ShelterRow, held: int) -> Shelter:
    place = Place(row.city, "US", row.latitude, row.longitude)
    return Shelter(row.id, row.name, place, row.beds, tuple(json.loads(row.services)), held)


def lock_shelters(session: Session) -> Sequence[ShelterRow]:
    """Every shelter row, locked until commit: replicas that hold beds, or tell how many are
    free, do it one after another, each reading what the one before committed, so two never
    fill a shelter's last beds. All rows in id order, before any pending change is written
    (a capacity change would lock its one row first), so two replicas never deadlock over
    shelters."""
    query = select(ShelterRow).order_by(col(ShelterRow.id)).with_for_update()
    with session.no_autoflush:
        return session.exec(query).all()


def shelters(session: Session) -> list[Shelter]:
    """Every shelter with its beds free, to choose one (the rows locked until commit)."""
    rows = lock_shelters(session)
    held = held_beds(session)
    return [as_shelter(row, held.get(row.id, 0)) for row in rows]


def shelter(session: Session, shelter_id: str) -> Shelter | None:
    row = session.get(ShelterRow, shelter_id)
    return None if row is None else as_shelter(row, held_beds(session).get(shelter_id, 0))


def shelter_updated(session: Session, shelter_id: str) -> ShelterUpdated:
    """The shelter's beds as they stand after this change and every one committed before
    (the rows locked, so another replica's change cannot land in between unseen)."""
    lock_shelters(session)
    current = shelter(session, shelter_id)
    assert current is not None, shelter_id
    return ShelterUpdated(
        shelter=ShelterView(
            id=current.id,
            name=current.name,
            city=current.place.name,
            latitude=current.place.latitude,
            longitude=current.place.longitude,
            beds=current.beds,
            beds_free=current.beds_free,
            services=list(current.services),
        )
    )


def add_shelter(session: Session, seed: Shelter) -> None:
    session.add(
        ShelterRow(
            id=seed.id,
            name=seed.name,
            city=seed.place.name,
            latitude=seed.place.latitude,
            longitude=seed.place.longitude,
            beds=seed.beds,
            services=json.dumps(list(seed.services)),
        )
    )
