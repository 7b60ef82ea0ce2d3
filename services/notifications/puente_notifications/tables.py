"""Notifications' own tables (private to this service)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from puente_runtime.upgrades import history_of
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from puente_notifications.webhook_tables import WEBHOOK_TABLES


class FamilyNeedsRow(SQLModel, table=True):
    __tablename__ = "family_needs"

    family_unit_id: str = Field(primary_key=True)
    people: int
    languages: str
    needs_interpreter: bool


class NoticeRow(SQLModel, table=True):
    __tablename__ = "notice"

    id: str = Field(primary_key=True)
    family_unit_id: str | None = Field(default=None, index=True)
    policy_id: str | None = Field(default=None, index=True)
    recipient: str = Field(index=True)
    kind: str
    text: str
    created_at: dt.datetime


class ShelterRow(SQLModel, table=True):
    """A shelter that receives notices; known from processing's shelter-updated events."""

    __tablename__ = "notified_shelter"

    id: str = Field(primary_key=True)
    name: str


class PolicyRow(SQLModel, table=True):
    __tablename__ = "policy"

    id: str = Field(primary_key=True)
    title: str
    effective_at: dt.datetime = Field(index=True)
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    announced_at: dt.datetime
    effective: bool = Field(default=False, index=True)


TABLES: tuple[type[SQLModel], ...] = (
    FamilyNeedsRow,
    NoticeRow,
    ShelterRow,
    PolicyRow,
    *WEBHOOK_TABLES,
)
# The migration history of these tables (the runtime upgrades it at start: upgrades.py).
HISTORY = history_of("notifications", Path(__file__).parent / "migrations", TABLES)
