"""Transport's own tables (private to this service)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


class BookingRow(SQLModel, table=True):
    __tablename__ = "booking"

    id: str = Field(primary_key=True)
    family_unit_id: str = Field(index=True)
    appointment_id: str = Field(unique=True)
    site: str
    seats: int
    departure_at: dt.datetime
    arrival_at: dt.datetime
    departed_at: dt.datetime | None = None
    arrived_at: dt.datetime | None = None
