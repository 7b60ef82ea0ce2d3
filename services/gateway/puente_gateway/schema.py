"""The GraphQL contract partners see: one mutation per command, queries on the read model,
subscriptions on the live timeline. Every field needs an authenticated principal."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncGenerator
from enum import Enum
from typing import TYPE_CHECKING, Any

import strawberry
from puente_schemas import commands, common
from sqlmodel import Session
from strawberry.extensions import QueryDepthLimiter
from strawberry.permission import BasePermission
from strawberry.types import Info

from puente_gateway import projection
from puente_gateway.auth import AUTHENTICATION_REQUIRED
from puente_gateway.live import Entry
from puente_gateway.tables import FamilyView

if TYPE_CHECKING:
    from puente_gateway.app import Gateway

MAX_DEPTH = 10


class Authenticated(BasePermission):
    message = AUTHENTICATION_REQUIRED

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.get("principal") is not None


def _gateway(info: Info) -> Gateway:
    gateway: Gateway = info.context["gateway"]
    return gateway


@strawberry.enum
class Channel(Enum):
    ONLINE = "online"
    HOTLINE = "hotline"
    IN_PERSON = "in_person"
    ATTORNEY = "attorney"


@strawberry.enum
class CaseCategory(Enum):
    ACTIVE = "active"
    IN_ABSENTIA = "in_absentia"
    DENIED = "denied"
    TERMINATED = "terminated"
    INACTIVE = "inactive"


@strawberry.enum
class CommandStatus(Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PENDING = "pending"


@strawberry.enum
class Stage(Enum):
    UNKNOWN = "UNKNOWN"
    REGISTERED = "REGISTERED"
    REJECTED = "REJECTED"
    SCHEDULED = "SCHEDULED"
    TRANSPORT_BOOKED = "TRANSPORT_BOOKED"
    ARRIVED = "ARRIVED"
    PROCESSED = "PROCESSED"
    RELEASED = "RELEASED"


@strawberry.input
class LocationInput:
    city: str
    country: str


@strawberry.input
class MemberInput:
    given_name: str
    family_name: str
    birth_date: dt.date
    in_mpp: bool
    language: str
    a_number: str | None = None
    mpp_enrollment_date: dt.date | None = None
    case_category: CaseCategory | None = None
    needs_interpreter: bool = False


@strawberry.input
class RegisterFamilyInput:
    channel: Channel
    current_location: LocationInput
    members: list[MemberInput]


@strawberry.type(name="FieldError")
class FieldError:
    field: str
    message: str


@strawberry.type
class CommandResult:
    status: CommandStatus
    command_id: strawberry.ID
    family_unit_id: strawberry.ID
    errors: list[FieldError]


@strawberry.type
class Member:
    member_id: strawberry.ID
    given_name: str
    family_name: str
    birth_date: dt.date
    in_mpp: bool
    a_number: str | None
    mpp_enrollment_date: dt.date | None
    case_category: CaseCategory | None
    language: str
    needs_interpreter: bool


@strawberry.type
class Appointment:
    site: str
    date: dt.datetime


@strawberry.type
class TimelineEntry:
    cursor: str
    type: str
    occurred_at: dt.datetime


@strawberry.type
class FamilyUnit:
    id: strawberry.ID
    stage: Stage
    members: list[Member]
    appointment: Appointment | None
    timeline: list[TimelineEntry]


@strawberry.type
class FamilyEvent:
    cursor: str
    family_unit_id: strawberry.ID | None
    type: str
    occurred_at: dt.datetime
    event_id: strawberry.ID


def camel_path(path: str) -> str:
    """`members[1].a_number` -> `members[1].aNumber`: error paths in the caller's spelling."""
    return re.sub(r"(?<=[a-z0-9])_([a-z0-9])", lambda match: match[1].upper(), path)


def to_command(family_unit_id: str, given: RegisterFamilyInput) -> commands.RegisterFamily:
    return commands.RegisterFamily(
        family_unit_id=family_unit_id,
        channel=common.Channel(given.channel.value),
        current_location=commands.LocationInput(
            city=given.current_location.city, country=given.current_location.country
        ),
        members=[
            commands.MemberInput(
                given_name=m.given_name,
                family_name=m.family_name,
                birth_date=m.birth_date,
                in_mpp=m.in_mpp,
                a_number=m.a_number,
                mpp_enrollment_date=m.mpp_enrollment_date,
                case_category=common.CaseCategory(m.case_category.value)
                if m.case_category
                else None,
                language=m.language,
                needs_interpreter=m.needs_interpreter,
            )
            for m in given.members
        ],
    )


def _member(data: dict[str, Any]) -> Member:
    enrolled = data.get("mpp_enrollment_date")
    category = data.get("case_category")
    return Member(
        member_id=strawberry.ID(data["member_id"]),
        given_name=data["given_name"],
        family_name=data["family_name"],
        birth_date=dt.date.fromisoformat(data["birth_date"]),
        in_mpp=data["in_mpp"],
        a_number=data.get("a_number"),
        mpp_enrollment_date=dt.date.fromisoformat(enrolled) if enrolled else None,
        case_category=CaseCategory(category) if category else None,
        language=data["language"],
        needs_interpreter=data.get("needs_interpreter", False),
    )


def _family_unit(view: FamilyView, timeline: list[TimelineEntry]) -> FamilyUnit:
    appointment = None
    if view.site and view.appointment_at:
        appointment = Appointment(site=view.site, date=view.appointment_at)
    return FamilyUnit(
        id=strawberry.ID(view.id),
        stage=Stage(view.stage),
        members=[_member(m) for m in view.members],
        appointment=appointment,
        timeline=timeline,
    )


def _family_event(entry: Entry) -> FamilyEvent:
    return FamilyEvent(
        cursor=str(entry.cursor),
        family_unit_id=strawberry.ID(entry.family_unit_id) if entry.family_unit_id else None,
        type=entry.type,
        occurred_at=entry.occurred_at,
        event_id=strawberry.ID(entry.event_id),
    )


def _cursor(after: str | None) -> int:
    if after is None:
        return 0
    if not after.isdigit():
        raise ValueError("`after` must be a cursor received from familyEvents")
    return int(after)


def family_unit(info: Info, id: strawberry.ID) -> FamilyUnit | None:
    with Session(_gateway(info).service.engine) as session:
        view = projection.family(session, id)
        if view is None:
            return None
        timeline = [
            TimelineEntry(cursor=str(row.cursor), type=row.type, occurred_at=row.occurred_at)
            for row in projection.timeline(session, id)
        ]
        return _family_unit(view, timeline)


async def register_family(info: Info, input: RegisterFamilyInput) -> CommandResult:
    gateway = _gateway(info)
    family_unit_id = gateway.new_id()
    command_id, outcome = await gateway.command(
        to_command(family_unit_id, input),
        outcomes=frozenset({"registered", "registration-rejected"}),
    )
    status, errors = CommandStatus.PENDING, []
    if outcome is not None and outcome.type == "registered":
        status = CommandStatus.ACCEPTED
    elif outcome is not None:
        status = CommandStatus.REJECTED
        errors = [
            FieldError(field=camel_path(e["field"]), message=e["message"])
            for e in outcome.data.get("errors", [])
        ]
    return CommandResult(
        status=status,
        command_id=strawberry.ID(command_id),
        family_unit_id=strawberry.ID(family_unit_id),
        errors=errors,
    )


async def family_events(
    info: Info, family_unit_id: strawberry.ID | None = None, after: str | None = None
) -> AsyncGenerator[FamilyEvent, None]:
    """Everything after `after`, then live: replayed from the read model, never twice."""
    gateway = _gateway(info)
    last = _cursor(after)
    # Listen before reading, so nothing committed in between is missed.
    with gateway.hub.listen() as queue:
        with Session(gateway.service.engine) as session:
            missed = projection.entries_after(session, last, family_unit_id)
        for entry in missed:
            last = entry.cursor
            yield _family_event(entry)
        while True:
            entry = await queue.get()
            if entry.cursor <= last:
                continue
            if family_unit_id is not None and entry.family_unit_id != family_unit_id:
                continue
            last = entry.cursor
            yield _family_event(entry)


@strawberry.type
class Query:
    family_unit: FamilyUnit | None = strawberry.field(
        resolver=family_unit, permission_classes=[Authenticated]
    )


@strawberry.type
class Mutation:
    register_family: CommandResult = strawberry.mutation(
        resolver=register_family, permission_classes=[Authenticated]
    )


@strawberry.type
class Subscription:
    family_events: AsyncGenerator[FamilyEvent, None] = strawberry.subscription(
        resolver=family_events, permission_classes=[Authenticated]
    )


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=[lambda: QueryDepthLimiter(max_depth=MAX_DEPTH)],
)
