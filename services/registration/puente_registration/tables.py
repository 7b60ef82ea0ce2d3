"""Registration's own tables (private to this service).

Datetimes are aware and come back in UTC (sqlmodel's UTCDateTime). New tables carry a
`registration_` prefix: every service's tables share one SQLModel metadata in one process.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from puente_runtime.upgrades import history_of
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class FamilyRow(SQLModel, table=True):
    __tablename__ = "family_unit"

    id: str = Field(primary_key=True)
    channel: str
    city: str
    country: str
    registered_at: dt.datetime
    status: str = "registered"
    # The shelter, registration point or legal provider that entered the registration.
    organisation_id: str | None = None
    # Set on ATTORNEY registrations: the legal provider is the family's attorney of record.
    attorney_organisation_id: str | None = None
    registration_code_hash: str | None = None
    # Partner kinds that may see the record, and when and on which channel consent was given.
    consent: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    consent_recorded_at: dt.datetime | None = None
    consent_channel: str | None = None


class PersonRow(SQLModel, table=True):
    __tablename__ = "person"

    member_id: str = Field(primary_key=True)
    family_unit_id: str = Field(index=True, foreign_key="family_unit.id")
    # Order of the members within the family, as registered then added.
    position: int = 0
    given_name: str
    family_name: str
    # Indexed: likely duplicates are looked for among people born the same day.
    birth_date: dt.date = Field(index=True)
    in_mpp: bool
    a_number: str | None = Field(default=None, unique=True)
    mpp_enrollment_date: dt.date | None = None
    case_category: str | None = None
    legal_action: str | None = None
    language: str
    needs_interpreter: bool


class CallbackRow(SQLModel, table=True):
    __tablename__ = "registration_callback"

    id: str = Field(primary_key=True)
    family_unit_id: str = Field(index=True, foreign_key="family_unit.id")
    operator: str
    due_at: dt.datetime = Field(index=True)
    status: str = Field(default="booked", index=True)
    booked_at: dt.datetime
    rebooked_from: str | None = None
    # Calls in a row before this one that nobody answered.
    unanswered_before: int = 0
    outcome: str | None = None
    made_by: str | None = None
    made_at: dt.datetime | None = None


class ExpediteRow(SQLModel, table=True):
    __tablename__ = "registration_expedite"

    id: str = Field(primary_key=True)
    family_unit_id: str = Field(index=True, foreign_key="family_unit.id")
    criterion: str
    note: str
    requested_by: str
    requested_at: dt.datetime
    status: str = "pending"
    # Organisations that approved it, in order, and the reason each decision gave.
    approved_by: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    decided_at: dt.datetime | None = None


TABLES: list[type[SQLModel]] = [FamilyRow, PersonRow, CallbackRow, ExpediteRow]
# The migration history of these tables (the runtime upgrades it at start: upgrades.py).
HISTORY = history_of("registration", Path(__file__).parent / "migrations", TABLES)
