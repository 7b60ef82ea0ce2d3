"""How many families stand at each stage of the journey: an aggregate of the read model, no
one named (dashboards)."""

from __future__ import annotations

import strawberry
from sqlalchemy import func
from sqlmodel import Session, select
from strawberry.types import Info

from puente_gateway.api.families import Stage
from puente_gateway.api.permissions import engine
from puente_gateway.tables import FamilyView

__all__ = ["StageCount", "families_by_stage"]


@strawberry.type(description="How many families are at one stage of the journey.")
class StageCount:
    stage: Stage
    families: int


def families_by_stage(info: Info) -> list[StageCount]:
    """Every stage, in the journey's order, with zero where no family stands."""
    query = select(FamilyView.stage, func.count()).group_by(FamilyView.stage)
    with Session(engine(info)) as session:
        counts = {stage: count for stage, count in session.exec(query).all()}
    return [StageCount(stage=stage, families=counts.get(stage.value, 0)) for stage in Stage]
