"""Partner organisations: each has a kind (common.PartnerKind) that consent names. A shelter
organisation may run one shelter (the shelter id processing publishes): what its `shelter`
role is limited to."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from puente_schemas.common import PartnerKind
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from puente_gateway.tables import Organisation, OrganisationShelter, Token

__all__ = [
    "create_organisation",
    "organisation",
    "organisations",
    "shelter_of",
    "shelters_of",
    "tokens_of",
]


def create_organisation(
    engine: Engine,
    *,
    name: str,
    kind: PartnerKind,
    now: dt.datetime,
    shelter_id: str | None = None,
) -> Organisation:
    row = Organisation(id=str(uuid.uuid4()), name=name, kind=kind.value, created_at=now)
    with Session(engine, expire_on_commit=False) as session:
        session.add(row)
        if shelter_id is not None:
            session.add(OrganisationShelter(organisation_id=row.id, shelter_id=shelter_id))
        session.commit()
    return row


def shelter_of(session: Session, organisation_id: str) -> str | None:
    link = session.get(OrganisationShelter, organisation_id)
    return link.shelter_id if link else None


def shelters_of(engine: Engine, organisation_ids: Sequence[str]) -> dict[str, str]:
    with Session(engine) as session:
        query = select(OrganisationShelter).where(
            col(OrganisationShelter.organisation_id).in_(list(organisation_ids))
        )
        return {link.organisation_id: link.shelter_id for link in session.exec(query)}


def organisation(engine: Engine, organisation_id: str) -> Organisation | None:
    with Session(engine) as session:
        return session.get(Organisation, organisation_id)


def organisations(engine: Engine) -> Sequence[Organisation]:
    with Session(engine) as session:
        query = select(Organisation).order_by(col(Organisation.created_at), col(Organisation.id))
        return session.exec(query).all()


def tokens_of(engine: Engine, organisation_id: str) -> Sequence[Token]:
    with Session(engine) as session:
        query = select(Token).where(Token.organisation_id == organisation_id)
        return session.exec(query.order_by(col(Token.created_at), col(Token.id))).all()
