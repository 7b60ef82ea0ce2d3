"""Value types shared by commands and events."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Collection
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

# ASCII digits, the whole string: Python's `\d` takes any Unicode digit (Arabic-Indic,
# full-width) and its `$` matches before a final newline. The same pattern bounds JSON Schema
# (where `$` is the end of the string).
A_NUMBER_PATTERN = "^A[0-9]{9}$"
A_NUMBER_PROBLEM = "must be 'A' followed by 9 digits"
MAX_NAME_LENGTH = 100
# Policy values a site and the queue can take: a day's notice to a few weeks; a port processes
# hundreds a day, not tens of thousands.
MIN_NOTICE_HOURS = 24
MAX_NOTICE_HOURS = 21 * 24
MAX_CAPACITY_PER_DAY = 2000
# Text-direction controls that make a name display as something else (Trojan Source).
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def a_number_problem(value: str) -> str | None:
    """What is wrong with an A-number, or None: the one rule the gateway, registration and
    the contracts apply."""
    return None if re.fullmatch(A_NUMBER_PATTERN[1:-1], value) else A_NUMBER_PROBLEM


def name_problem(value: str) -> str | None:
    """What is wrong with a person's name, or None."""
    value = unicodedata.normalize("NFC", value)
    if len(value) > MAX_NAME_LENGTH:
        return f"is longer than {MAX_NAME_LENGTH} characters"
    if any(unicodedata.category(c) == "Cc" or c in _BIDI_CONTROLS for c in value):
        return "contains a control or text-direction character"
    return None


def person_name(value: str) -> str:
    """The name in NFC, so one spelling is one string; ValueError naming what is wrong."""
    value = unicodedata.normalize("NFC", value)
    problem = name_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _a_number(value: str) -> str:
    problem = a_number_problem(value)
    if problem:
        raise ValueError(problem)
    return value


ANumber = Annotated[
    str,
    Field(pattern=A_NUMBER_PATTERN, description="A-number: 'A' and 9 ASCII digits"),
    AfterValidator(_a_number),
]
PersonName = Annotated[
    str,
    Field(max_length=MAX_NAME_LENGTH, description="NFC, no control or text-direction character"),
    AfterValidator(person_name),
]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{3}$", description="ISO 639-3 code")]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")]
EmailAddress = Annotated[
    str,
    Field(
        max_length=254,
        pattern=r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+$",
        description="An e-mail address (ASCII)",
    ),
]
PhoneNumber = Annotated[
    str, Field(pattern=r"^\+[0-9]{6,15}$", description="E.164: '+' and 6 to 15 digits")
]


class Contract(BaseModel):
    """Base of every command and event body: immutable, unknown fields refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Need(Contract):
    """One need of a family, as a message of the catalogues (`puente_texts`) and its
    parameters: each reader gets it in their own language."""

    id: str
    params: dict[str, str | int] = {}


class CaseCategory(StrEnum):
    ACTIVE = "active"
    IN_ABSENTIA = "in_absentia"
    DENIED = "denied"
    TERMINATED = "terminated"
    INACTIVE = "inactive"


class SeatStatus(StrEnum):
    """Where a family's seats on one vehicle stand, as transport publishes them."""

    BOOKED = "booked"
    DEPARTED = "departed"
    ARRIVED = "arrived"
    CANCELLED = "cancelled"  # given back: the appointment was moved or cancelled
    FAILED = "failed"  # given back: the family missed the pick-up or the vehicle ran late


# The statuses in which the family holds its seats.
HOLDING_SEATS = frozenset({SeatStatus.BOOKED, SeatStatus.DEPARTED})


class Channel(StrEnum):
    ONLINE = "online"
    HOTLINE = "hotline"
    IN_PERSON = "in_person"
    ATTORNEY = "attorney"


class PartnerKind(StrEnum):
    """The kinds of partner organisation; consent names which kinds may see a family's record."""

    DHS = "dhs"
    DOJ = "doj"
    STATE = "state"
    UNHCR = "unhcr"
    IOM = "iom"
    SHELTER = "shelter"
    LEGAL_PROVIDER = "legal_provider"
    HOTLINE = "hotline"


class Location(Contract):
    city: str
    country: CountryCode

    @property
    def inside_us(self) -> bool:
        return self.country == "US"


class Member(Contract):
    """A person in a family unit; `in_mpp` is false for relatives never placed in MPP."""

    member_id: str
    given_name: PersonName
    family_name: PersonName
    birth_date: dt.date
    in_mpp: bool
    a_number: ANumber | None = None
    mpp_enrollment_date: dt.date | None = None
    case_category: CaseCategory | None = None
    language: LanguageCode
    needs_interpreter: bool = False
    legal_action: str | None = None


class FieldError(Contract):
    field: str
    message: str


class SiteChange(Contract):
    """Open or close a processing site, or change its daily capacity in people."""

    site: str
    open: bool | None = None
    capacity_per_day: int | None = None

    def errors(self, where: str, site_ids: Collection[str]) -> list[FieldError]:
        errors = []
        if self.site not in site_ids:
            errors.append(FieldError(field=f"{where}.site", message=f"unknown site {self.site!r}"))
        capacity = self.capacity_per_day
        if capacity is not None and capacity < 0:
            errors.append(
                FieldError(field=f"{where}.capacity_per_day", message="must not be below zero")
            )
        elif capacity is not None and capacity > MAX_CAPACITY_PER_DAY:
            errors.append(
                FieldError(
                    field=f"{where}.capacity_per_day",
                    message=f"must be at most {MAX_CAPACITY_PER_DAY} people a day",
                )
            )
        return errors


class PolicyChanges(Contract):
    """What a policy changes when it takes effect; every part is optional."""

    sites: list[SiteChange] = []
    eligible_categories: list[CaseCategory] | None = None
    min_notice_hours: float | None = None

    def errors(self, site_ids: Collection[str]) -> list[FieldError]:
        """What is wrong with these changes, one error per offending field (paths as in the
        contract); `site_ids` are the sites that exist. Empty when they can be applied."""
        errors = []
        for index, change in enumerate(self.sites):
            errors += change.errors(f"changes.sites[{index}]", site_ids)
            if any(earlier.site == change.site for earlier in self.sites[:index]):
                errors.append(
                    FieldError(field=f"changes.sites[{index}].site", message="is listed twice")
                )
        if self.eligible_categories is not None and not self.eligible_categories:
            errors.append(
                FieldError(
                    field="changes.eligible_categories", message="needs at least one category"
                )
            )
        problem = _notice_problem(self.min_notice_hours)
        if problem:
            errors.append(FieldError(field="changes.min_notice_hours", message=problem))
        return errors


def _notice_problem(hours: float | None) -> str | None:
    """Families need a day's notice at least to travel safely (DOMAIN.md, rule 4); weeks
    beyond that would hold every appointment back (and 1e308 hours is no time at all)."""
    if hours is None:
        return None
    if hours < 0:
        return "must not be below zero"
    if not MIN_NOTICE_HOURS <= hours <= MAX_NOTICE_HOURS:
        return f"must be between {MIN_NOTICE_HOURS} and {MAX_NOTICE_HOURS} hours"
    return None


class Contact(Contract):
    """A point of contact at a partner organisation: who they are, how to reach them, and the
    languages they read (ISO 639-3, preferred first)."""

    name: str = Field(min_length=1, max_length=100)
    role: str = Field(default="", max_length=100)
    email: EmailAddress | None = None
    phone: PhoneNumber | None = None
    languages: list[LanguageCode] = Field(default=[], max_length=10)
