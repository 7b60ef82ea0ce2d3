"""Registration's own tables (private to this service)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


class FamilyRow(SQLModel, table=True):
    __tablename__ = "family_unit"

    id: str = Field(primary_key=True)
    channel: str
    city: str
    country: str
    registered_at: dt.datetime
    status: str = "registered"


class PersonRow(SQLModel, table=True):
    __tablename__ = "person"

    member_id: str = Field(primary_key=True)
    family_unit_id: str = Field(index=True, foreign_key="family_unit.id")
    given_name: str
    family_name: str
    birth_date: dt.date
    in_mpp: bool
    a_number: str | None = Field(default=None, unique=True)
    mpp_enrollment_date: dt.date | None = None
    case_category: str | None = None
    legal_action: str | None = None
    language: str
    needs_interpreter: bool
