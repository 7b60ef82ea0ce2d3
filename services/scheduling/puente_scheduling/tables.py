"""Scheduling's own tables (private to this service).

Datetimes are aware and come back in UTC (sqlmodel's UTCDateTime). Tables added after the first
release carry a `scheduling_` prefix (from before migrations); `appointment` holds each
family's current appointment. They change only through migrations/ (puente_runtime.upgrades).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from puente_runtime.upgrades import history_of
from sqlmodel import Field, SQLModel


class SiteRow(SQLModel, table=True):
    __tablename__ = "scheduling_site"

    id: str = Field(primary_key=True)
    name: str
    kind: str
    latitude: float
    longitude: float
    capacity_per_day: int
    open_weekdays: str  # "0,1,2,3,4": Monday is 0
    open: bool
    opens_at_hour: int = 8
    cursor_day: dt.date | None = None  # the latest day the passes booked: nobody goes before it


class PolicyRow(SQLModel, table=True):
    """The one scheduling policy, and the version of the whole plan: every change writes a new
    one, so a process whose plan in memory is not that version loads it again."""

    __tablename__ = "scheduling_policy"

    id: int = Field(default=1, primary_key=True)
    eligible_categories: str  # comma-separated case categories
    min_notice_hours: float
    horizon_days: float
    version: str


class QueueRow(SQLModel, table=True):
    """A family's place in line and its state (held, waiting, scheduled, paused, away)."""

    __tablename__ = "scheduling_queue"

    family_unit_id: str = Field(primary_key=True)
    people: int
    city: str
    country: str
    categories: str  # comma-separated case categories of its members
    earliest_enrollment: dt.date | None = None
    registered_at: dt.datetime
    queued_at: dt.datetime
    expedite_granted_at: dt.datetime | None = None
    status: str
    site: str | None = None
    decided_at: dt.datetime | None = None  # when its current appointment was decided
    transport_failures: int = 0
    not_before: dt.datetime | None = None
    estimated_day: dt.date | None = None  # the estimate last announced while it waits


class AppointmentRow(SQLModel, table=True):
    """A family's current appointment (one row per family)."""

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


TABLES: tuple[type[SQLModel], ...] = (SiteRow, PolicyRow, QueueRow, AppointmentRow)
# The migration history of these tables (the runtime upgrades it at start: upgrades.py).
HISTORY = history_of("scheduling", Path(__file__).parent / "migrations", TABLES)
