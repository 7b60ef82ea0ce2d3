"""Processing's own tables (private to this service)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


class CaseFileRow(SQLModel, table=True):
    """What processing knows of a family: its members' cases and where it stands."""

    __tablename__ = "case_file"

    family_unit_id: str = Field(primary_key=True)
    members: str
    site: str | None = None
    step: str = "registered"
    checked_in_at: dt.datetime | None = None
    processed_at: dt.datetime | None = None
    released_at: dt.datetime | None = None


class DocumentRow(SQLModel, table=True):
    __tablename__ = "document"

    id: int | None = Field(default=None, primary_key=True)
    family_unit_id: str = Field(index=True)
    member_id: str
    kind: str
    status: str = "prepared"
