"""The PostgreSQL server the real tiers share (tests/kafka, tests/postgres): one already
running or (where a Docker engine answers) a testcontainer, and throwaway databases on it.
Without a server a test is skipped, except where servers are required (`CI` set or
`PUENTE_REQUIRE_SERVERS=1`): there it fails.

  PUENTE_TEST_POSTGRES  URL of a running server (default postgresql://postgres:puente@
                        127.0.0.1:5432/postgres); each test gets databases of its own
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql


def unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI") or os.environ.get("PUENTE_REQUIRE_SERVERS") == "1":
        pytest.fail(f"{reason} (required here: CI or PUENTE_REQUIRE_SERVERS=1)", pytrace=False)
    pytest.skip(reason)


def docker_available() -> bool:
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    if host.startswith("unix://") and not Path(host.removeprefix("unix://")).exists():
        return False
    try:
        import docker
        from docker.errors import DockerException
    except ImportError:
        return False
    try:
        with contextlib.closing(docker.from_env()) as client:
            return bool(client.ping())
    except (DockerException, OSError):
        return False


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    url = os.environ.get(
        "PUENTE_TEST_POSTGRES", "postgresql://postgres:puente@127.0.0.1:5432/postgres"
    )
    container = None
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        if not docker_available():
            unavailable(
                f"no PostgreSQL at {urlsplit(url).hostname}:{urlsplit(url).port} "
                f"({type(error).__name__}) and no Docker engine for testcontainers; "
                "start one with `deploy/postgres/pg.sh up`"
            )
        from testcontainers.community.postgres import PostgresContainer

        container = PostgresContainer(
            "postgres:16-alpine", username="postgres", password="puente", dbname="postgres"
        ).start()
        url = container.get_connection_url(driver=None)
    yield url
    if container is not None:
        container.stop()


@contextlib.contextmanager
def throwaway_databases(pg_url: str, services: Iterable[str]) -> Iterator[str]:
    """Fresh databases `puente_t<random>_<service>`, one per service, dropped afterwards;
    yields the URL template with `{service}` that `Settings.database_for` fills in."""
    prefix = f"puente_t{secrets.token_hex(4)}"
    names = [f"{prefix}_{service}" for service in services]
    with psycopg.connect(pg_url, autocommit=True) as connection:
        for name in names:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    parts = urlsplit(pg_url)
    try:
        yield urlunsplit(parts._replace(path=f"/{prefix}_{{service}}"))
    finally:
        with psycopg.connect(pg_url, autocommit=True) as connection:
            for name in names:
                connection.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
