"""The audit log of permission decisions: who (token, organisation), which family (if the
operation named one), which operation, when, and whether it was read or refused. It holds
ids only, never the data read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from puente_gateway.access import Principal
from puente_gateway.tables import AuditRow

__all__ = ["READ", "REFUSED", "entries", "record"]

READ = "read"
REFUSED = "refused"


def record(
    engine: Engine,
    principal: Principal,
    family_unit_ids: Iterable[str | None],
    *,
    operation: str,
    outcome: str,
    now: dt.datetime,
) -> None:
    rows = [
        AuditRow(
            at=now,
            family_unit_id=family_unit_id,
            operation=operation,
            outcome=outcome,
            token_id=principal.token_id,
            principal=principal.name,
            organisation_id=principal.organisation_id,
        )
        for family_unit_id in dict.fromkeys(family_unit_ids)
    ]
    if not rows:
        return
    with Session(engine) as session:
        session.add_all(rows)
        session.commit()


def entries(
    engine: Engine, family_unit_id: str | None = None, token_id: str | None = None
) -> Sequence[AuditRow]:
    """The decisions about a family, or by a token (refusals naming no family included)."""
    query = select(AuditRow)
    if family_unit_id is not None:
        query = query.where(AuditRow.family_unit_id == family_unit_id)
    if token_id is not None:
        query = query.where(AuditRow.token_id == token_id)
    with Session(engine) as session:
        return session.exec(query.order_by(col(AuditRow.id))).all()
