"""The audit log of personal-data reads: who (token, organisation), which family, which
operation, when, and whether it was refused. It holds ids only, never the data read."""

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
    family_unit_ids: Iterable[str],
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


def entries(engine: Engine, family_unit_id: str) -> Sequence[AuditRow]:
    with Session(engine) as session:
        query = select(AuditRow).where(AuditRow.family_unit_id == family_unit_id)
        return session.exec(query.order_by(col(AuditRow.id))).all()
