"""Events: facts a service has decided or recorded, v1."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from puente_schemas.common import Channel, Contract, FieldError, Location, Member
from puente_schemas.topics import event_type, events_topic


class Event(Contract):
    TYPE: ClassVar[str]
    TOPIC: ClassVar[str]


class Registered(Event):
    TYPE = event_type("registration", "registered")
    TOPIC = events_topic("registration")
    family_unit_id: str
    channel: Channel
    current_location: Location
    members: list[Member]
    registered_at: dt.datetime


class RegistrationUpdated(Event):
    TYPE = event_type("registration", "registration-updated")
    TOPIC = events_topic("registration")
    family_unit_id: str
    current_location: Location
    members: list[Member]


class RegistrationRejected(Event):
    TYPE = event_type("registration", "registration-rejected")
    TOPIC = events_topic("registration")
    family_unit_id: str
    errors: list[FieldError]


class ExpediteDecided(Event):
    TYPE = event_type("registration", "expedite-decided")
    TOPIC = events_topic("registration")
    family_unit_id: str
    criterion: str
    granted: bool
    reason: str


class Scheduled(Event):
    TYPE = event_type("scheduling", "scheduled")
    TOPIC = events_topic("scheduling")
    family_unit_id: str
    appointment_id: str
    site: str
    appointment_at: dt.datetime
    people: int
    origin: Location


class Rescheduled(Event):
    TYPE = event_type("scheduling", "rescheduled")
    TOPIC = events_topic("scheduling")
    family_unit_id: str
    appointment_id: str
    site: str
    appointment_at: dt.datetime
    people: int
    origin: Location
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


class TransportFailed(Event):
    TYPE = event_type("transport", "transport-failed")
    TOPIC = events_topic("transport")
    family_unit_id: str
    appointment_id: str
    reason: str


class ArrivedAtPort(Event):
    TYPE = event_type("transport", "arrived-at-port")
    TOPIC = events_topic("transport")
    family_unit_id: str
    booking_id: str
    site: str
    arrived_at: dt.datetime


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


class PolicyAnnounced(Event):
    TYPE = event_type("notifications", "policy-announced")
    TOPIC = events_topic("notifications")
    policy_id: str
    title: str
    effective_at: dt.datetime


class PolicyEffective(Event):
    TYPE = event_type("notifications", "policy-effective")
    TOPIC = events_topic("notifications")
    policy_id: str
    title: str


class NoticeDelivered(Event):
    TYPE = event_type("notifications", "notice-delivered")
    TOPIC = events_topic("notifications")
    notice_id: str
    family_unit_id: str | None
    recipient: str
    channel: str
    kind: str


class DeliveryFailed(Event):
    TYPE = event_type("notifications", "delivery-failed")
    TOPIC = events_topic("notifications")
    notice_id: str
    recipient: str
    reason: str


EVENTS: tuple[type[Event], ...] = (
    Registered,
    RegistrationUpdated,
    RegistrationRejected,
    ExpediteDecided,
    Scheduled,
    Rescheduled,
    ScheduleCancelled,
    TransportBooked,
    TransportFailed,
    ArrivedAtPort,
    CheckedIn,
    Processed,
    Released,
    PolicyAnnounced,
    PolicyEffective,
    NoticeDelivered,
    DeliveryFailed,
)
