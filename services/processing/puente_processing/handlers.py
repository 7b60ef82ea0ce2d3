"""Processing's message handlers."""

from __future__ import annotations

import json

from puente_runtime import Context, Handlers, NotYet
from puente_schemas.commands import CompleteProcessing, ReleaseFamily
from puente_schemas.common import Member
from puente_schemas.events import (
    ArrivedAtPort,
    CheckedIn,
    Event,
    PreparedDocument,
    Processed,
    Registered,
    Released,
    Scheduled,
)
from puente_schemas.places import RECEIVING_SHELTERS
from sqlmodel import select

from puente_processing import domain
from puente_processing.tables import CaseFileRow, DocumentRow


def open_case_file(event: Registered, ctx: Context) -> list[Event]:
    if ctx.session.get(CaseFileRow, event.family_unit_id) is None:
        members = json.dumps([m.model_dump(mode="json") for m in event.members])
        ctx.session.add(CaseFileRow(family_unit_id=event.family_unit_id, members=members))
    return []


def prepare_documents(event: Scheduled, ctx: Context) -> list[Event]:
    """Documents are prepared before the family arrives, so processing takes hours."""
    case = _case(ctx, event.family_unit_id)
    if case.step != "registered":
        return []
    for member in _members(case):
        for kind in domain.documents_for(member):
            ctx.session.add(
                DocumentRow(
                    family_unit_id=case.family_unit_id, member_id=member.member_id, kind=kind
                )
            )
    case.step, case.site = "scheduled", event.site
    ctx.session.add(case)
    return []


def check_in(event: ArrivedAtPort, ctx: Context) -> list[Event]:
    case = _case(ctx, event.family_unit_id)
    if case.step == "checked-in":
        return []
    if case.step == "registered":  # `scheduled` travels on another topic and is behind
        raise NotYet(f"no appointment yet for family unit {event.family_unit_id}")
    case.step = domain.advance(case.step, "checked-in")
    case.checked_in_at = event.arrived_at
    ctx.session.add(case)
    return [
        CheckedIn(
            family_unit_id=case.family_unit_id, site=event.site, checked_in_at=event.arrived_at
        )
    ]


def complete_processing(command: CompleteProcessing, ctx: Context) -> list[Event]:
    case = _case(ctx, command.family_unit_id, from_command=True)
    case.step = domain.advance(case.step, "processed")
    case.processed_at = ctx.clock.now()
    ctx.session.add(case)
    documents = ctx.session.exec(
        select(DocumentRow).where(DocumentRow.family_unit_id == case.family_unit_id)
    ).all()
    return [
        Processed(
            family_unit_id=case.family_unit_id,
            site=case.site or "",
            processed_at=case.processed_at,
            documents=[PreparedDocument(member_id=d.member_id, kind=d.kind) for d in documents],
        )
    ]


def release(command: ReleaseFamily, ctx: Context) -> list[Event]:
    case = _case(ctx, command.family_unit_id, from_command=True)
    case.step = domain.advance(case.step, "released")
    case.released_at = ctx.clock.now()
    ctx.session.add(case)
    site = case.site or ""
    destination = command.destination or RECEIVING_SHELTERS.get(site, "sponsor")
    return [
        Released(
            family_unit_id=case.family_unit_id,
            site=site,
            released_at=case.released_at,
            destination=destination,
        )
    ]


class UnknownFamily(Exception):
    pass


def _case(ctx: Context, family_unit_id: str, *, from_command: bool = False) -> CaseFileRow:
    """An event about a family not yet seen waits for it; a command about one is refused."""
    case = ctx.session.get(CaseFileRow, family_unit_id)
    if case is None and from_command:
        raise UnknownFamily(f"no case file for family unit {family_unit_id}")
    if case is None:
        raise NotYet(f"no case file yet for family unit {family_unit_id}")
    return case


def _members(case: CaseFileRow) -> list[Member]:
    return [Member.model_validate(m) for m in json.loads(case.members)]


HANDLERS: Handlers = {
    Registered: open_case_file,
    Scheduled: prepare_documents,
    ArrivedAtPort: check_in,
    CompleteProcessing: complete_processing,
    ReleaseFamily: release,
}
