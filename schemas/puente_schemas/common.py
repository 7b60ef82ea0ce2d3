"""Value types shared by commands and events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

ANumber = Annotated[str, Field(pattern=r"^A\d{9}$", description="A-number: 'A' and 9 digits")]
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


class CaseCategory(StrEnum):
    ACTIVE = "active"
    IN_ABSENTIA = "in_absentia"
    DENIED = "denied"
    TERMINATED = "terminated"
    INACTIVE = "inactive"


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
    given_name: str
    family_name: str
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
            where = f"changes.sites[{index}]"
            if change.site not in site_ids:
                errors.append(
                    FieldError(field=f"{where}.site", message=f"unknown site {change.site!r}")
                )
            if change.capacity_per_day is not None and change.capacity_per_day < 0:
                errors.append(
                    FieldError(field=f"{where}.capacity_per_day", message="must not be below zero")
                )
        if self.eligible_categories is not None and not self.eligible_categories:
            errors.append(
                FieldError(
                    field="changes.eligible_categories", message="needs at least one category"
                )
            )
        if self.min_notice_hours is not None and self.min_notice_hours < 0:
            errors.append(
                FieldError(field="changes.min_notice_hours", message="must not be below zero")
            )
        return errors


class Contact(Contract):
    """A point of contact at a partner organisation: who they are, how to reach them, and the
    languages they read (ISO 639-3, preferred first)."""

    name: str = Field(min_length=1, max_length=100)
    role: str = Field(default="", max_length=100)
    email: EmailAddress | None = None
    phone: PhoneNumber | None = None
    languages: list[LanguageCode] = Field(default=[], max_length=10)
