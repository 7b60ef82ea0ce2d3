"""Scheduling's own tables (private to this service)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


class AppointmentRow(SQLModel, table=True):
    __tablename__ = "appointment"

    id: str = Field(primary_key=True)
    family_unit_id: str = Field(unique=True)
    site: str = Field(index=True)
    day: dt.date = Field(index=True)
    at: dt.datetime
    people: int
    origin_city: str
    origin_country: str
    enrolled_on: dt.date | None = None
    status: str = "scheduled"
