"""Events: facts a service has decided or recorded, v1."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from puente_schemas.common import (
    Channel,
    Contact,
    Contract,
    FieldError,
    LanguageCode,
    Location,
    Member,
    Need,
    PartnerKind,
    PolicyChanges,
    SeatStatus,
)
from puente_schemas.topics import GATEWAY_EVENTS, event_type, events_topic


class Event(Contract):
    TYPE: ClassVar[str]
    TOPIC: ClassVar[str]


class CommandRejected(Event):
    """A command the owning service refused; `command` is its CloudEvents type. Nothing changed."""

    command: str
    family_unit_id: str | None = None
    errors: list[FieldError]


class Registered(Event):
    TYPE = event_type("registration", "registered")
    TOPIC = events_topic("registration")
    family_unit_id: str
    channel: Channel
    current_location: Location
    members: list[Member]
    registered_at: dt.datetime
    # SHA-256 of the registrant's lookup code; the code itself is only ever shown to them.
    registration_code_hash: str | None = None
    # The organisation that entered the registration (shelter, registration point, attorney).
    organisation_id: str | None = None
    consent: list[PartnerKind] = []
    consent_recorded_at: dt.datetime | None = None


class RegistrationUpdated(Event):
    TYPE = event_type("registration", "registration-updated")
    TOPIC = events_topic("registration")
    family_unit_id: str
    current_location: Location
    members: list[Member]
    reason: str = ""


class DuplicateFlagged(Event):
    """A likely duplicate (same birth date, similar names): for a person to review, never merged."""

    TYPE = event_type("registration", "duplicate-flagged")
    TOPIC = events_topic("registration")
    family_unit_id: str
    member_id: str
    candidate_family_unit_ids: list[str]
    reason: str


class RegistrationCommandRejected(CommandRejected):
    TYPE = event_type("registration", "command-rejected")
    TOPIC = events_topic("registration")


class CallbackBooked(Event):
    TYPE = event_type("registration", "callback-booked")
    TOPIC = events_topic("registration")
    callback_id: str
    family_unit_id: str
    due_at: dt.datetime
    operator: str
    rebooked_from: str | None = None


class CallbackRecorded(Event):
    TYPE = event_type("registration", "callback-recorded")
    TOPIC = events_topic("registration")
    callback_id: str
    family_unit_id: str
    operator: str
    outcome: str
    made_at: dt.datetime


class CallbackMissed(Event):
    TYPE = event_type("registration", "callback-missed")
    TOPIC = events_topic("registration")
    callback_id: str
    family_unit_id: str
    operator: str
    due_at: dt.datetime


class ExpediteRequested(Event):
    TYPE = event_type("registration", "expedite-requested")
    TOPIC = events_topic("registration")
    request_id: str
    family_unit_id: str
    criterion: str
    note: str
    requested_by: str
    requested_at: dt.datetime


class ExpediteAwaitingSecondApproval(Event):
    """Granted by the organisation that asked: another organisation must approve it too."""

    TYPE = event_type("registration", "expedite-awaiting-second-approval")
    TOPIC = events_topic("registration")
    request_id: str
    family_unit_id: str
    approved_by: str


class RegistrationRejected(Event):
    TYPE = event_type("registration", "registration-rejected")
    TOPIC = events_topic("registration")
    family_unit_id: str
    errors: list[FieldError]
    # The family that already holds a rejected A-number: the gateway shows it only to roles
    # that may see that family.
    existing_family_unit_id: str | None = None
    # The organisation that sent the registration: it follows the rejected family.
    organisation_id: str | None = None


class ExpediteDecided(Event):
    TYPE = event_type("registration", "expedite-decided")
    TOPIC = events_topic("registration")
    family_unit_id: str
    criterion: str
    granted: bool
    reason: str
    request_id: str | None = None
    decided_by: list[str] = []
    decided_at: dt.datetime | None = None


class QueuePlace(Contract):
    """Where a family stands in the fair queue: everything an auditor needs to check the order.

    Families go in order of `expedite_granted_at` (granted expedites first, in order of grant),
    then `earliest_enrollment`, then `registered_at`. `queued_at` is when the family joined
    this site's queue (registration, eligibility, a move after a closure or failed transport).
    """

    earliest_enrollment: dt.date | None
    registered_at: dt.datetime
    expedite_granted_at: dt.datetime | None = None
    queued_at: dt.datetime


class Site(Contract):
    """A processing site: a port of entry or a US consulate."""

    id: str
    name: str
    kind: str
    latitude: float
    longitude: float
    capacity_per_day: int
    open_weekdays: list[int]
    open: bool


class SiteUpdated(Event):
    TYPE = event_type("scheduling", "site-updated")
    TOPIC = events_topic("scheduling")
    site: Site
    reason: str


class Waitlisted(Event):
    """The family waits in line at `site`: for capacity, or (not `eligible`) for its phase.

    `estimated_date` is scheduling's estimate of its appointment day (see
    `AppointmentEstimated`); None when none can be made or an older release sent it."""

    TYPE = event_type("scheduling", "waitlisted")
    TOPIC = events_topic("scheduling")
    family_unit_id: str
    site: str | None
    people: int
    eligible: bool
    place: QueuePlace
    reason: str
    estimated_date: dt.date | None = None


class AppointmentEstimated(Event):
    """A waiting family's estimated appointment changed: the first day it would be given at
    `site` if every family ahead of it were booked first, under the notice in force (and
    never before transport can bring it). None when no day can be estimated (a closed site,
    no site). An estimate, not a promise: it moves as the line and the policy do."""

    TYPE = event_type("scheduling", "appointment-estimated")
    TOPIC = events_topic("scheduling")
    family_unit_id: str
    site: str | None
    estimated_date: dt.date | None


class SchedulingCommandRejected(CommandRejected):
    """Also answers a policy whose scheduling content is invalid: `policy_id` names it."""

    TYPE = event_type("scheduling", "command-rejected")
    TOPIC = events_topic("scheduling")
    policy_id: str | None = None


class Scheduled(Event):
    TYPE = event_type("scheduling", "scheduled")
    TOPIC = events_topic("scheduling")
    family_unit_id: str
    appointment_id: str
    site: str
    appointment_at: dt.datetime
    people: int
    origin: Location
    place: QueuePlace | None = None
    decided_at: dt.datetime | None = None


class Rescheduled(Event):
    TYPE = event_type("scheduling", "rescheduled")
    TOPIC = events_topic("scheduling")
    family_unit_id: str
    appointment_id: str
    site: str
    appointment_at: dt.datetime
    people: int
    origin: Location
    place: QueuePlace | None = None
    decided_at: dt.datetime | None = None
    reason: str


class ScheduleCancelled(Event):
    TYPE = event_type("scheduling", "schedule-cancelled")
    TOPIC = events_topic("scheduling")
    family_unit_id: str
    appointment_id: str
    reason: str


class TransportBooked(Event):
    TYPE = event_type("transport", "transport-booked")
    TOPIC = events_topic("transport")
    family_unit_id: str
    booking_id: str
    appointment_id: str
    site: str
    origin_city: str
    pickup_point: str
    departure_at: dt.datetime
    arrival_at: dt.datetime
    seats: int
    cost_to_family: int = 0
    travel_documents: list[str]
    route_id: str | None = None
    vehicle_id: str | None = None
    escorted_convoy: bool = False
    risk: str | None = None
    seat_status: SeatStatus | None = None  # None only from a release before it was published
    # Where the family safely waits when it arrives long before the appointment.
    lodging: str | None = None


class TransportDeparted(Event):
    TYPE = event_type("transport", "transport-departed")
    TOPIC = events_topic("transport")
    family_unit_id: str
    booking_id: str
    departed_at: dt.datetime
    expected_arrival_at: dt.datetime
    seat_status: SeatStatus | None = None


class BookingCancelled(Event):
    """Seats given back: the appointment was cancelled or moved."""

    TYPE = event_type("transport", "booking-cancelled")
    TOPIC = events_topic("transport")
    family_unit_id: str
    booking_id: str
    reason: str
    seat_status: SeatStatus | None = None


class TransportCommandRejected(CommandRejected):
    TYPE = event_type("transport", "command-rejected")
    TOPIC = events_topic("transport")


class TransportFailed(Event):
    TYPE = event_type("transport", "transport-failed")
    TOPIC = events_topic("transport")
    family_unit_id: str
    appointment_id: str
    reason: str
    # The soonest the family could be at the site, when transport knows (e.g. the next convoy).
    earliest_arrival: dt.datetime | None = None
    # The booking that failed on the way (a missed pick-up, a late vehicle) and its seats;
    # None when no booking could be made.
    booking_id: str | None = None
    seat_status: SeatStatus | None = None


class ArrivedAtPort(Event):
    TYPE = event_type("transport", "arrived-at-port")
    TOPIC = events_topic("transport")
    family_unit_id: str
    booking_id: str
    site: str
    arrived_at: dt.datetime
    seat_status: SeatStatus | None = None


class DocumentStatus(Contract):
    member_id: str
    kind: str
    status: str


class DocumentsPrepared(Event):
    """The documents each member needs, and how far each one is (`ready` or `pending`)."""

    TYPE = event_type("processing", "documents-prepared")
    TOPIC = events_topic("processing")
    family_unit_id: str
    documents: list[DocumentStatus]


class CheckedIn(Event):
    TYPE = event_type("processing", "checked-in")
    TOPIC = events_topic("processing")
    family_unit_id: str
    site: str
    checked_in_at: dt.datetime


class PreparedDocument(Contract):
    member_id: str
    kind: str


class Processed(Event):
    TYPE = event_type("processing", "processed")
    TOPIC = events_topic("processing")
    family_unit_id: str
    site: str
    processed_at: dt.datetime
    documents: list[PreparedDocument]


class Released(Event):
    TYPE = event_type("processing", "released")
    TOPIC = events_topic("processing")
    family_unit_id: str
    site: str
    released_at: dt.datetime
    destination: str
    on_parole: bool = True
    shelter_id: str | None = None
    court: str | None = None
    onward_travel: list[str] = []  # English, for consumers from before `onward_travel_items`
    onward_travel_items: list[Need] = []
    # What the family may apply for after release, in its language (work authorization, fees).
    after_release: str | None = None
    language: str | None = None


class ProcessingOverdue(Event):
    TYPE = event_type("processing", "processing-overdue")
    TOPIC = events_topic("processing")
    family_unit_id: str
    site: str
    checked_in_at: dt.datetime
    target_hours: float


class CourtAssigned(Event):
    TYPE = event_type("processing", "court-assigned")
    TOPIC = events_topic("processing")
    family_unit_id: str
    court: str
    destination: str


class AttorneyAccessDecided(Event):
    TYPE = event_type("processing", "attorney-access-decided")
    TOPIC = events_topic("processing")
    family_unit_id: str
    request_id: str
    attorney_organisation_id: str
    granted: bool
    reason: str


class Shelter(Contract):
    id: str
    name: str
    city: str
    latitude: float
    longitude: float
    beds: int
    beds_free: int
    services: list[str]


class ShelterUpdated(Event):
    TYPE = event_type("processing", "shelter-updated")
    TOPIC = events_topic("processing")
    shelter: Shelter


class ShelterAssigned(Event):
    """A shelter expects the family: size, languages and needs, never names or legal history."""

    TYPE = event_type("processing", "shelter-assigned")
    TOPIC = events_topic("processing")
    family_unit_id: str
    shelter_id: str
    site: str
    expected_at: dt.datetime
    people: int
    languages: list[str]
    needs_interpreter: bool
    needs: list[str] = []  # English, for consumers from before `need_items`
    need_items: list[Need] = []


class ShelterAssignmentWithdrawn(Event):
    """Processing gave back the beds it held for the family at `shelter_id`: the shelter no
    longer expects it (its appointment was cancelled)."""

    TYPE = event_type("processing", "shelter-assignment-withdrawn")
    TOPIC = events_topic("processing")
    family_unit_id: str
    shelter_id: str
    reason: str


class ShelterArrivalConfirmed(Event):
    TYPE = event_type("processing", "shelter-arrival-confirmed")
    TOPIC = events_topic("processing")
    family_unit_id: str
    shelter_id: str
    confirmed_at: dt.datetime


class ProcessingCommandRejected(CommandRejected):
    TYPE = event_type("processing", "command-rejected")
    TOPIC = events_topic("processing")


class PolicyAnnounced(Event):
    TYPE = event_type("notifications", "policy-announced")
    TOPIC = events_topic("notifications")
    policy_id: str
    title: str
    effective_at: dt.datetime
    changes: PolicyChanges = PolicyChanges()


class PolicyEffective(Event):
    TYPE = event_type("notifications", "policy-effective")
    TOPIC = events_topic("notifications")
    policy_id: str
    title: str
    changes: PolicyChanges = PolicyChanges()


class PolicyAmended(Event):
    """A policy changed before it took effect; partners are told again, 24 hours ahead."""

    TYPE = event_type("notifications", "policy-amended")
    TOPIC = events_topic("notifications")
    policy_id: str
    title: str
    effective_at: dt.datetime
    changes: PolicyChanges = PolicyChanges()


class PolicyCancelled(Event):
    """A policy withdrawn before it took effect: it never takes effect."""

    TYPE = event_type("notifications", "policy-cancelled")
    TOPIC = events_topic("notifications")
    policy_id: str
    reason: str


class PolicyAtRisk(Event):
    """Organisations that have not acknowledged a policy's notice close to its effective time."""

    TYPE = event_type("notifications", "policy-at-risk")
    TOPIC = events_topic("notifications")
    policy_id: str
    effective_at: dt.datetime
    organisation_ids: list[str]


class NoticeIssued(Event):
    """A notice in an organisation's inbox: what it says, in the language it was written in.
    It names no person: a family appears only by its id."""

    TYPE = event_type("notifications", "notice-issued")
    TOPIC = events_topic("notifications")
    notice_id: str
    organisation_id: str
    kind: str
    title: str
    text: str
    language: LanguageCode
    policy_id: str | None = None
    family_unit_id: str | None = None
    # When the policy the notice is about takes effect (policy notices only).
    effective_at: dt.datetime | None = None


class NoticeDelivered(Event):
    """A notice reached a recipient through one channel (`inbox`, `webhook`, `email`, ...)."""

    TYPE = event_type("notifications", "notice-delivered")
    TOPIC = events_topic("notifications")
    notice_id: str
    family_unit_id: str | None
    recipient: str
    channel: str
    kind: str
    policy_id: str | None = None
    organisation_id: str | None = None


class NoticeAcknowledged(Event):
    TYPE = event_type("notifications", "notice-acknowledged")
    TOPIC = events_topic("notifications")
    notice_id: str
    organisation_id: str
    policy_id: str | None = None
    acknowledged_at: dt.datetime


class NoticeEscalated(Event):
    """Still unacknowledged close to the deadline: sent again through every channel."""

    TYPE = event_type("notifications", "notice-escalated")
    TOPIC = events_topic("notifications")
    notice_id: str
    organisation_id: str
    policy_id: str | None = None
    channels: list[str]


class WebhookEndpointCreated(Event):
    """A partner's webhook endpoint (its secret never travels in an event)."""

    TYPE = event_type("notifications", "webhook-endpoint-created")
    TOPIC = events_topic("notifications")
    endpoint_id: str
    organisation_id: str
    url: str
    event_types: list[str]
    description: str = ""


class WebhookSecretRotated(Event):
    TYPE = event_type("notifications", "webhook-secret-rotated")
    TOPIC = events_topic("notifications")
    endpoint_id: str
    organisation_id: str
    previous_valid_until: dt.datetime


class WebhookEndpointDisabled(Event):
    TYPE = event_type("notifications", "webhook-endpoint-disabled")
    TOPIC = events_topic("notifications")
    endpoint_id: str
    organisation_id: str
    reason: str


class WebhookDeliveriesReplayed(Event):
    """The deliveries made to an endpoint since `since` are sent again (same `webhook-id`)."""

    TYPE = event_type("notifications", "webhook-deliveries-replayed")
    TOPIC = events_topic("notifications")
    endpoint_id: str
    organisation_id: str
    since: dt.datetime
    deliveries: int


class WebhookDeliveryAttempted(Event):
    """One attempt to deliver one message (`webhook_id`, the same on every attempt)."""

    TYPE = event_type("notifications", "webhook-delivery-attempted")
    TOPIC = events_topic("notifications")
    webhook_id: str
    endpoint_id: str
    organisation_id: str
    event_type: str
    attempt: int
    status: str  # succeeded | retrying | failed
    response_status: int | None = None
    error: str | None = None
    next_attempt_at: dt.datetime | None = None


class DeliveryFailed(Event):
    TYPE = event_type("notifications", "delivery-failed")
    TOPIC = events_topic("notifications")
    notice_id: str
    recipient: str
    reason: str
    organisation_id: str | None = None
    policy_id: str | None = None
    family_unit_id: str | None = None


class NotificationsCommandRejected(CommandRejected):
    TYPE = event_type("notifications", "command-rejected")
    TOPIC = events_topic("notifications")


class OrganisationRegistered(Event):
    """A partner organisation the gateway admits: who it is, the languages it reads (ISO
    639-3, preferred first) and its points of contact. Never a token or a secret."""

    TYPE = event_type("gateway", "organisation-registered")
    TOPIC = events_topic("gateway")
    organisation_id: str
    name: str
    kind: PartnerKind
    languages: list[LanguageCode] = []
    contacts: list[Contact] = []
    shelter_id: str | None = None


class OrganisationUpdated(Event):
    TYPE = event_type("gateway", "organisation-updated")
    TOPIC = events_topic("gateway")
    organisation_id: str
    name: str
    kind: PartnerKind
    languages: list[LanguageCode] = []
    contacts: list[Contact] = []
    shelter_id: str | None = None


EVENTS: tuple[type[Event], ...] = (
    Registered,
    RegistrationUpdated,
    RegistrationRejected,
    DuplicateFlagged,
    CallbackBooked,
    CallbackRecorded,
    CallbackMissed,
    ExpediteRequested,
    ExpediteAwaitingSecondApproval,
    ExpediteDecided,
    RegistrationCommandRejected,
    SiteUpdated,
    Waitlisted,
    AppointmentEstimated,
    Scheduled,
    Rescheduled,
    ScheduleCancelled,
    SchedulingCommandRejected,
    TransportBooked,
    TransportDeparted,
    TransportFailed,
    BookingCancelled,
    ArrivedAtPort,
    TransportCommandRejected,
    DocumentsPrepared,
    CheckedIn,
    Processed,
    ProcessingOverdue,
    CourtAssigned,
    Released,
    AttorneyAccessDecided,
    ShelterUpdated,
    ShelterAssigned,
    ShelterAssignmentWithdrawn,
    ShelterArrivalConfirmed,
    ProcessingCommandRejected,
    PolicyAnnounced,
    PolicyEffective,
    PolicyAmended,
    PolicyCancelled,
    PolicyAtRisk,
    NoticeIssued,
    NoticeDelivered,
    NoticeAcknowledged,
    NoticeEscalated,
    DeliveryFailed,
    WebhookEndpointCreated,
    WebhookSecretRotated,
    WebhookEndpointDisabled,
    WebhookDeliveriesReplayed,
    WebhookDeliveryAttempted,
    NotificationsCommandRejected,
    OrganisationRegistered,
    OrganisationUpdated,
)


def short_type(event_type: str) -> str:
    """`org.puente.registration.registered.v1` -> `registered`."""
    return event_type.split(".")[-2]


# The names partners use for what happens to families, in `familyEvents(types:)` and in a
# webhook endpoint's event types: every event but the gateway's own (organisations).
FEED_TYPES = frozenset(short_type(m.TYPE) for m in EVENTS if m.TOPIC != GATEWAY_EVENTS)
