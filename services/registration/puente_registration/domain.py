"""Registration rules: what makes a family's registration acceptable. Pure: no I/O."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Collection

from puente_schemas.commands import MemberInput, RegisterFamily
from puente_schemas.common import CaseCategory, FieldError, Location, Member

A_NUMBER = re.compile(r"^A\d{9}$")

# The legal action each case category needs before the person can go forward (DOMAIN.md).
LEGAL_ACTION = {
    CaseCategory.ACTIVE: "transfer to the immigration court nearest the destination",
    CaseCategory.IN_ABSENTIA: "DOJ rescinds the in absentia order; DHS issues a new NTA",
    CaseCategory.DENIED: "DHS files a motion to reopen; a new NTA if reopening is denied",
    CaseCategory.TERMINATED: "DHS issues a new NTA",
    CaseCategory.INACTIVE: "DHS issues a new NTA",
}


def validate(
    command: RegisterFamily,
    *,
    today: dt.date,
    languages: Collection[str],
    countries: Collection[str],
    registered_a_numbers: Collection[str] = (),
) -> list[FieldError]:
    """Every problem with the registration, one per offending field."""
    errors = []
    if command.current_location.country not in countries:
        errors.append(
            _error(
                "current_location.country",
                f"unknown country code {command.current_location.country!r}",
            )
        )
    if not command.current_location.city.strip():
        errors.append(_error("current_location.city", "city is required"))
    if not command.members:
        errors.append(_error("members", "a family needs at least one member"))
    seen: set[str] = set()
    for index, member in enumerate(command.members):
        errors += _member_errors(f"members[{index}]", member, today, languages)
        if member.a_number in seen:
            errors.append(_error(f"members[{index}].a_number", "appears twice in this family"))
        elif member.a_number in registered_a_numbers:
            errors.append(_error(f"members[{index}].a_number", "is already registered"))
        if member.a_number:
            seen.add(member.a_number)
    return errors


def _member_errors(
    path: str, member: MemberInput, today: dt.date, languages: Collection[str]
) -> list[FieldError]:
    errors = []
    if not member.given_name.strip():
        errors.append(_error(f"{path}.given_name", "given name is required"))
    if member.birth_date > today:
        errors.append(_error(f"{path}.birth_date", "is in the future"))
    if member.language not in languages:
        errors.append(
            _error(f"{path}.language", f"unknown ISO 639-3 language code {member.language!r}")
        )
    if member.a_number is not None and not A_NUMBER.match(member.a_number):
        errors.append(_error(f"{path}.a_number", "must be 'A' followed by 9 digits"))
    if member.in_mpp:
        if member.a_number is None:
            errors.append(_error(f"{path}.a_number", "is required for a member in MPP"))
        if member.mpp_enrollment_date is None:
            errors.append(_error(f"{path}.mpp_enrollment_date", "is required for a member in MPP"))
        elif member.mpp_enrollment_date > today:
            errors.append(_error(f"{path}.mpp_enrollment_date", "is in the future"))
        if member.case_category is None:
            errors.append(_error(f"{path}.case_category", "is required for a member in MPP"))
    return errors


def _error(field: str, message: str) -> FieldError:
    return FieldError(field=field, message=message)


def members_of(command: RegisterFamily) -> list[Member]:
    """The family as registered: every member gets an id, members never in MPP included."""
    return [
        Member(
            member_id=str(uuid.uuid4()),
            **m.model_dump(),
        )
        for m in command.members
    ]


def location_of(command: RegisterFamily) -> Location:
    return Location(
        city=command.current_location.city.strip(), country=command.current_location.country
    )
