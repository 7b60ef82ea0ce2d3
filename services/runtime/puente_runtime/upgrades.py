"""Schema upgrades: every database holds the runtime's tables (outbox, inbox, parked) and its
service's own, each set with its own Alembic history and version table
(`alembic_version_runtime`, `alembic_version_<service>`), so the runtime's tables change once
for every service and a service's tables change with the service.

`upgrade` runs at start (and by `make migrate`): a database without a version table is new
(the history's first revision creates its tables) or was made by the release before
migrations, whose tables the first revision reproduces exactly: it is stamped at that
revision when its tables match, and refused, naming what differs, when they do not. A
revision the code does not know (a newer Puente, or not Puente's database) is refused, naming
it. Every history of a database is upgraded in one transaction: on PostgreSQL (transactional
DDL) and on SQLite (whose DDL is transactional too once the driver stops managing
transactions: see `_migration_engine`) a failed upgrade leaves the database as it was.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.pool import NullPool
from sqlmodel import SQLModel

__all__ = [
    "RUNTIME",
    "History",
    "UnadoptableSchema",
    "UnknownRevision",
    "config_for",
    "differences",
    "run_env",
    "upgrade",
]


@dataclass(frozen=True)
class History:
    """One migration history: its name, its folder (env.py, script.py.mako, versions/) and
    the tables its models define now."""

    name: str
    location: Path
    tables: Collection[str] = field(default_factory=frozenset)

    @property
    def version_table(self) -> str:
        return f"alembic_version_{self.name}"

    def owns(self, table: str) -> bool:
        return table in self.tables


UPGRADE_LOCK = 0x7075656E7465  # "puente": the advisory lock replicas take to upgrade in turn
RUNTIME = History(
    "runtime", Path(__file__).parent / "migrations", frozenset({"outbox", "inbox", "parked"})
)


class UnknownRevision(RuntimeError):
    """The database's history is at a revision this code does not know."""


class UnadoptableSchema(RuntimeError):
    """A database made before migrations whose tables are not the first revision's."""


def history_of(name: str, location: Path, tables: Sequence[type[SQLModel]]) -> History:
    return History(name, location, frozenset(str(t.__tablename__) for t in tables))


def config_for(history: History, connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(history.location))
    config.attributes["connection"] = connection
    config.attributes["history"] = history
    return config


def upgrade(target: str | Engine, histories: Sequence[History]) -> None:
    """Bring every history of the database at `target` (a URL, or the engine of an in-memory
    database) to its head, all in one transaction."""
    engine = _migration_engine(target) if isinstance(target, str) else target
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":  # replicas starting together: one at a time
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK}
                )
            for history in histories:
                _upgrade(connection, history)
    finally:
        if isinstance(target, str):
            engine.dispose()


def _upgrade(connection: Connection, history: History) -> None:
    config = config_for(history, connection)
    script = ScriptDirectory.from_config(config)
    context = MigrationContext.configure(connection, opts={"version_table": history.version_table})
    current = context.get_current_revision()
    known = {revision.revision for revision in script.walk_revisions()}
    if current is not None and current not in known:
        raise UnknownRevision(
            f"{_where(connection)}: the {history.name} schema is at revision {current!r}, which "
            f"this Puente does not know (its newest is {script.get_current_head()!r}): the "
            "database was made by a newer Puente, or is not Puente's"
        )
    if current is None:
        base = _first(script)
        expected = _schema_after(history.location, base)
        present = set(inspect(connection).get_table_names()) & set(expected)
        if present:  # made by the release before migrations: adopt it if it matches
            _refuse_unless_matching(connection, history, expected)
            command.stamp(config, base)
    command.upgrade(config, "head")


def _first(script: ScriptDirectory) -> str:
    (base,) = script.get_bases()
    return base


def _refuse_unless_matching(
    connection: Connection, history: History, expected: dict[str, set[str]]
) -> None:
    inspector = inspect(connection)
    tables = set(inspector.get_table_names())
    problems = [f"table {name} is missing" for name in sorted(set(expected) - tables)]
    for name in sorted(set(expected) & tables):
        columns = {column["name"] for column in inspector.get_columns(name)}
        if missing := sorted(expected[name] - columns):
            problems.append(f"table {name} lacks columns {', '.join(missing)}")
        if extra := sorted(columns - expected[name]):
            problems.append(f"table {name} has columns it should not: {', '.join(extra)}")
    if problems:
        raise UnadoptableSchema(
            f"{_where(connection)}: no {history.version_table} table, and the {history.name} "
            f"tables are not those of the release before migrations ({'; '.join(problems)}): "
            "not a database this Puente can adopt"
        )


@functools.cache
def _schema_after(location: Path, revision: str) -> dict[str, set[str]]:
    """The tables and columns `revision` leaves, from running the history to it on an empty
    in-memory database."""
    history = History("scratch", location)
    engine = create_engine("sqlite://")
    try:
        with engine.begin() as connection:
            command.upgrade(config_for(history, connection), revision)
            inspector = inspect(connection)
            return {
                name: {column["name"] for column in inspector.get_columns(name)}
                for name in inspector.get_table_names()
                if name != history.version_table
            }
    finally:
        engine.dispose()


def _where(connection: Connection) -> str:
    url = connection.engine.url
    return f"database {url.database or 'in memory'}"


def _migration_engine(url: str) -> Engine:
    """An engine for upgrades only. On SQLite, pysqlite would commit DDL as it goes; with its
    own transaction handling off and an explicit BEGIN (SQLAlchemy's documented recipe),
    SQLite runs an upgrade as one transaction, rolled back whole if any step fails."""
    if url.startswith("postgresql://"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url, poolclass=NullPool)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _driver_leaves_transactions_to_us)
        event.listen(engine, "begin", _begin)
    return engine


def _driver_leaves_transactions_to_us(connection: Any, _record: object) -> None:
    connection.isolation_level = None


def _begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def run_env() -> None:
    """What every history's env.py runs: migrate on the connection `upgrade` (or `make
    migration`) gives, with the history's own version table, comparing only its tables."""
    from alembic import context

    history: History = context.config.attributes["history"]

    context.configure(
        connection=context.config.attributes["connection"],
        target_metadata=SQLModel.metadata,
        **comparing(history),
    )
    with context.begin_transaction():
        context.run_migrations()


def comparing(history: History) -> dict[str, Any]:
    """How a history's models are compared with its database: its own tables only."""

    def include_object(_object: object, name: str | None, type_: str, *_rest: object) -> bool:
        return type_ != "table" or (name is not None and history.owns(name))

    return {
        "version_table": history.version_table,
        "include_object": include_object,
        "render_as_batch": True,  # SQLite alters tables by copying them
        "compare_type": True,
    }


def differences(connection: Connection, history: History) -> list[Any]:
    """What autogenerate finds between the history's models and the database: nothing, when
    the migrations make what the models say."""
    context = MigrationContext.configure(connection, opts=comparing(history))
    return list(compare_metadata(context, SQLModel.metadata))
