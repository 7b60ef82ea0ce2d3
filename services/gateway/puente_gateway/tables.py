"""The gateway's own tables: the read model, credentials and the simulator's planned actions.

Table names carry a `gateway_` prefix: every service's tables share one SQLModel metadata when
the platform runs in one process.
Datetimes are aware and come back in UTC (sqlmodel's UTCDateTime).
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


class TimelineEntry(SQLModel, table=True):
    __tablename__ = "gateway_timeline"
    __table_args__ = {"sqlite_autoincrement": True}  # a cursor is never reused

    cursor: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(unique=True)
    family_unit_id: str | None = Field(default=None, index=True)
    type: str
    occurred_at: dt.datetime
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


class ApiToken(SQLModel, table=True):
    __tablename__ = "gateway_api_token"

    token_hash: str = Field(primary_key=True)
    name: str
    role: str = Field(index=True)
    created_at: dt.datetime


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


TABLES: tuple[type[SQLModel], ...] = (FamilyView, TimelineEntry, ApiToken, FieldAction)
