"""The simulator's private tables: the commands people in the field will give later, and
what it remembers of each family."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from puente_runtime.upgrades import history_of
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class FieldAction(SQLModel, table=True):
    """A command someone in the field will give later."""

    __tablename__ = "simulator_field_action"

    id: int | None = Field(default=None, primary_key=True)
    due_at: dt.datetime = Field(index=True)
    command_type: str
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    correlation_id: str
    trace: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))
    done: bool = Field(default=False, index=True)


class FieldFamily(SQLModel, table=True):
    """What the simulator remembers of a family: its appointments (a late vehicle must be
    late for one) and whether it already played a mishap (each family plays at most one)."""

    __tablename__ = "simulator_field_family"

    family_unit_id: str = Field(primary_key=True)
    appointments: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))
    mishap: str | None = None


TABLES: tuple[type[SQLModel], ...] = (FieldAction, FieldFamily)
# The migration history of these tables (the runtime upgrades it at start: upgrades.py).
HISTORY = history_of("simulator", Path(__file__).parent / "migrations", TABLES)
