"""Processing's own tables (private to this service)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from puente_runtime.upgrades import history_of
from sqlmodel import Field, SQLModel


class CaseFileRow(SQLModel, table=True):
    """What processing knows of a family: its members, where it is, and where it stands."""

    __tablename__ = "case_file"

    family_unit_id: str = Field(primary_key=True)
    members: str  # JSON list of Member
    channel: str = "online"
    attorney_of_record: str | None = None
    city: str = ""
    country: str = ""
    in_us: bool = False  # on the path of families already inside the US
    step: str = Field(default="registered", index=True)
    appointment_id: str | None = None
    site: str | None = None
    appointment_at: dt.datetime | None = None
    checked_in_at: dt.datetime | None = None
    overdue_reported: bool = False
    processed_at: dt.datetime | None = None
    released_at: dt.datetime | None = None
    court: str | None = None  # court id
    destination: str | None = None


class DocumentRow(SQLModel, table=True):
    __tablename__ = "document"

    id: int | None = Field(default=None, primary_key=True)
    family_unit_id: str = Field(index=True)
    member_id: str
    kind: str
    status: str = Field(default="pending", index=True)
    ready_at: dt.datetime | None = None


class ShelterRow(SQLModel, table=True):
    __tablename__ = "shelter"

    id: str = Field(primary_key=True)
    name: str
    city: str
    latitude: float
    longitude: float
    beds: int
    services: str  # JSON list


class BedHoldRow(SQLModel, table=True):
    """Beds a shelter holds for one family, from scheduling until its stay ends."""

    __tablename__ = "bed_hold"

    family_unit_id: str = Field(primary_key=True)
    shelter_id: str = Field(index=True)
    site: str  # the processing site the shelter was chosen for
    people: int
    expected_at: dt.datetime
    arrived_at: dt.datetime | None = None
    ends_at: dt.datetime | None = Field(default=None, index=True)  # set at release


class AttorneyRequestRow(SQLModel, table=True):
    __tablename__ = "attorney_request"

    request_id: str = Field(primary_key=True)
    family_unit_id: str = Field(index=True)
    attorney_organisation_id: str
    granted: bool
    reason: str
    decided_at: dt.datetime


TABLES: tuple[type[SQLModel], ...] = (
    CaseFileRow,
    DocumentRow,
    ShelterRow,
    BedHoldRow,
    AttorneyRequestRow,
)
# The migration history of these tables (the runtime upgrades it at start: upgrades.py).
HISTORY = history_of("processing", Path(__file__).parent / "migrations", TABLES)
