"""Call-backs for hotline operators: what is due on a day, what became of each, and how many
were missed that day (the failure the letter names first: call-backs that never came)."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry
from puente_schemas import commands
from sqlmodel import Session
from strawberry.types import Info

from puente_gateway import projection, records
from puente_gateway.access import RecordAccess
from puente_gateway.api.permissions import MaySeeRecord, engine, guarded, principal
from puente_gateway.api.sending import send
from puente_gateway.api.types import CommandAnswer
from puente_gateway.tables import CallbackRow


@strawberry.enum
class CallbackStatus(Enum):
    BOOKED = "booked"
    MADE = "made"
    MISSED = "missed"
    REBOOKED = "rebooked"


def _family_names(root: strawberry.Parent[Callback]) -> list[str] | None:
    return root.names


@strawberry.type
class Callback:
    callback_id: strawberry.ID
    family_unit_id: strawberry.ID
    operator: str
    due_at: dt.datetime
    status: CallbackStatus
    outcome: str | None
    made_at: dt.datetime | None
    rebooked_from: strawberry.ID | None
    access: strawberry.Private[RecordAccess | None]
    names: strawberry.Private[list[str]]
    family_names: list[str] | None = strawberry.field(
        resolver=_family_names,
        extensions=guarded(MaySeeRecord()),
        description="The family's names, to greet them: only for an organisation that may "
        "see the record. Audited.",
    )


@strawberry.type
class CallbackDay:
    day: dt.date
    missed: int = strawberry.field(description="Call-backs due this day that were missed.")
    callbacks: list[Callback]


def _callback(row: CallbackRow, access: RecordAccess | None, names: list[str]) -> Callback:
    return Callback(
        callback_id=strawberry.ID(row.callback_id),
        family_unit_id=strawberry.ID(row.family_unit_id),
        operator=row.operator,
        due_at=row.due_at,
        status=CallbackStatus(row.status),
        outcome=row.outcome,
        made_at=row.made_at,
        rebooked_from=strawberry.ID(row.rebooked_from) if row.rebooked_from else None,
        access=access,
        names=names,
    )


def _names(members: list[dict[str, object]]) -> list[str]:
    return [f"{m['given_name']} {m['family_name']}" for m in members]


def callbacks(info: Info, day: dt.date, operator: str | None = None) -> CallbackDay:
    with Session(engine(info)) as session:
        rows = records.callbacks_due(session, day, operator)
        access = records.access_many(session, (r.family_unit_id for r in rows))
        views = {r.family_unit_id: projection.family(session, r.family_unit_id) for r in rows}
    return CallbackDay(
        day=day,
        missed=sum(1 for row in rows if row.missed),
        callbacks=[
            _callback(
                row,
                access.get(row.family_unit_id),
                _names(view.members) if (view := views[row.family_unit_id]) else [],
            )
            for row in rows
        ],
    )


async def record_callback(info: Info, callback_id: strawberry.ID, outcome: str) -> CommandAnswer:
    """The operator is the caller's token name: who made (or could not make) the call."""
    caller = principal(info)
    assert caller is not None
    with Session(engine(info)) as session:
        callback = records.callback(session, callback_id)
    if callback is None:
        raise ValueError(f"unknown call-back '{callback_id}'")
    command = commands.RecordCallback(
        family_unit_id=callback.family_unit_id,
        callback_id=callback_id,
        operator=caller.name,
        outcome=outcome,
    )
    accepted = frozenset({"callback-recorded", "callback-missed", "callback-booked"})
    answer, _ = await send(info, command, accepted=accepted)
    return answer
