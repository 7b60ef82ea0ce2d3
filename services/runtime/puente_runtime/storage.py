"""Database engines and the two tables every service has: the outbox and the inbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Engine, Table, event, inspect
from sqlmodel import Field, SQLModel, create_engine

from puente_runtime.parking import ParkedRow


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(unique=True)
    type: str
    topic: str
    key: str = Field(index=True)
    headers: str
    body: bytes
    created_at: dt.datetime
    published_at: dt.datetime | None = Field(default=None, index=True)


class InboxRow(SQLModel, table=True):
    __tablename__ = "inbox"

    consumer: str = Field(primary_key=True)
    event_id: str = Field(primary_key=True)
    applied_at: dt.datetime


def make_engine(url: str, tables: Sequence[type[SQLModel]]) -> Engine:
    """An engine with this service's tables created (and no other service's)."""
    if url.startswith("postgresql://"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url, pool_pre_ping=True)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    chosen = [m.__table__ for m in (OutboxRow, InboxRow, ParkedRow, *tables)]  # type: ignore[attr-defined]
    SQLModel.metadata.create_all(engine, tables=chosen)
    _refuse_older_schema(engine, chosen)
    return engine


class OutdatedSchema(RuntimeError):
    """The database was made by an older version: there are no migrations yet."""


def _refuse_older_schema(engine: Engine, tables: Sequence[Table]) -> None:
    """Fail at start, naming what is missing, rather than fail on every message later."""
    inspector = inspect(engine)
    for table in tables:
        present = {column["name"] for column in inspector.get_columns(table.name)}
        missing = sorted(set(table.columns.keys()) - present)
        if missing:
            raise OutdatedSchema(
                f"table {table.name} lacks columns {', '.join(missing)}: the database was "
                "made by an older Puente; delete it (SQLite under var/, or the PostgreSQL "
                "database) and start again"
            )


def _sqlite_pragmas(connection: object, _record: object) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
