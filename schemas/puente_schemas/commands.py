"""Commands: what a caller asks a service to do. They carry what the caller said, unvalidated
by domain rules (the owning service decides), but well-formed."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field

from puente_schemas.common import CaseCategory, Channel, Contract
from puente_schemas.topics import (
    NOTIFICATIONS_COMMANDS,
    PROCESSING_COMMANDS,
    REGISTRATION_COMMANDS,
    TRANSPORT_COMMANDS,
    event_type,
)


class Command(Contract):
    TYPE: ClassVar[str]
    TOPIC: ClassVar[str]


class LocationInput(Contract):
    city: str
    country: str


class MemberInput(Contract):
    given_name: str
    family_name: str
    birth_date: dt.date
    in_mpp: bool
    a_number: str | None = None
    mpp_enrollment_date: dt.date | None = None
    case_category: CaseCategory | None = None
    language: str
    needs_interpreter: bool = False


class RegisterFamily(Command):
    TYPE = event_type("registration", "register-family")
    TOPIC = REGISTRATION_COMMANDS
    family_unit_id: str
    channel: Channel
    current_location: LocationInput
    members: list[MemberInput] = Field(default_factory=list)


class RecordDeparture(Command):
    """A transport operator reports that the family's vehicle left."""

    TYPE = event_type("transport", "record-departure")
    TOPIC = TRANSPORT_COMMANDS
    family_unit_id: str
    booking_id: str


class RecordArrival(Command):
    """A port officer reports that the family reached the port of entry."""

    TYPE = event_type("transport", "record-arrival")
    TOPIC = TRANSPORT_COMMANDS
    family_unit_id: str
    booking_id: str
    site: str


class CompleteProcessing(Command):
    """A port officer reports that processing finished (documents served)."""

    TYPE = event_type("processing", "complete-processing")
    TOPIC = PROCESSING_COMMANDS
    family_unit_id: str


class ReleaseFamily(Command):
    """A port officer reports that the family left the port on parole."""

    TYPE = event_type("processing", "release-family")
    TOPIC = PROCESSING_COMMANDS
    family_unit_id: str
    destination: str | None = None


class AnnouncePolicy(Command):
    TYPE = event_type("notifications", "announce-policy")
    TOPIC = NOTIFICATIONS_COMMANDS
    policy_id: str
    title: str
    effective_at: dt.datetime


COMMANDS: tuple[type[Command], ...] = (
    RegisterFamily,
    RecordDeparture,
    RecordArrival,
    CompleteProcessing,
    ReleaseFamily,
    AnnouncePolicy,
)
