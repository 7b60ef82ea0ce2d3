"""Transport's own tables (private to this service).

One row per booking decision: a booking that holds seats on a vehicle, or a request that
could not be booked (`failed`, with its reason and no vehicle), so that the same appointment
delivered again is answered once. Datetimes are aware and come back in UTC.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from puente_runtime.upgrades import history_of
from sqlmodel import Field, SQLModel


class BookingRow(SQLModel, table=True):
    __tablename__ = "booking"

    id: str = Field(primary_key=True)
    family_unit_id: str = Field(index=True)
    appointment_id: str = Field(index=True)
    appointment_at: dt.datetime
    site: str
    origin_city: str
    seats: int
    status: str = Field(index=True)
    reason: str | None = None
    route_id: str | None = Field(default=None, index=True)
    vehicle_id: str | None = Field(default=None, index=True)
    departure_at: dt.datetime | None = Field(default=None, index=True)
    arrival_at: dt.datetime | None = None
    pickup_point: str | None = None
    travel_documents: str | None = None  # one per line
    lodging: str | None = None
    departed_at: dt.datetime | None = None
    expected_arrival_at: dt.datetime | None = None
    arrived_at: dt.datetime | None = None


TABLES: tuple[type[SQLModel], ...] = (BookingRow,)
# The migration history of these tables (the runtime upgrades it at start: upgrades.py).
HISTORY = history_of("transport", Path(__file__).parent / "migrations", TABLES)
