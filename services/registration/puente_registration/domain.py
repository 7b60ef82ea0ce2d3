"""Registration rules: what makes a family's registration acceptable. Pure: no I/O.

Every check names the offending field, so a caller can fix all of them at once.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Collection, Mapping, Sequence

from puente_schemas import places
from puente_schemas.commands import LocationInput, MemberInput, RegisterFamily
from puente_schemas.common import (
    CaseCategory,
    Channel,
    FieldError,
    Location,
    Member,
    a_number_problem,
    name_problem,
)

from puente_registration.duplicates import name_words
from puente_registration.languages import LANGUAGES

SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Sensible bounds: no one born before 1900 is waiting, MPP began in January 2019, and a family
# unit larger than 20 is more likely an error than a family.
EARLIEST_BIRTH = dt.date(1900, 1, 1)
MPP_BEGAN = dt.date(2019, 1, 1)
MAX_FAMILY_MEMBERS = 20

# The legal action each case category needs before the person can go forward (DOMAIN.md).
LEGAL_ACTION = {
    CaseCategory.ACTIVE: "transfer to the immigration court nearest the destination",
    CaseCategory.IN_ABSENTIA: "DOJ rescinds the in absentia order; DHS issues a new NTA",
    CaseCategory.DENIED: "DHS files a motion to reopen; a new NTA if reopening is denied",
    CaseCategory.TERMINATED: "DHS issues a new NTA",
    CaseCategory.INACTIVE: "DHS issues a new NTA",
}

# Channels on which an organisation enters the registration, and what it must be.
ORGANISATION_REQUIRED = {
    Channel.IN_PERSON: "is required for an in-person registration: the shelter or "
    "registration point that entered it",
    Channel.ATTORNEY: "is required for an attorney registration: the legal provider that "
    "becomes attorney of record",
}


def validate(
    command: RegisterFamily,
    *,
    today: dt.date,
    countries: Collection[str],
    registered_a_numbers: Mapping[str, str] | Collection[str] = (),
) -> list[FieldError]:
    """Every problem with the registration, one per offending field.

    `registered_a_numbers` holds the A-numbers already registered (mapped to their family).
    """
    errors = location_errors("current_location", command.current_location, countries)
    if command.channel in ORGANISATION_REQUIRED and not (command.organisation_id or "").strip():
        errors.append(_error("organisation_id", ORGANISATION_REQUIRED[command.channel]))
    if command.registration_code_hash is not None and not SHA256.match(
        command.registration_code_hash
    ):
        errors.append(_error("registration_code_hash", "must be a SHA-256 in lowercase hex"))
    if not command.members:
        errors.append(_error("members", "a family needs at least one member"))
    elif not any(member.in_mpp for member in command.members):
        errors.append(_error("members", "a family needs at least one member in MPP"))
    if len(command.members) > MAX_FAMILY_MEMBERS:
        errors.append(_error("members", f"a family has at most {MAX_FAMILY_MEMBERS} members"))
    for index, member in enumerate(command.members):
        errors += member_errors(f"members[{index}]", member, today=today)
        errors += _repeated(f"members[{index}]", member, command.members[:index])
        if member.a_number in registered_a_numbers:
            errors.append(_error(f"members[{index}].a_number", "is already registered"))
    return errors


def location_errors(
    path: str, location: LocationInput, countries: Collection[str]
) -> list[FieldError]:
    """A Mexican city scheduling knows, a city elsewhere in the region, or one in the US."""
    if location.country not in countries:
        return [_error(f"{path}.country", f"unknown country code {location.country!r}")]
    if not location.city.strip():
        return [_error(f"{path}.city", "city is required")]
    if location.country == "MX" and mexican_city(location.city) is None:
        known = ", ".join(place.name for place in places.CITIES.values())
        return [_error(f"{path}.city", f"unknown Mexican city {location.city!r}; one of {known}")]
    return []


def mexican_city(name: str) -> places.Place | None:
    """The known city, whatever the accents or case: `Ciudad Juárez` is `Ciudad Juarez`."""
    return places.city(" ".join(name_words(name, "")))


def location_of(location: LocationInput) -> Location:
    """The location as stored: a Mexican city under its reference spelling."""
    city = location.city.strip()
    if location.country == "MX":
        known = mexican_city(city)
        city = known.name if known else city
    return Location(city=city, country=location.country)


def member_errors(path: str, member: MemberInput, *, today: dt.date) -> list[FieldError]:
    errors = []
    if not member.given_name.strip():
        errors.append(_error(f"{path}.given_name", "given name is required"))
    for field in ("given_name", "family_name"):
        problem = name_problem(getattr(member, field))
        if problem:
            errors.append(_error(f"{path}.{field}", problem))
    if member.birth_date > today:
        errors.append(_error(f"{path}.birth_date", "is in the future"))
    elif member.birth_date < EARLIEST_BIRTH:
        errors.append(_error(f"{path}.birth_date", f"is before {EARLIEST_BIRTH}"))
    if member.language not in LANGUAGES:
        errors.append(
            _error(f"{path}.language", f"unknown ISO 639-3 language code {member.language!r}")
        )
    problem = a_number_problem(member.a_number) if member.a_number is not None else None
    if problem:
        errors.append(_error(f"{path}.a_number", problem))
    return errors + (_mpp_errors(path, member, today) if member.in_mpp else _not_mpp(path, member))


def _mpp_errors(path: str, member: MemberInput, today: dt.date) -> list[FieldError]:
    errors = []
    if member.a_number is None:
        errors.append(_error(f"{path}.a_number", "is required for a member in MPP"))
    if member.mpp_enrollment_date is None:
        errors.append(_error(f"{path}.mpp_enrollment_date", "is required for a member in MPP"))
    elif member.mpp_enrollment_date > today:
        errors.append(_error(f"{path}.mpp_enrollment_date", "is in the future"))
    elif member.mpp_enrollment_date < member.birth_date:
        errors.append(_error(f"{path}.mpp_enrollment_date", "is before the birth date"))
    elif member.mpp_enrollment_date < MPP_BEGAN:
        errors.append(_error(f"{path}.mpp_enrollment_date", f"is before MPP began ({MPP_BEGAN})"))
    if member.case_category is None:
        errors.append(_error(f"{path}.case_category", "is required for a member in MPP"))
    return errors


def _not_mpp(path: str, member: MemberInput) -> list[FieldError]:
    """A relative never placed in MPP has no MPP enrollment and no MPP case category."""
    return [
        _error(f"{path}.{field}", "only a member in MPP has one")
        for field in ("mpp_enrollment_date", "case_category")
        if getattr(member, field) is not None
    ]


def _repeated(path: str, member: MemberInput, earlier: Sequence[MemberInput]) -> list[FieldError]:
    """The same person entered twice in one family: the same A-number, or name and birth."""
    if member.a_number and any(other.a_number == member.a_number for other in earlier):
        return [_error(f"{path}.a_number", "appears twice in this family")]
    if any(same_entry(member, other) for other in earlier):
        return [_error(path, "appears twice in this family (same name and birth date)")]
    return []


def same_entry(first: MemberInput | Member, second: MemberInput | Member) -> bool:
    """The same A-number or, between two people without one (relatives never in MPP), the
    same name (accents, case and order aside) and birth date."""
    if first.a_number or second.a_number:
        return bool(first.a_number == second.a_number)
    return first.birth_date == second.birth_date and sorted(
        name_words(first.given_name, first.family_name)
    ) == sorted(name_words(second.given_name, second.family_name))


def member_of(member: MemberInput) -> Member:
    """A registered member: an id, and the legal action their case category needs."""
    action = LEGAL_ACTION[member.case_category] if member.case_category else None
    return Member(
        member_id=str(uuid.uuid4()),
        legal_action=action,
        **member.model_dump(),
    )


def members_of(command: RegisterFamily) -> list[Member]:
    """The family as registered: every member gets an id, members never in MPP included."""
    return [member_of(m) for m in command.members]


def consent_of(command: RegisterFamily) -> list[str]:
    """The partner kinds that may see the record, each once, in the order given."""
    return list(dict.fromkeys(kind.value for kind in command.consent))


def _error(field: str, message: str) -> FieldError:
    return FieldError(field=field, message=message)
