"""Database engines, the two tables every service has (the outbox and the inbox), and the
locks that keep replicas of a service from deciding the same thing at once."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from sqlalchemy import Engine, Table, event, inspect, text
from sqlmodel import Field, Session, SQLModel, create_engine

from puente_runtime.upgrades import RUNTIME, History, upgrade


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


def make_engine(
    url: str, tables: Sequence[type[SQLModel]], history: History | None = None
) -> Engine:
    """An engine on a database upgraded to this code: the runtime's tables and the service's
    (`history`, see upgrades.py). Without a history (tests' and benches' own tables), the
    tables are created as they are now, and an older table is refused."""
    if url.startswith("postgresql://"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url, pool_pre_ping=True)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    in_memory = engine.url.database in (None, "", ":memory:")
    upgrade(engine if in_memory else url, [RUNTIME] if history is None else [RUNTIME, history])
    if history is None:
        chosen = [m.__table__ for m in tables]  # type: ignore[attr-defined]
        SQLModel.metadata.create_all(engine, tables=chosen)
        _refuse_older_schema(engine, chosen)
    return engine


class OutdatedSchema(RuntimeError):
    """A table without a migration history was made by an older version of its model."""


def _refuse_older_schema(engine: Engine, tables: Sequence[Table]) -> None:
    """Fail at start, naming what is missing, rather than fail on every message later."""
    inspector = inspect(engine)
    for table in tables:
        present = {column["name"] for column in inspector.get_columns(table.name)}
        missing = sorted(set(table.columns.keys()) - present)
        if missing:
            raise OutdatedSchema(
                f"table {table.name} lacks columns {', '.join(missing)}: the database was "
                "made by an older version of a table without migrations; delete it and "
                "start again"
            )


def lock(session: Session, name: str) -> None:
    """Wait for the lock called `name` and hold it until the session's transaction ends, so
    replicas of a service that take it decide one after another, each reading what the one
    before committed. On PostgreSQL a transaction-level advisory lock; on SQLite nothing is
    needed: a service on SQLite is one process, whose handlers and timed runs take turns."""
    if _shared(session):
        session.connection().execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(name)}
        )


def try_lock(session: Session, name: str) -> bool:
    """Take the lock called `name` until the transaction ends if no other transaction holds
    it, and say whether it was taken (always on SQLite: one process)."""
    if not _shared(session):
        return True
    taken = session.connection().execute(
        text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _lock_key(name)}
    )
    return bool(taken.scalar_one())


def _shared(session: Session) -> bool:
    """The database may be shared by several replicas (PostgreSQL)."""
    return session.get_bind().dialect.name == "postgresql"


def _lock_key(name: str) -> int:
    """A stable signed 64-bit key for `name` (Python's hash() differs between processes)."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _sqlite_pragmas(connection: object, _record: object) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
