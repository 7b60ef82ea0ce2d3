"""Upgrades keep the data: databases the release before migrations made (tests/migrations/
fixtures, from make_fixtures.py) are adopted and upgraded in place, on SQLite and PostgreSQL;
the platform works on them; the models and the migrations agree; a history the code does not
know is refused, naming its revision; a migration that fails leaves the database as it was."""

from __future__ import annotations

import concurrent.futures
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import puente_notifications
import pytest
from puente_gateway.auth import issue_token
from puente_gateway.roles import Role
from puente_platform import create_platform
from puente_platform.migrate import HISTORIES
from puente_platform.settings import PlatformSettings
from puente_runtime import AcceleratedClock, EmbeddedBus, SystemClock
from puente_runtime.upgrades import (
    RUNTIME,
    History,
    UnadoptableSchema,
    UnknownRevision,
    differences,
    upgrade,
)
from sqlalchemy import create_engine, inspect, text

from tests.polling import eventually
from tests.servers import throwaway_databases
from tests.wiring.support import CHILD, FAMILY, REGISTER, member

FIXTURES = Path(__file__).parent / "fixtures"
RELEASED = ("registration", "scheduling", "transport", "processing", "notifications", "gateway")
DROPPED = {"gateway": {"gateway_field_action", "gateway_field_family"}}  # gateway 0002


def every_history() -> list[History]:
    return [RUNTIME, *HISTORIES.values()]


# -- loading a release's databases -------------------------------------------------------


def load_sqlite(directory: Path) -> str:
    """The release's SQLite files in `directory`; the URL template."""
    for name in RELEASED:
        with sqlite3.connect(directory / f"{name}.db") as db:
            db.executescript((FIXTURES / "sqlite" / f"{name}.sql").read_text())
    return f"sqlite:///{directory}/{{service}}.db"


def load_postgresql(template: str) -> None:
    for name in RELEASED:
        with psycopg.connect(template.replace("{service}", name), autocommit=True) as db:
            db.execute((FIXTURES / "postgresql" / f"{name}.sql").read_text().encode())


def _engine(url: str):  # type: ignore[no-untyped-def]
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


def counts(url: str) -> dict[str, int]:
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            names = inspect(connection).get_table_names()
            return {
                name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                for name in names
                if not name.startswith("alembic_version")
            }
    finally:
        engine.dispose()


def versions(url: str) -> dict[str, str]:
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            tables = [t for t in inspect(connection).get_table_names() if t.startswith("alembic")]
            return {
                table.removeprefix("alembic_version_"): connection.execute(
                    text(f"SELECT version_num FROM {table}")
                ).scalar_one()
                for table in tables
            }
    finally:
        engine.dispose()


def head(history: History) -> str:
    return max(path.name[:4] for path in (history.location / "versions").glob("0*.py"))


def adopt_and_check(template: str) -> None:
    """Upgrade each release database; every row is still there, each history at its head."""
    for name in RELEASED:
        url = template.replace("{service}", name)
        before = counts(url)
        assert before["outbox"] > 0, f"the {name} fixture holds no data"
        upgrade(url, [RUNTIME, HISTORIES[name]])
        kept = {t: n for t, n in before.items() if t not in DROPPED.get(name, set())}
        assert kept_and_new_empty(url, kept), name
        assert versions(url) == {"runtime": head(RUNTIME), name: head(HISTORIES[name])}
        upgrade(url, [RUNTIME, HISTORIES[name]])  # again: nothing to do, nothing changes
        assert kept_and_new_empty(url, kept), name


def kept_and_new_empty(url: str, kept: dict[str, int]) -> bool:
    """Every table of the release keeps its rows; a table a later revision adds is empty."""
    after = counts(url)
    return {t: after.get(t) for t in kept} == kept and not any(
        n for t, n in after.items() if t not in kept
    )


def demo(var_dir: Path, database_url: str | None = None) -> PlatformSettings:
    """The platform as the demo runs it, without mishaps (the new family goes straight)."""
    return PlatformSettings(
        var_dir=var_dir,
        database_url=database_url,
        simulator=True,
        simulator_late_every=0,
        simulator_missed_every=0,
        relay_poll_seconds=0.05,
    )


async def the_released_family_is_there_and_a_new_one_registers(settings: PlatformSettings):
    """The platform on the upgraded databases: the family the release carried to RELEASED
    reads as released, and a new family registers and is released too."""
    bus = EmbeddedBus(settings.var_dir / "bus.db", poll_seconds=0.02)
    clock = AcceleratedClock(speed=100_000, epoch=time.time())
    built = create_platform(settings=settings, bus=bus, clock=clock)
    engine = built.gateway.service.engine
    with engine.connect() as connection:
        (released,) = connection.execute(text("SELECT id FROM gateway_family_view")).one()
        (organisation,) = connection.execute(
            text("SELECT id FROM gateway_organisation WHERE name = 'Puente operations'")
        ).one()
    token, _ = issue_token(
        engine,
        organisation_id=organisation,
        roles=[Role.ADMIN, Role.REGISTRAR],
        name="test",
        now=clock.now(),
    )
    await bus.start()
    for service in built.all_services:
        await service.start()
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=built.gateway.asgi),
            base_url="http://puente",
            headers={"authorization": f"Bearer {token}"},
        ) as client:

            async def graphql(query: str, **variables: object) -> dict:
                answer = await client.post(
                    "/graphql", json={"query": query, "variables": variables}
                )
                assert "errors" not in answer.json(), answer.json()
                return answer.json()["data"]

            async def stage(family: str) -> str:
                return (await graphql(FAMILY, id=family))["familyUnit"]["stage"]

            assert await stage(released) == "RELEASED"
            family = {"channel": "ONLINE", "consent": ["SHELTER"]}
            members = [member("A987654321", givenName="Eva"), CHILD]
            answer = await graphql(
                REGISTER,
                input=family
                | {"currentLocation": {"city": "Tijuana", "country": "MX"}, "members": members},
            )
            assert answer["registerFamily"]["status"] == "ACCEPTED", answer
            new = answer["registerFamily"]["familyUnitId"]
            await eventually(lambda: stage(new), timeout=30, what="the new family to be projected")
            await eventually(lambda: _is(stage(new), "RELEASED"), timeout=60, what="its release")
    finally:
        for service in built.all_services:
            await service.stop()
        await bus.stop()


async def _is(value, expected: str) -> bool:  # type: ignore[no-untyped-def]
    return await value == expected


# -- SQLite ------------------------------------------------------------------------------


async def test_sqlite_databases_of_the_release_are_adopted_and_keep_their_data(
    tmp_path: Path,
) -> None:
    template = load_sqlite(tmp_path)
    adopt_and_check(template)
    await the_released_family_is_there_and_a_new_one_registers(demo(tmp_path))


@pytest.mark.parametrize("history", every_history(), ids=lambda h: h.name)
def test_the_models_and_the_migrations_agree(history: History, tmp_path: Path) -> None:
    """What autogenerate would write after the history's last migration: nothing."""
    engine = create_engine(f"sqlite:///{tmp_path}/scratch.db")
    upgrade(str(engine.url), [history])
    with engine.connect() as connection:
        assert differences(connection, history) == []
    engine.dispose()


def test_a_database_of_a_newer_puente_is_refused_naming_its_revision(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/registration.db"
    upgrade(url, [RUNTIME, HISTORIES["registration"]])
    with sqlite3.connect(tmp_path / "registration.db") as db:
        db.execute("UPDATE alembic_version_registration SET version_num = '0099'")
    with pytest.raises(UnknownRevision, match=r"registration schema is at revision '0099'"):
        upgrade(url, [RUNTIME, HISTORIES["registration"]])


def test_a_database_that_is_not_puentes_is_refused_naming_what_differs(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "transport.db") as db:
        db.execute("CREATE TABLE booking (id TEXT PRIMARY KEY, owner TEXT)")
    with pytest.raises(UnadoptableSchema, match=r"table booking lacks columns .*appointment_id"):
        upgrade(f"sqlite:///{tmp_path}/transport.db", [RUNTIME, HISTORIES["transport"]])
    with sqlite3.connect(tmp_path / "transport.db") as db:  # and it is left alone
        assert [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")] == [
            "booking"
        ]


def test_a_service_refuses_to_start_on_an_unknown_revision(tmp_path: Path) -> None:
    settings = PlatformSettings(var_dir=tmp_path)
    upgrade(settings.database_for("notifications"), [RUNTIME, HISTORIES["notifications"]])
    with sqlite3.connect(tmp_path / "notifications.db") as db:
        db.execute("UPDATE alembic_version_runtime SET version_num = 'feedface'")
    with pytest.raises(UnknownRevision, match="'feedface'"):
        puente_notifications.create_app(
            settings=settings, bus=EmbeddedBus(tmp_path / "bus.db"), clock=SystemClock()
        )


# -- a migration that fails --------------------------------------------------------------


BROKEN = '''"""A migration that fails half-way: a table and a column, then a mistake."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table("half_way", sa.Column("id", sa.Integer(), primary_key=True))
    with op.batch_alter_table("person") as batch_op:
        batch_op.add_column(sa.Column("nickname", sa.String(), nullable=True))
    op.execute("UPDATE person SET nickname = given_name")
    op.execute("SELECT no_such_function()")
'''


@pytest.fixture
def broken_history(tmp_path: Path) -> History:
    """Registration's history with a second migration that fails after changing things."""
    location = tmp_path / "history"
    shutil.copytree(HISTORIES["registration"].location, location)
    (location / "versions" / "0002_broken.py").write_text(BROKEN)
    return History("registration", location, HISTORIES["registration"].tables)


def schema_and_data(url: str) -> tuple[dict[str, list[str]], dict[str, int], dict[str, str]]:
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            inspector = inspect(connection)
            columns = {
                t: sorted(c["name"] for c in inspector.get_columns(t))
                for t in inspector.get_table_names()
            }
    finally:
        engine.dispose()
    return columns, counts(url), versions(url)


def fails_and_leaves_it_as_it_was(url: str, broken: History) -> None:
    upgrade(url, [RUNTIME, HISTORIES["registration"]])  # the release's, adopted
    before = schema_and_data(url)
    assert before[1]["person"] > 0
    with pytest.raises(Exception, match="no_such_function"):
        upgrade(url, [RUNTIME, broken])
    assert schema_and_data(url) == before


def test_a_failed_migration_leaves_a_sqlite_database_as_it_was(
    tmp_path: Path, broken_history: History
) -> None:
    template = load_sqlite(tmp_path)
    fails_and_leaves_it_as_it_was(template.replace("{service}", "registration"), broken_history)


# -- PostgreSQL --------------------------------------------------------------------------


@pytest.fixture
def release_on_postgresql(pg_url: str) -> Iterator[str]:
    with throwaway_databases(pg_url, [*RELEASED, "simulator"]) as template:
        load_postgresql(template)
        yield template


@pytest.mark.servers
async def test_postgresql_databases_of_the_release_are_adopted_and_keep_their_data(
    release_on_postgresql: str, tmp_path: Path
) -> None:
    adopt_and_check(release_on_postgresql)
    settings = demo(tmp_path, database_url=release_on_postgresql)
    await the_released_family_is_there_and_a_new_one_registers(settings)


@pytest.mark.servers
def test_a_failed_migration_leaves_a_postgresql_database_as_it_was(
    release_on_postgresql: str, broken_history: History
) -> None:
    fails_and_leaves_it_as_it_was(
        release_on_postgresql.replace("{service}", "registration"), broken_history
    )


@pytest.mark.servers
@pytest.mark.parametrize("history", every_history(), ids=lambda h: h.name)
def test_the_models_and_the_migrations_agree_on_postgresql(history: History, pg_url: str) -> None:
    with throwaway_databases(pg_url, ["scratch"]) as template:
        url = template.replace("{service}", "scratch")
        upgrade(url, [history])
        engine = _engine(url)
        with engine.connect() as connection:
            assert differences(connection, history) == []
        engine.dispose()


@pytest.mark.servers
def test_replicas_starting_together_upgrade_one_after_the_other(pg_url: str) -> None:
    """Two replicas of a service start at once on a new database: both start, one upgrade."""
    with throwaway_databases(pg_url, ["transport"]) as template:
        url = template.replace("{service}", "transport")
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            starts = [pool.submit(upgrade, url, [RUNTIME, HISTORIES["transport"]]) for _ in "ab"]
            for start in starts:
                start.result()
        assert versions(url) == {
            "runtime": head(RUNTIME),
            "transport": head(HISTORIES["transport"]),
        }
