"""Commands: what a caller asks a service to do. They carry what the caller said, unvalidated
by domain rules (the owning service decides), but well-formed."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from pydantic import Field

from puente_schemas.common import CaseCategory, Channel, Contract, PartnerKind, PolicyChanges
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
    registration_code_hash: str | None = None
    organisation_id: str | None = None
    consent: list[PartnerKind] = Field(default_factory=list)


class AddFamilyMember(Command):
    TYPE = event_type("registration", "add-family-member")
    TOPIC = REGISTRATION_COMMANDS
    family_unit_id: str
    member: MemberInput


class UpdateLocation(Command):
    TYPE = event_type("registration", "update-location")
    TOPIC = REGISTRATION_COMMANDS
    family_unit_id: str
    current_location: LocationInput


class RecordCallback(Command):
    """A hotline operator reports a call-back: made (with its outcome) or not reached."""

    TYPE = event_type("registration", "record-callback")
    TOPIC = REGISTRATION_COMMANDS
    family_unit_id: str
    callback_id: str
    operator: str
    outcome: str


class RequestExpedite(Command):
    TYPE = event_type("registration", "request-expedite")
    TOPIC = REGISTRATION_COMMANDS
    request_id: str
    family_unit_id: str
    criterion: str
    note: str
    organisation_id: str


class DecideExpedite(Command):
    TYPE = event_type("registration", "decide-expedite")
    TOPIC = REGISTRATION_COMMANDS
    family_unit_id: str
    request_id: str
    granted: bool
    reason: str
    organisation_id: str


class ReportMissedPickup(Command):
    """A transport operator reports that the family was not at the pick-up point."""

    TYPE = event_type("transport", "report-missed-pickup")
    TOPIC = TRANSPORT_COMMANDS
    family_unit_id: str
    booking_id: str


class ReportDelay(Command):
    """A transport operator reports that the vehicle runs late."""

    TYPE = event_type("transport", "report-delay")
    TOPIC = TRANSPORT_COMMANDS
    family_unit_id: str
    booking_id: str
    delay_minutes: int


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


class RequestAttorneyAccess(Command):
    """An attorney of record asks to reach their client during processing."""

    TYPE = event_type("processing", "request-attorney-access")
    TOPIC = PROCESSING_COMMANDS
    request_id: str
    family_unit_id: str
    attorney_organisation_id: str


class UpdateShelterCapacity(Command):
    TYPE = event_type("processing", "update-shelter-capacity")
    TOPIC = PROCESSING_COMMANDS
    shelter_id: str
    beds: int


class ConfirmShelterArrival(Command):
    TYPE = event_type("processing", "confirm-shelter-arrival")
    TOPIC = PROCESSING_COMMANDS
    family_unit_id: str
    shelter_id: str


class AnnouncePolicy(Command):
    TYPE = event_type("notifications", "announce-policy")
    TOPIC = NOTIFICATIONS_COMMANDS
    policy_id: str
    title: str
    effective_at: dt.datetime
    changes: PolicyChanges = Field(default_factory=PolicyChanges)


class AmendPolicy(Command):
    TYPE = event_type("notifications", "amend-policy")
    TOPIC = NOTIFICATIONS_COMMANDS
    policy_id: str
    title: str
    effective_at: dt.datetime
    changes: PolicyChanges = Field(default_factory=PolicyChanges)


class CancelPolicy(Command):
    TYPE = event_type("notifications", "cancel-policy")
    TOPIC = NOTIFICATIONS_COMMANDS
    policy_id: str
    reason: str = Field(min_length=1, max_length=500)


class AcknowledgeNotice(Command):
    """An organisation read and acknowledges one of its notices."""

    TYPE = event_type("notifications", "acknowledge-notice")
    TOPIC = NOTIFICATIONS_COMMANDS
    notice_id: str
    organisation_id: str


class CreateWebhookEndpoint(Command):
    """`secret` is the endpoint's `whsec_...` secret sealed with the platform key (never the
    secret itself): the gateway shows the secret once; notifications unseals it to sign."""

    TYPE = event_type("notifications", "create-webhook-endpoint")
    TOPIC = NOTIFICATIONS_COMMANDS
    endpoint_id: str
    organisation_id: str
    url: str = Field(max_length=2048)
    event_types: list[str]
    description: str = Field(default="", max_length=500)
    secret: str


class RotateWebhookSecret(Command):
    TYPE = event_type("notifications", "rotate-webhook-secret")
    TOPIC = NOTIFICATIONS_COMMANDS
    endpoint_id: str
    organisation_id: str
    secret: str  # sealed, as in CreateWebhookEndpoint


class ReplayWebhookDeliveries(Command):
    TYPE = event_type("notifications", "replay-webhook-deliveries")
    TOPIC = NOTIFICATIONS_COMMANDS
    endpoint_id: str
    organisation_id: str
    since: dt.datetime


class DeliverWebhookEvent(Command):
    """A family's event for one webhook endpoint, its `data` already redacted by the gateway
    for the endpoint's organisation (the gateway decides who follows which family and what of
    an event each may see); notifications signs, sends and retries it like a notice. The
    event's own id, source, type and time make the CloudEvent the endpoint receives."""

    TYPE = event_type("notifications", "deliver-webhook-event")
    TOPIC = NOTIFICATIONS_COMMANDS
    endpoint_id: str
    organisation_id: str
    event_id: str
    event_source: str
    event_type: str
    event_time: dt.datetime
    family_unit_id: str
    data: dict[str, Any] = Field(default_factory=dict)


COMMANDS: tuple[type[Command], ...] = (
    RegisterFamily,
    AddFamilyMember,
    UpdateLocation,
    RecordCallback,
    RequestExpedite,
    DecideExpedite,
    ReportMissedPickup,
    ReportDelay,
    RecordDeparture,
    RecordArrival,
    CompleteProcessing,
    ReleaseFamily,
    RequestAttorneyAccess,
    UpdateShelterCapacity,
    ConfirmShelterArrival,
    AnnouncePolicy,
    AmendPolicy,
    CancelPolicy,
    AcknowledgeNotice,
    CreateWebhookEndpoint,
    RotateWebhookSecret,
    ReplayWebhookDeliveries,
    DeliverWebhookEvent,
)
