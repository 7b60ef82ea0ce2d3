"""GraphQL types shared by several areas: enums, inputs, field errors and command answers."""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Any

import strawberry
from puente_schemas import commands, common
from puente_schemas.common import CaseCategory, Channel, PartnerKind

from puente_gateway.api.permissions import MaySeeLegalHistory, guarded
from puente_gateway.live import Outcome

__all__ = [
    "CaseCategory",
    "Channel",
    "CommandAnswer",
    "CommandStatus",
    "FieldError",
    "LocationInput",
    "Member",
    "MemberInput",
    "PartnerKind",
    "RoleName",
    "answer_of",
    "camel_path",
    "member",
    "member_input",
]


# The contracts' own enums, not copies: GraphQL spells their members.
strawberry.enum(Channel)
strawberry.enum(CaseCategory)
strawberry.enum(
    PartnerKind,
    description="Kinds of partner organisation; a family's consent names which may see it.",
)


# roles.Role less `public`, which is never issued.
@strawberry.enum(
    name="Role", description="What a token may do (the anonymous `public` role is never issued)."
)
class RoleName(Enum):
    ADMIN = "admin"
    REGISTRAR = "registrar"
    HOTLINE_OPERATOR = "hotline_operator"
    LEGAL_PROVIDER = "legal_provider"
    EXPEDITE_DECIDER = "expedite_decider"
    POLICY_OFFICER = "policy_officer"
    SHELTER = "shelter"
    TRANSPORT_OPERATOR = "transport_operator"
    PORT_OFFICER = "port_officer"
    ANALYST = "analyst"


@strawberry.enum
class CommandStatus(Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PENDING = "pending"


@strawberry.type(name="FieldError")
class FieldError:
    field: str
    message: str


@strawberry.type(description="What became of a command: its outcome event, or PENDING.")
class CommandAnswer:
    status: CommandStatus
    command_id: strawberry.ID
    outcome: str | None = strawberry.field(
        description="The outcome event's type (e.g. `expedite-awaiting-second-approval`)."
    )
    errors: list[FieldError]


def camel_path(path: str) -> str:
    """`members[1].a_number` -> `members[1].aNumber`: error paths in the caller's spelling."""
    return re.sub(r"(?<=[a-z0-9])_([a-z0-9])", lambda match: match[1].upper(), path)


def answer_of(
    command_id: str, outcome: Outcome | None, *, rejections: frozenset[str]
) -> tuple[CommandStatus, list[FieldError]]:
    if outcome is None:
        return CommandStatus.PENDING, []
    if outcome.type not in rejections:
        return CommandStatus.ACCEPTED, []
    errors = [
        FieldError(field=camel_path(e["field"]), message=e["message"])
        for e in outcome.data.get("errors", [])
    ]
    return CommandStatus.REJECTED, errors


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


def member_input(given: MemberInput) -> commands.MemberInput:
    return commands.MemberInput(
        given_name=given.given_name,
        family_name=given.family_name,
        birth_date=given.birth_date,
        in_mpp=given.in_mpp,
        a_number=given.a_number,
        mpp_enrollment_date=given.mpp_enrollment_date,
        case_category=common.CaseCategory(given.case_category.value)
        if given.case_category
        else None,
        language=given.language,
        needs_interpreter=given.needs_interpreter,
    )


def location_input(given: LocationInput) -> commands.LocationInput:
    return commands.LocationInput(city=given.city, country=given.country)


def _a_number(root: strawberry.Parent[Member]) -> str | None:
    value: str | None = root.legal.get("a_number")
    return value


def _mpp_enrollment_date(root: strawberry.Parent[Member]) -> dt.date | None:
    enrolled = root.legal.get("mpp_enrollment_date")
    return dt.date.fromisoformat(enrolled) if enrolled else None


def _case_category(root: strawberry.Parent[Member]) -> CaseCategory | None:
    category = root.legal.get("case_category")
    return CaseCategory(category) if category else None


def _legal_action(root: strawberry.Parent[Member]) -> str | None:
    value: str | None = root.legal.get("legal_action")
    return value


@strawberry.type(description="A person in a family unit. Legal history needs a legal role.")
class Member:
    member_id: strawberry.ID
    given_name: str
    family_name: str
    birth_date: dt.date
    in_mpp: bool
    language: str
    needs_interpreter: bool
    legal: strawberry.Private[dict[str, Any]]
    family_unit_id: strawberry.Private[str]
    a_number: str | None = strawberry.field(
        resolver=_a_number, extensions=guarded(MaySeeLegalHistory(), reads=False)
    )
    mpp_enrollment_date: dt.date | None = strawberry.field(
        resolver=_mpp_enrollment_date, extensions=guarded(MaySeeLegalHistory(), reads=False)
    )
    case_category: CaseCategory | None = strawberry.field(
        resolver=_case_category, extensions=guarded(MaySeeLegalHistory(), reads=False)
    )
    legal_action: str | None = strawberry.field(
        resolver=_legal_action,
        extensions=guarded(MaySeeLegalHistory(), reads=False),
        description="The legal action the case category needs (DOMAIN.md), when recorded.",
    )


def member(data: dict[str, Any], family_unit_id: str) -> Member:
    return Member(
        member_id=strawberry.ID(data["member_id"]),
        given_name=data["given_name"],
        family_name=data["family_name"],
        birth_date=dt.date.fromisoformat(data["birth_date"]),
        in_mpp=data["in_mpp"],
        language=data["language"],
        needs_interpreter=data.get("needs_interpreter", False),
        legal=data,
        family_unit_id=family_unit_id,
    )
