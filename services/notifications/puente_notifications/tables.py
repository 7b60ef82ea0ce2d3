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
    """A notice in a recipient's inbox. An organisation's notice is acknowledged once; a
    policy notice (with `effective_at`) escalates until it is, unless a later notice about the
    same policy (an amendment, a cancellation) superseded it."""

    __tablename__ = "notice"

    id: str = Field(primary_key=True)
    family_unit_id: str | None = Field(default=None, index=True)
    policy_id: str | None = Field(default=None, index=True)
    recipient: str = Field(index=True)
    organisation_id: str | None = Field(default=None, index=True)
    kind: str
    title: str = ""
    text: str
    language: str = "eng"
    created_at: dt.datetime
    effective_at: dt.datetime | None = Field(default=None, index=True)
    acknowledged_at: dt.datetime | None = None
    escalated_at: dt.datetime | None = None
    superseded: bool = False


class OrganisationRow(SQLModel, table=True):
    """A partner organisation, known from the gateway's organisation events."""

    __tablename__ = "notified_organisation"

    id: str = Field(primary_key=True)
    name: str
    kind: str
    languages: str  # ISO 639-3, preferred first, comma-separated
    contacts: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    shelter_id: str | None = Field(default=None, index=True)


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
    cancelled: bool = False
    at_risk_at: dt.datetime | None = None  # when policy-at-risk was raised, once


class MailRow(SQLModel, table=True):
    """One e-mail of a notice to one contact, written in the contact's language, until it is
    sent or given up (`attempts` so far; the next on the platform clock)."""

    __tablename__ = "notice_mail"

    id: str = Field(primary_key=True)
    notice_id: str = Field(index=True)
    organisation_id: str
    family_unit_id: str | None = None
    policy_id: str | None = None
    kind: str
    address: str
    language: str
    title: str
    text: str
    reminder: bool = False
    created_at: dt.datetime
    attempts: int = 0
    next_attempt_at: dt.datetime = Field(index=True)
    sent_at: dt.datetime | None = Field(default=None, index=True)
    failed_at: dt.datetime | None = None


TABLES: tuple[type[SQLModel], ...] = (
    FamilyNeedsRow,
    NoticeRow,
    OrganisationRow,
    ShelterRow,
    PolicyRow,
    MailRow,
    *WEBHOOK_TABLES,
)
# The migration history of these tables (the runtime upgrades it at start: upgrades.py).
HISTORY = history_of("notifications", Path(__file__).parent / "migrations", TABLES)
