"""Notifications' own tables (private to this service)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


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
    recipient: str = Field(index=True)
    kind: str
    text: str
    created_at: dt.datetime
