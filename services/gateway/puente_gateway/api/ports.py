"""Processing at the port: each member's documents and the families that arrived with one not
ready, the end of processing and the release (port officers), what the release said, and
attorney access (the attorney of record). Processing times are in timings.py.

Document kinds tell the legal action a case needs, so documents are for legal roles and,
per family, for an organisation that may see its record; every such read is audited. A port
officer acts on, and sees, only the families at the sites its token names (access.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import strawberry
from puente_schemas import commands
from sqlmodel import Session
from strawberry.types import Info

from puente_gateway import ports, records
from puente_gateway.access import (
    RecordAccess,
    may_see_record,
    own_client,
    site_refusal,
    works_at,
)
from puente_gateway.api.permissions import (
    NOT_AUTHORISED,
    MaySeeLegalHistory,
    MaySeeRecord,
    audit_read,
    decide,
    engine,
    gateway,
    guarded,
    principal,
    refuse,
)
from puente_gateway.api.sending import send
from puente_gateway.api.types import CommandAnswer
from puente_gateway.tables import DocumentRow, PortVisit


def _destination(root: strawberry.Parent[Release]) -> str | None:
    return root.where


def _after_release(root: strawberry.Parent[Release]) -> str | None:
    return root.notice


def _court(root: strawberry.Parent[Release]) -> str | None:
    return root.court_name


@strawberry.type(description="Where the family went on release, and what it was told.")
class Release:
    released_at: dt.datetime
    on_parole: bool | None
    shelter_id: strawberry.ID | None
    onward_travel: list[str] = strawberry.field(description="What the onward trip needs.")
    language: str | None = strawberry.field(description="The language the family was told in.")
    family_unit_id: strawberry.Private[str]
    access: strawberry.Private[RecordAccess | None]
    where: strawberry.Private[str | None]
    notice: strawberry.Private[str | None]
    court_name: strawberry.Private[str | None]
    destination: str | None = strawberry.field(
        resolver=_destination,
        extensions=guarded(MaySeeRecord()),
        description="A shelter or a sponsor's address: for an organisation that may see the "
        "family's record. Audited.",
    )
    after_release: str | None = strawberry.field(
        resolver=_after_release,
        extensions=guarded(MaySeeRecord(), MaySeeLegalHistory()),
        description="Work-authorization eligibility and fee waivers, in the family's language "
        "(it names the court): legal roles that may see the record.",
    )
    court: str | None = strawberry.field(
        resolver=_court,
        extensions=guarded(MaySeeRecord(), MaySeeLegalHistory()),
        description="The immigration court the case goes to.",
    )


def release_of(visit: PortVisit, access: RecordAccess | None) -> Release:
    assert visit.released_at is not None
    return Release(
        released_at=visit.released_at,
        on_parole=visit.on_parole,
        shelter_id=strawberry.ID(visit.shelter_id) if visit.shelter_id else None,
        onward_travel=list(visit.onward_travel),
        language=visit.language,
        family_unit_id=visit.family_unit_id,
        access=access,
        where=visit.destination,
        notice=visit.after_release,
        court_name=visit.court,
    )


@strawberry.type
class Document:
    kind: str
    status: str = strawberry.field(description="`pending` or `ready`.")


@strawberry.type
class MemberDocuments:
    member_id: strawberry.ID
    ready: bool
    documents: list[Document]


@strawberry.type
class DocumentRef:
    member_id: strawberry.ID
    kind: str


@strawberry.type
class FamilyDocuments:
    family_unit_id: strawberry.ID
    all_ready: bool
    members: list[MemberDocuments]
    checked_in_at: dt.datetime | None
    not_ready_at_check_in: list[DocumentRef] = strawberry.field(
        description="What was still pending when the family checked in (finished at the port)."
    )
    arrived_with_document_not_ready: bool


def _members(rows: Sequence[DocumentRow]) -> list[MemberDocuments]:
    by_member: dict[str, list[DocumentRow]] = {}
    for row in rows:
        by_member.setdefault(row.member_id, []).append(row)
    return [
        MemberDocuments(
            member_id=strawberry.ID(member_id),
            ready=not ports.not_ready(own),
            documents=[Document(kind=row.kind, status=row.status) for row in own],
        )
        for member_id, own in by_member.items()
    ]


def _refs(documents: Sequence[dict[str, str]]) -> list[DocumentRef]:
    return [DocumentRef(member_id=strawberry.ID(d["member_id"]), kind=d["kind"]) for d in documents]


def documents(info: Info, family_unit_id: strawberry.ID) -> FamilyDocuments:
    """Each member's documents: for an organisation that may see the family's record."""
    caller = principal(info)
    assert caller is not None
    with Session(engine(info)) as session:
        allowed = may_see_record(caller, records.access(session, family_unit_id))
    audit_read(info, caller, [family_unit_id], allowed=allowed)
    if not allowed:
        raise refuse(f"{NOT_AUTHORISED}: family {family_unit_id} is not visible to you")
    with Session(engine(info)) as session:
        rows = ports.documents(session, family_unit_id)
        visit = ports.visit(session, family_unit_id)
    missing = list(visit.not_ready_at_check_in) if visit else []
    return FamilyDocuments(
        family_unit_id=family_unit_id,
        all_ready=bool(rows) and not ports.not_ready(rows),
        members=_members(rows),
        checked_in_at=visit.checked_in_at if visit else None,
        not_ready_at_check_in=_refs(missing),
        arrived_with_document_not_ready=bool(missing),
    )


@strawberry.type(description="A family that checked in with a document not ready.")
class ArrivalWithDocumentsNotReady:
    family_unit_id: strawberry.ID
    site: str
    checked_in_at: dt.datetime
    not_ready_at_check_in: list[DocumentRef]
    still_not_ready: list[DocumentRef]
    released_at: dt.datetime | None


def require_site(info: Info, site: str | None) -> None:
    """A port officer works only at the sites its token names: anything else is refused,
    naming the site, before anything is read or sent."""
    caller = principal(info)
    assert caller is not None
    refused = site_refusal(caller, site)
    if refused:
        raise refuse(refused)


def require_family_site(info: Info, family_unit_id: str) -> None:
    """The family is processed at a site the port officer works at (ports.site_of); the
    decision is audited either way."""
    caller = principal(info)
    assert caller is not None
    with Session(engine(info)) as session:
        site = ports.site_of(session, family_unit_id)
    decide(info, family_unit_id, site_refusal(caller, site))


def arrivals_with_documents_not_ready(
    info: Info, site: str, include_released: bool = False
) -> list[ArrivalWithDocumentsNotReady]:
    """The port's dashboard: families at `site` (one the officer works at) that arrived with
    a document not ready."""
    caller = principal(info)
    assert caller is not None
    require_site(info, site)
    found = []
    with Session(engine(info)) as session:
        for visit in ports.visits_at(session, site):
            if not visit.not_ready_at_check_in or (visit.released_at and not include_released):
                continue
            pending = ports.not_ready(ports.documents(session, visit.family_unit_id))
            found.append(_arrival(visit, pending))
    audit_read(info, caller, [a.family_unit_id for a in found], allowed=True)
    return found


def _arrival(visit: PortVisit, pending: Sequence[DocumentRow]) -> ArrivalWithDocumentsNotReady:
    assert visit.checked_in_at is not None and visit.site is not None
    return ArrivalWithDocumentsNotReady(
        family_unit_id=strawberry.ID(visit.family_unit_id),
        site=visit.site,
        checked_in_at=visit.checked_in_at,
        not_ready_at_check_in=_refs(visit.not_ready_at_check_in),
        still_not_ready=[
            DocumentRef(member_id=strawberry.ID(row.member_id), kind=row.kind) for row in pending
        ],
        released_at=visit.released_at,
    )


async def complete_processing(info: Info, family_unit_id: strawberry.ID) -> CommandAnswer:
    require_family_site(info, family_unit_id)
    command = commands.CompleteProcessing(family_unit_id=family_unit_id)
    answer, _ = await send(info, command, accepted=frozenset({"processed"}))
    return answer


async def release_family(
    info: Info, family_unit_id: strawberry.ID, destination: str | None = None
) -> CommandAnswer:
    """Released on parole to the shelter holding beds, or to `destination` (a sponsor)."""
    require_family_site(info, family_unit_id)
    command = commands.ReleaseFamily(
        family_unit_id=family_unit_id, destination=(destination or "").strip() or None
    )
    answer, _ = await send(info, command, accepted=frozenset({"released"}))
    return answer


@strawberry.type(description="An attorney's request to reach its client during processing.")
class AttorneyAccessDecision:
    request_id: strawberry.ID
    attorney_organisation_id: strawberry.ID
    granted: bool
    reason: str
    decided_at: dt.datetime


def attorney_access(info: Info, family_unit_id: strawberry.ID) -> list[AttorneyAccessDecision]:
    """For port officers at the family's site, of an organisation that may see its record
    (they let the attorney in), and for a legal provider, its own requests."""
    caller = principal(info)
    assert caller is not None
    with Session(engine(info)) as session:
        record = records.access(session, family_unit_id)
        rows = ports.attorney_access(session, family_unit_id)
    allowed = (
        record is not None and works_at(caller, record.site) and may_see_record(caller, record)
    )
    if not allowed:
        rows = [r for r in rows if r.attorney_organisation_id == caller.organisation_id]
    return [
        AttorneyAccessDecision(
            request_id=strawberry.ID(row.request_id),
            attorney_organisation_id=strawberry.ID(row.attorney_organisation_id),
            granted=row.granted,
            reason=row.reason,
            decided_at=row.decided_at,
        )
        for row in rows
    ]


@strawberry.type
class AttorneyAccessAnswer(CommandAnswer):
    request_id: strawberry.ID
    granted: bool | None = strawberry.field(description="Null until processing decided.")
    reason: str | None


async def request_attorney_access(
    info: Info, family_unit_id: strawberry.ID
) -> AttorneyAccessAnswer:
    """The attorney of record (the legal provider that registered the family) asks to reach
    its client during processing; processing decides and records it."""
    caller = principal(info)
    assert caller is not None and caller.organisation_id is not None
    with Session(engine(info)) as session:
        record = records.access(session, family_unit_id)
    refused = f"{NOT_AUTHORISED}: your organisation is not the family's attorney of record"
    decide(info, family_unit_id, None if own_client(caller, record) else refused)
    request_id = gateway(info).new_id()
    command = commands.RequestAttorneyAccess(
        request_id=request_id,
        family_unit_id=family_unit_id,
        attorney_organisation_id=caller.organisation_id,
    )
    answer, outcome = await send(info, command, accepted=frozenset({"attorney-access-decided"}))
    decided = outcome is not None and outcome.type == "attorney-access-decided"
    return AttorneyAccessAnswer(
        status=answer.status,
        command_id=answer.command_id,
        outcome=answer.outcome,
        errors=answer.errors,
        request_id=strawberry.ID(request_id),
        granted=outcome.data["granted"] if decided and outcome else None,
        reason=outcome.data["reason"] if decided and outcome else None,
    )
