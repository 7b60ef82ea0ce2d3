"""Expedites: the published criteria (public), requests by registrars and legal providers,
decisions by expedite deciders, and the list a decider works from."""

from __future__ import annotations

import datetime as dt

import strawberry
from puente_schemas import commands
from puente_schemas.criteria import EXPEDITE_CRITERIA
from sqlmodel import Session
from strawberry.types import Info

from puente_gateway import records
from puente_gateway.access import RecordAccess, may_see_record, own_client
from puente_gateway.api.permissions import (
    NOT_AUTHORISED,
    MaySeeRecord,
    decide,
    engine,
    gateway,
    guarded,
    principal,
    refuse,
)
from puente_gateway.api.sending import send
from puente_gateway.api.types import CommandAnswer
from puente_gateway.roles import Role
from puente_gateway.tables import ExpediteRow


@strawberry.type(description="A published expedite criterion: the same for everyone.")
class ExpediteCriterion:
    id: strawberry.ID
    title: str
    description: str


def expedite_criteria() -> list[ExpediteCriterion]:
    return [
        ExpediteCriterion(id=strawberry.ID(c.id), title=c.title, description=c.description)
        for c in EXPEDITE_CRITERIA.values()
    ]


@strawberry.type
class ExpediteRequestAnswer(CommandAnswer):
    request_id: strawberry.ID


def _may_request(info: Info, family_unit_id: str) -> None:
    """A registrar for a family its organisation may see; a legal provider for its clients."""
    caller = principal(info)
    with Session(engine(info)) as session:
        record = records.access(session, family_unit_id)
    if caller is None:
        raise refuse()
    allowed = (Role.REGISTRAR in caller.roles and may_see_record(caller, record)) or (
        Role.LEGAL_PROVIDER in caller.roles and own_client(caller, record)
    )
    refused = f"{NOT_AUTHORISED}: family {family_unit_id} is not visible to you"
    decide(info, family_unit_id, None if allowed else refused)


async def request_expedite(
    info: Info, family_unit_id: strawberry.ID, criterion: str, note: str
) -> ExpediteRequestAnswer:
    if criterion not in EXPEDITE_CRITERIA:
        known = ", ".join(EXPEDITE_CRITERIA)
        raise ValueError(f"unknown expedite criterion '{criterion}' (one of: {known})")
    _may_request(info, family_unit_id)
    caller = principal(info)
    assert caller is not None and caller.organisation_id is not None
    request_id = gateway(info).new_id()
    command = commands.RequestExpedite(
        request_id=request_id,
        family_unit_id=family_unit_id,
        criterion=criterion,
        note=note,
        organisation_id=caller.organisation_id,
    )
    answer, _ = await send(info, command, accepted=frozenset({"expedite-requested"}))
    return ExpediteRequestAnswer(
        status=answer.status,
        command_id=answer.command_id,
        outcome=answer.outcome,
        errors=answer.errors,
        request_id=strawberry.ID(request_id),
    )


async def decide_expedite(
    info: Info, request_id: strawberry.ID, granted: bool, reason: str
) -> CommandAnswer:
    caller = principal(info)
    assert caller is not None and caller.organisation_id is not None
    with Session(engine(info)) as session:
        request = records.expedite(session, request_id)
    if request is None:
        raise ValueError(f"unknown expedite request '{request_id}'")
    command = commands.DecideExpedite(
        family_unit_id=request.family_unit_id,
        request_id=request_id,
        granted=granted,
        reason=reason,
        organisation_id=caller.organisation_id,
    )
    accepted = frozenset({"expedite-decided", "expedite-awaiting-second-approval"})
    answer, _ = await send(info, command, accepted=accepted)
    return answer


def _note(root: strawberry.Parent[ExpediteRequest]) -> str | None:
    return root.text


@strawberry.type
class ExpediteRequest:
    request_id: strawberry.ID
    family_unit_id: strawberry.ID
    criterion: str
    requested_by: strawberry.ID = strawberry.field(description="The requesting organisation.")
    requested_at: dt.datetime
    status: str = strawberry.field(
        description="requested, awaiting-second-approval, granted or denied."
    )
    approved_by: list[strawberry.ID]
    reason: str
    access: strawberry.Private[RecordAccess | None]
    text: strawberry.Private[str]
    note: str | None = strawberry.field(
        resolver=_note,
        extensions=guarded(MaySeeRecord()),
        description="The requester's note: personal (often medical), so only for an "
        "organisation that may see the family's record. Audited.",
    )


def _request(row: ExpediteRow, access: RecordAccess | None) -> ExpediteRequest:
    return ExpediteRequest(
        request_id=strawberry.ID(row.request_id),
        family_unit_id=strawberry.ID(row.family_unit_id),
        criterion=row.criterion,
        requested_by=strawberry.ID(row.requested_by),
        requested_at=row.requested_at,
        status=row.status,
        approved_by=[strawberry.ID(o) for o in row.approved_by],
        reason=row.reason,
        access=access,
        text=row.note,
    )


def expedite_requests(info: Info, decided: bool = False) -> list[ExpediteRequest]:
    """Requests still to decide (or, with `decided`, those decided), oldest first."""
    statuses = ("granted", "denied") if decided else ("requested", "awaiting-second-approval")
    with Session(engine(info)) as session:
        rows = records.expedites(session, statuses)
        access = records.access_many(session, (r.family_unit_id for r in rows))
    return [_request(row, access.get(row.family_unit_id)) for row in rows]
