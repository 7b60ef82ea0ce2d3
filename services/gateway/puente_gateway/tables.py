"""The gateway's own tables: the read model, organisations and credentials, the audit log and
the simulator's planned actions.

Table names carry a `gateway_` prefix: every service's tables share one SQLModel metadata when
the platform runs in one process. Datetimes are aware and come back in UTC (sqlmodel's
UTCDateTime). Tables added after the first release have new names rather than new columns in
old ones, so a `var/gateway.db` from before still opens (there are no migrations).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


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
    """A bearer credential: only its SHA-256 is stored; `id` names it in the audit log."""

    __tablename__ = "gateway_token"

    token_hash: str = Field(primary_key=True)
    id: str = Field(unique=True)
    name: str
    organisation_id: str = Field(index=True)
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None


class AuditRow(SQLModel, table=True):
    """One read (or refused read) of a family's personal data. Ids only: no personal data."""

    __tablename__ = "gateway_audit"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime
    family_unit_id: str = Field(index=True)
    operation: str
    outcome: str  # read | refused
    token_id: str
    principal: str
    organisation_id: str | None = None


class FieldAction(SQLModel, table=True):
    """A command someone in the field will give later (simulator only)."""

    __tablename__ = "gateway_field_action"

    id: int | None = Field(default=None, primary_key=True)
    due_at: dt.datetime = Field(index=True)
    command_type: str
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    correlation_id: str
    trace: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))
    done: bool = Field(default=False, index=True)


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
    FieldAction,
)
