"""Families: register, follow (query and live feed), add a member, update a location.

Case status (stage, appointment, timeline) is for the roles that follow cases; the personal
record (members) only for an organisation allowed to see it, and every such read is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator, Iterator
from dataclasses import replace
from enum import Enum
from typing import Annotated, Any

import strawberry
from puente_schemas import commands, common
from sqlmodel import Session
from strawberry.scalars import JSON
from strawberry.types import Info

from puente_gateway import codes, projection, records
from puente_gateway.access import (
    Principal,
    RecordAccess,
    may_follow,
    may_receive,
    may_register,
    may_see_event,
    may_see_record,
)
from puente_gateway.api import events
from puente_gateway.api.permissions import (
    NOT_AUTHORISED,
    MaySeeRecord,
    audit_read,
    check_socket_token,
    close_socket,
    decide,
    engine,
    gateway,
    guarded,
    principal,
    refuse,
)
from puente_gateway.api.sending import REJECTED, send
from puente_gateway.api.types import (
    Channel,
    CommandAnswer,
    CommandStatus,
    FieldError,
    LocationInput,
    Member,
    MemberInput,
    PartnerKind,
    answer_of,
    location_input,
    member,
    member_input,
)
from puente_gateway.live import Entry
from puente_gateway.roles import CHANNELS
from puente_gateway.tables import FamilyView


@strawberry.enum
class Stage(Enum):
    UNKNOWN = "UNKNOWN"
    REGISTERED = "REGISTERED"
    REJECTED = "REJECTED"
    WAITING = "WAITING"
    SCHEDULED = "SCHEDULED"
    TRANSPORT_BOOKED = "TRANSPORT_BOOKED"
    ARRIVED = "ARRIVED"
    PROCESSED = "PROCESSED"
    RELEASED = "RELEASED"


@strawberry.type
class Appointment:
    site: str
    date: dt.datetime


@strawberry.type
class TimelineEntry:
    cursor: str
    type: str
    occurred_at: dt.datetime


def _members(root: strawberry.Parent[FamilyUnit]) -> list[Member] | None:
    return [member(row, root.family_unit_id) for row in root.member_rows]


@strawberry.type
class FamilyUnit:
    id: strawberry.ID
    stage: Stage
    appointment: Appointment | None
    timeline: list[TimelineEntry]
    family_unit_id: strawberry.Private[str]
    access: strawberry.Private[RecordAccess | None]
    member_rows: strawberry.Private[list[dict[str, Any]]]
    members: list[Member] | None = strawberry.field(
        resolver=_members,
        extensions=guarded(MaySeeRecord()),
        description="The family's personal record: for an agency, the organisation that "
        "registered it, or a kind of organisation it consented to. Every read is audited.",
    )


@strawberry.type
class FamilyEvent:
    cursor: str
    family_unit_id: strawberry.ID | None
    type: str
    occurred_at: dt.datetime
    event_id: strawberry.ID
    content: strawberry.Private[dict[str, Any]]
    data: JSON = strawberry.field(
        resolver=events.event_data,
        description="What happened, redacted for the caller (redaction.py): a shelter sees "
        "the journey of families coming to it, never legal history or names without consent.",
    )


@strawberry.input
class RegisterFamilyInput:
    channel: Channel
    current_location: LocationInput
    members: list[MemberInput]
    consent: list[PartnerKind] = strawberry.field(
        default_factory=list,
        description="Which kinds of partner organisation may see the record.",
    )


def _existing(root: strawberry.Parent[CommandResult], info: Info) -> strawberry.ID | None:
    """Null, not a refusal, for a caller who may not see it: a refusal would confirm the
    other organisation's case."""
    if root.existing is None or not _may_see(info, root.existing):
        return None
    return strawberry.ID(root.existing)


def _may_see(info: Info, family_unit_id: str) -> bool:
    caller = principal(info)
    with Session(engine(info)) as session:
        record = records.access(session, family_unit_id)
    return caller is not None and may_see_record(caller, record)


# What a caller who may not see a family registered with the same A-number is told instead
# of "is already registered": true, and the same whoever holds the case.
ALREADY_REGISTERED = "is already registered"
NOT_CONFIRMED = "cannot be registered with this A-number: check it, or ask Puente operations"


def _unconfirmed(info: Info, errors: list[FieldError], existing: str | None) -> list[FieldError]:
    if existing is None or _may_see(info, existing):
        return errors
    return _never_confirmed(errors)


def _never_confirmed(errors: list[FieldError]) -> list[FieldError]:
    return [
        FieldError(field=e.field, message=NOT_CONFIRMED) if e.message == ALREADY_REGISTERED else e
        for e in errors
    ]


@strawberry.type
class CommandResult:
    status: CommandStatus
    command_id: strawberry.ID
    family_unit_id: strawberry.ID
    errors: list[FieldError]
    registration_code: str | None = strawberry.field(
        description="The registrant's lookup code for registrantStatus. Shown this once (only "
        "its SHA-256 is kept); null when the registration was rejected."
    )
    existing: strawberry.Private[str | None]
    existing_family_unit_id: strawberry.ID | None = strawberry.field(
        resolver=_existing,
        description="On a duplicate A-number, the family already registered with it: only for "
        "a caller who may see that family's record (null for anyone else).",
    )


def _family_unit(
    view: FamilyView, timeline: list[TimelineEntry], access: RecordAccess | None
) -> FamilyUnit:
    appointment = None
    if view.site and view.appointment_at:
        appointment = Appointment(site=view.site, date=view.appointment_at)
    return FamilyUnit(
        id=strawberry.ID(view.id),
        stage=Stage(view.stage),
        appointment=appointment,
        timeline=timeline,
        family_unit_id=view.id,
        access=access,
        member_rows=list(view.members),
    )


def family_unit(info: Info, id: strawberry.ID) -> FamilyUnit | None:
    """A family the caller follows (access.may_follow), with the timeline entries it may see:
    a shelter or transport only the journey's steps."""
    caller = principal(info)
    assert caller is not None
    with Session(engine(info)) as session:
        view = projection.family(session, id)
        if view is None:
            return None
        access = require_follow(info, id)
        timeline = [
            TimelineEntry(cursor=str(row.cursor), type=row.type, occurred_at=row.occurred_at)
            for row in projection.timeline(session, id)
            if may_see_event(caller, access, row.type)
        ]
        return _family_unit(view, timeline, access)


def require_follow(info: Info, family_unit_id: str) -> RecordAccess | None:
    """A family's case status (stage, itinerary, place in line, live events): for a caller
    that follows it (access.may_follow), audited either way. Returns what decides who sees
    its record."""
    caller = principal(info)
    assert caller is not None
    with Session(engine(info)) as session:
        access = records.access(session, family_unit_id)
    followed = may_follow(caller, access)
    decide(info, family_unit_id, None if followed else not_visible(family_unit_id))
    return access


def not_visible(family_unit_id: str) -> str:
    return f"{NOT_AUTHORISED}: family {family_unit_id} is not visible to you"


def _registration(
    family_unit_id: str, given: RegisterFamilyInput, *, organisation_id: str | None, code_hash: str
) -> commands.RegisterFamily:
    return commands.RegisterFamily(
        family_unit_id=family_unit_id,
        channel=common.Channel(given.channel.value),
        current_location=location_input(given.current_location),
        members=[member_input(m) for m in given.members],
        registration_code_hash=code_hash,
        organisation_id=organisation_id,
        consent=[common.PartnerKind(kind.value) for kind in given.consent],
    )


async def register_family(info: Info, input: RegisterFamilyInput) -> CommandResult:
    caller = principal(info)
    channel = common.Channel(input.channel.value)
    if caller is None or not may_register(caller, channel):
        roles = " or ".join(sorted(r.value for r, c in CHANNELS.items() if channel in c))
        raise refuse(f"{NOT_AUTHORISED}: channel {input.channel.name} needs role {roles}")
    gateway_ = gateway(info)
    family_unit_id, code = gateway_.new_id(), codes.new_code()
    command = _registration(
        family_unit_id,
        input,
        organisation_id=caller.organisation_id,
        code_hash=codes.code_hash(code, gateway_.code_key),
    )
    command_id, outcome = await gateway_.command(
        command, outcomes=frozenset({"registered"}) | REJECTED
    )
    status, errors = answer_of(command_id, outcome, rejections=REJECTED)
    existing = outcome.data.get("existing_family_unit_id") if outcome else None
    return CommandResult(
        status=status,
        command_id=strawberry.ID(command_id),
        family_unit_id=strawberry.ID(family_unit_id),
        errors=_unconfirmed(info, errors, existing),
        registration_code=None if status is CommandStatus.REJECTED else code,
        existing=existing,
    )


def require_record(info: Info, family_unit_id: str) -> None:
    """Commands that change a family need an organisation that may see its record."""
    caller = principal(info)
    with Session(engine(info)) as session:
        record = records.access(session, family_unit_id)
    allowed = caller is not None and may_see_record(caller, record)
    decide(info, family_unit_id, None if allowed else not_visible(family_unit_id))


async def add_family_member(
    info: Info, family_unit_id: strawberry.ID, member: MemberInput
) -> CommandAnswer:
    require_record(info, family_unit_id)
    command = commands.AddFamilyMember(family_unit_id=family_unit_id, member=member_input(member))
    answer, _ = await send(info, command, accepted=frozenset({"registration-updated"}))
    # Registration does not say which family holds the A-number: whoever it is, not confirmed.
    answer.errors = _never_confirmed(answer.errors)
    return answer


async def update_location(
    info: Info, family_unit_id: strawberry.ID, location: LocationInput
) -> CommandAnswer:
    require_record(info, family_unit_id)
    command = commands.UpdateLocation(
        family_unit_id=family_unit_id, current_location=location_input(location)
    )
    answer, _ = await send(info, command, accepted=frozenset({"registration-updated"}))
    return answer


def _family_event(entry: Entry) -> FamilyEvent:
    return FamilyEvent(
        cursor=str(entry.cursor),
        family_unit_id=strawberry.ID(entry.family_unit_id) if entry.family_unit_id else None,
        type=entry.type,
        occurred_at=entry.occurred_at,
        event_id=strawberry.ID(entry.event_id),
        content=entry.data,
    )


def _cursor(after: str | None) -> int:
    if after is None:
        return 0
    if not after.isdigit():
        raise ValueError("`after` must be a cursor received from familyEvents")
    return int(after)


async def family_events(
    info: Info,
    family_unit_id: strawberry.ID | None = None,
    after: str | None = None,
    types: Annotated[
        list[str] | None,
        strawberry.argument(description="Only events of these types (e.g. `scheduled`)."),
    ] = None,
) -> AsyncGenerator[FamilyEvent, None]:
    """Everything after `after`, then live, never twice: of one family the caller follows,
    or of every family it follows (access.may_receive), of the types asked for."""
    wanted = events.known_types(types)
    async for event in _family_events(info, family_unit_id, after):
        if wanted is None or event.type in wanted:
            yield event


async def _family_events(
    info: Info, family_unit_id: str | None, after: str | None
) -> AsyncGenerator[FamilyEvent, None]:
    """Replayed from the read model a page at a time; each family whose events the caller
    receives is audited once per subscription."""
    gateway_ = gateway(info)
    caller = principal(info)
    assert caller is not None
    last = _cursor(after)
    await check_socket_token(info)
    if family_unit_id is not None:
        require_follow(info, family_unit_id)
    audited: set[str] = set()
    with gateway_.hub.listen(caller) as listener:
        for page in _replay(info, last, family_unit_id):
            for entry in _deliverable(info, caller, page, audited):
                yield _family_event(entry)
            last = page[-1].cursor
        listener.live = True  # from here on, committed entries queue up: catch up, then go live
        for page in _replay(info, last, family_unit_id):
            for entry in _deliverable(info, caller, page, audited):
                yield _family_event(entry)
            last = page[-1].cursor
        while (waiting := await listener.queue.get()) is not None:
            if waiting.cursor <= last:
                continue
            if family_unit_id is not None and waiting.family_unit_id != family_unit_id:
                continue
            last = waiting.cursor
            for entry in _deliverable(info, caller, [_with_access(info, waiting)], audited):
                yield _family_event(entry)
        await close_socket(info, listener.stopped)
        raise refuse(f"{listener.stopped} (last cursor: {last})")


def _replay(info: Info, after: int, family_unit_id: str | None) -> Iterator[list[Entry]]:
    """The entries after `after`, a page at a time (none: nothing to replay)."""
    page_size = gateway(info).settings.replay_page
    while True:
        with Session(engine(info)) as session:
            page = projection.entries_after(session, after, family_unit_id, limit=page_size)
        if page:
            yield page
        if len(page) < page_size:
            return
        after = page[-1].cursor


def _with_access(info: Info, entry: Entry) -> Entry:
    """A live entry carries who follows its family; one committed as the first subscriber
    arrived may not, and is looked up."""
    if entry.access is not None or entry.family_unit_id is None:
        return entry
    with Session(engine(info)) as session:
        return replace(entry, access=records.access(session, entry.family_unit_id))


def _deliverable(
    info: Info, caller: Principal, entries: list[Entry], audited: set[str]
) -> list[Entry]:
    """The entries the caller receives; the families it receives for the first time in this
    subscription are audited, in one write."""
    chosen = [
        entry
        for entry in entries
        if entry.family_unit_id is not None and may_receive(caller, entry.access, entry.type)
    ]
    new = {entry.family_unit_id for entry in chosen if entry.family_unit_id} - audited
    if new:
        audited.update(new)
        audit_read(info, caller, sorted(new), allowed=True)
    return chosen
