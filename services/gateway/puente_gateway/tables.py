"""The gateway's own tables: the read model, organisations and credentials, the audit log.

Table names carry a `gateway_` prefix: every service's tables share one SQLModel metadata when
the platform runs in one process. Datetimes are aware and come back in UTC (sqlmodel's
UTCDateTime). They change only through the gateway's migration history (migrations/, run at
start: puente_runtime.upgrades).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from puente_runtime.upgrades import history_of
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from puente_gateway.webhooking import WEBHOOK_TABLES


class FamilyView(SQLModel, table=True):
    __tablename__ = "gateway_family_view"

    id: str = Field(primary_key=True)
    stage: str
    members: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    site: str | None = None
    appointment_at: dt.datetime | None = None
    updated_at: dt.datetime


class FamilyRecord(SQLModel, table=True):
    """What a registration says about who may see the family, and how to look it up."""

    __tablename__ = "gateway_family_record"

    family_unit_id: str = Field(primary_key=True)
    organisation_id: str | None = Field(default=None, index=True)
    consent: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    channel: str
    registration_code_hash: str | None = Field(default=None, index=True)
    registered_at: dt.datetime
    inside_us: bool = False


class TimelineEntry(SQLModel, table=True):
    __tablename__ = "gateway_timeline"
    __table_args__ = {"sqlite_autoincrement": True}  # a cursor is never reused

    cursor: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(unique=True)
    family_unit_id: str | None = Field(default=None, index=True)
    type: str
    occurred_at: dt.datetime
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    # Its flow (api/flow.py): the service that produced it, the event that caused it, its
    # trace, when the producer's relay published it and when the gateway applied it (None
    # for entries recorded before these were kept).
    source: str | None = None
    causation_id: str | None = None
    trace_id: str | None = None
    published_at: dt.datetime | None = None
    applied_at: dt.datetime | None = None


class QueueEntry(SQLModel, table=True):
    """A family's place in a site's fair queue and, once given, its current appointment."""

    __tablename__ = "gateway_queue"

    family_unit_id: str = Field(primary_key=True)
    site: str | None = Field(default=None, index=True)
    status: str = Field(index=True)  # waiting | scheduled | cancelled
    eligible: bool = True
    people: int = 0
    earliest_enrollment: dt.date | None = None
    registered_at: dt.datetime | None = None
    expedite_granted_at: dt.datetime | None = None
    queued_at: dt.datetime | None = None
    appointment_id: str | None = None
    appointment_at: dt.datetime | None = None
    decided_at: dt.datetime | None = None
    reason: str = ""
    estimated_date: dt.date | None = None  # scheduling's estimate while it waits


class SiteRow(SQLModel, table=True):
    __tablename__ = "gateway_site"

    id: str = Field(primary_key=True)
    name: str
    kind: str
    latitude: float
    longitude: float
    capacity_per_day: int
    open_weekdays: list[int] = Field(default_factory=list, sa_column=Column(JSON))
    open: bool
    reason: str = ""
    updated_at: dt.datetime


class ExpediteRow(SQLModel, table=True):
    __tablename__ = "gateway_expedite"

    request_id: str = Field(primary_key=True)
    family_unit_id: str = Field(index=True)
    criterion: str
    note: str = ""
    requested_by: str
    requested_at: dt.datetime
    status: str = Field(index=True)  # requested | awaiting-second-approval | granted | denied
    approved_by: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    reason: str = ""
    decided_at: dt.datetime | None = None


class CallbackRow(SQLModel, table=True):
    __tablename__ = "gateway_callback"

    callback_id: str = Field(primary_key=True)
    family_unit_id: str = Field(index=True)
    operator: str = Field(index=True)
    due_at: dt.datetime = Field(index=True)
    status: str  # booked | made | missed | rebooked
    missed: bool = False  # stays true once missed, even after rebooking: counted per day
    outcome: str | None = None
    made_at: dt.datetime | None = None
    rebooked_from: str | None = None


class Organisation(SQLModel, table=True):
    __tablename__ = "gateway_organisation"

    id: str = Field(primary_key=True)
    name: str
    kind: str
    created_at: dt.datetime


class Token(SQLModel, table=True):
    """A bearer credential: only its SHA-256 is stored; `id` names it in the audit log.
    `sites`: where a port officer works, the only sites its `port_officer` role acts at;
    `routes`: the routes a transport operator serves, the only ones its role acts on."""

    __tablename__ = "gateway_token"

    token_hash: str = Field(primary_key=True)
    id: str = Field(unique=True)
    name: str
    organisation_id: str = Field(index=True)
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    sites: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    routes: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None


class AuditRow(SQLModel, table=True):
    """One permission decision: a read (or refused read) of a family's personal data, or a
    refusal of an operation that names no family (family_unit_id null). Ids only."""

    __tablename__ = "gateway_audit"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime
    family_unit_id: str | None = Field(default=None, index=True)
    operation: str
    outcome: str  # read | refused
    token_id: str
    principal: str
    organisation_id: str | None = None


class BookingRow(SQLModel, table=True):
    """A family's transport booking: what the journey needs, never a name or legal history."""

    __tablename__ = "gateway_booking"

    booking_id: str = Field(primary_key=True)
    family_unit_id: str = Field(index=True)
    appointment_id: str
    site: str = Field(index=True)
    route_id: str | None = Field(default=None, index=True)
    vehicle_id: str | None = None
    origin_city: str
    pickup_point: str
    departure_at: dt.datetime = Field(index=True)
    arrival_at: dt.datetime
    seats: int
    travel_documents: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    escorted_convoy: bool = False
    risk: str | None = None
    cost_to_family: int = 0
    status: str = Field(index=True)  # booked | departed | arrived | cancelled | failed
    booked_at: dt.datetime
    departed_at: dt.datetime | None = None
    expected_arrival_at: dt.datetime | None = None
    arrived_at: dt.datetime | None = None
    reason: str = ""


class TransportFailureRow(SQLModel, table=True):
    __tablename__ = "gateway_transport_failure"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    family_unit_id: str = Field(index=True)
    appointment_id: str
    reason: str
    failed_at: dt.datetime


class DocumentRow(SQLModel, table=True):
    """One document a member needs, as processing last reported it."""

    __tablename__ = "gateway_document"

    family_unit_id: str = Field(primary_key=True)
    member_id: str = Field(primary_key=True)
    kind: str = Field(primary_key=True)
    status: str  # pending | ready
    updated_at: dt.datetime


class PortVisit(SQLModel, table=True):
    """A family's processing: arrival, check-in, end of processing, release, each timestamped;
    what was not ready at check-in; overdue; court and release."""

    __tablename__ = "gateway_port_visit"

    family_unit_id: str = Field(primary_key=True)
    site: str | None = Field(default=None, index=True)
    arrived_at: dt.datetime | None = None
    checked_in_at: dt.datetime | None = None
    processed_at: dt.datetime | None = None
    released_at: dt.datetime | None = None
    # [{"member_id", "kind"}] of the documents still pending when the family checked in.
    not_ready_at_check_in: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON)
    )
    overdue_target_hours: float | None = None  # set by processing-overdue
    court: str | None = None
    destination: str | None = None
    shelter_id: str | None = None
    on_parole: bool | None = None
    onward_travel: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    after_release: str | None = None
    language: str | None = None


class AttorneyAccessRow(SQLModel, table=True):
    __tablename__ = "gateway_attorney_access"

    request_id: str = Field(primary_key=True)
    family_unit_id: str = Field(index=True)
    attorney_organisation_id: str = Field(index=True)
    granted: bool
    reason: str
    decided_at: dt.datetime


class ShelterRow(SQLModel, table=True):
    __tablename__ = "gateway_shelter"

    id: str = Field(primary_key=True)
    name: str
    city: str
    latitude: float
    longitude: float
    beds: int
    beds_free: int
    services: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    updated_at: dt.datetime


class ShelterArrival(SQLModel, table=True):
    """A family a shelter expects: size, languages and needs; never a name or legal history."""

    __tablename__ = "gateway_shelter_arrival"

    family_unit_id: str = Field(primary_key=True)
    shelter_id: str = Field(index=True)
    site: str
    expected_at: dt.datetime
    people: int
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    needs_interpreter: bool = False
    needs: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    status: str = Field(index=True)  # expected | released | arrived | withdrawn
    assigned_at: dt.datetime
    released_at: dt.datetime | None = None
    confirmed_at: dt.datetime | None = None


class OrganisationShelter(SQLModel, table=True):
    """The shelter a shelter organisation runs: what its `shelter` role is limited to."""

    __tablename__ = "gateway_organisation_shelter"

    organisation_id: str = Field(primary_key=True)
    shelter_id: str = Field(index=True)


class OrganisationProfile(SQLModel, table=True):
    """How to reach an organisation: its languages (ISO 639-3, preferred first) and points of
    contact. `version` counts changes; `announced_version` is the last one published as
    organisation-registered/updated (0: never), so a change not yet published is sent later."""

    __tablename__ = "gateway_organisation_profile"

    organisation_id: str = Field(primary_key=True)
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    contacts: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    version: int = 1
    announced_version: int = Field(default=0, index=True)


class NoticeRow(SQLModel, table=True):
    """A notice in an organisation's inbox, as notifications issued it, with what became of it:
    the channels it went through, when the organisation first read it (the first time the
    gateway returned it to the organisation), when it acknowledged it. Its cursor is the
    timeline cursor of its `notice-issued` event (`issued_event_id`)."""

    __tablename__ = "gateway_notice"

    notice_id: str = Field(primary_key=True)
    issued_event_id: str = Field(unique=True)
    organisation_id: str = Field(index=True)
    kind: str
    title: str
    text: str
    language: str
    policy_id: str | None = Field(default=None, index=True)
    family_unit_id: str | None = None
    effective_at: dt.datetime | None = None
    created_at: dt.datetime
    delivered_via: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    delivered_at: dt.datetime | None = None
    first_read_at: dt.datetime | None = None
    acknowledged_at: dt.datetime | None = None


class PolicyRow(SQLModel, table=True):
    """A policy as notifications announced, amended, cancelled or made it effective, and the
    organisations it last named at risk (still unacknowledged close to the effective time)."""

    __tablename__ = "gateway_policy"

    policy_id: str = Field(primary_key=True)
    title: str
    effective_at: dt.datetime
    status: str = Field(index=True)  # announced | amended | cancelled | effective
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    announced_at: dt.datetime
    cancel_reason: str = ""
    at_risk: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    at_risk_at: dt.datetime | None = None


class PolicyAlertRow(SQLModel, table=True):
    """One public alert about a policy (CAP): its announcement, each amendment, its
    cancellation; `alert_id` is the id of the event that made it."""

    __tablename__ = "gateway_policy_alert"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    alert_id: str = Field(unique=True)
    policy_id: str = Field(index=True)
    message_type: str  # Alert | Update | Cancel
    sent_at: dt.datetime
    title: str
    effective_at: dt.datetime
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    reason: str = ""


TABLES: tuple[type[SQLModel], ...] = (
    FamilyView,
    FamilyRecord,
    TimelineEntry,
    QueueEntry,
    SiteRow,
    ExpediteRow,
    CallbackRow,
    Organisation,
    Token,
    AuditRow,
    BookingRow,
    TransportFailureRow,
    DocumentRow,
    PortVisit,
    AttorneyAccessRow,
    ShelterRow,
    ShelterArrival,
    OrganisationShelter,
    *WEBHOOK_TABLES,
    OrganisationProfile,
    NoticeRow,
    PolicyRow,
    PolicyAlertRow,
)
# The migration history of these tables (the runtime upgrades it at start: upgrades.py).
HISTORY = history_of("gateway", Path(__file__).parent / "migrations", TABLES)
