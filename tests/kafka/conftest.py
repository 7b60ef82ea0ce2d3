"""Servers for the real tier: a Kafka broker and PostgreSQL, already running or (where a
Docker engine answers) in testcontainers. Without them the tier is skipped, except where
servers are required (`CI` set or `PUENTE_REQUIRE_SERVERS=1`): there it fails.

  PUENTE_TEST_KAFKA     bootstrap of a running broker (default 127.0.0.1:9092)
  PUENTE_TEST_POSTGRES  URL of a running server (tests/servers.py, shared with tests/postgres)
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import secrets
import socket
from collections.abc import AsyncIterator, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.kafka import broker
from tests.kafka.broker import Offsets, Tap
from tests.kafka.processes import SERVICES, Platform, Subscriptions, subscriptions
from tests.servers import docker_available as _docker_available
from tests.servers import pg_url, throwaway_databases
from tests.servers import unavailable as _unavailable

__all__ = ["pg_url"]  # a fixture defined in tests/servers.py, offered to this tier

T = TypeVar("T")


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from a synchronous (session) fixture, outside pytest's event loops."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    bootstrap = os.environ.get("PUENTE_TEST_KAFKA", "127.0.0.1:9092")
    host, _, port = bootstrap.rpartition(":")
    container = None
    if not _reachable(host, int(port)):
        if not _docker_available():
            _unavailable(
                f"no Kafka broker at {bootstrap} and no Docker engine for "
                "testcontainers; start one with `deploy/kafka/kafka.sh up`"
            )
        from testcontainers.community.kafka import KafkaContainer

        container = KafkaContainer().with_kraft().start()
        bootstrap = container.get_bootstrap_server()
    _run(broker.ensure_topics(bootstrap))
    yield bootstrap
    if container is not None:
        container.stop()


@pytest.fixture(scope="session")
def service_subscriptions(tmp_path_factory: pytest.TempPathFactory) -> Subscriptions:
    return subscriptions(tmp_path_factory.mktemp("subscriptions"))


@pytest.fixture
def databases(pg_url: str) -> Iterator[str]:
    """Fresh databases `puente_t<random>_<service>`, one per service, dropped afterwards;
    yields the URL template with `{service}` that `Settings.database_for` fills in."""
    with throwaway_databases(pg_url, SERVICES) as template:
        yield template


@pytest.fixture
async def start_offsets(kafka_bootstrap: str) -> Offsets:
    """Where every Puente topic ended when the test began: the test looks only after them."""
    partitions = await broker.partitions_of(kafka_bootstrap, broker.TOPICS)
    return await broker.end_offsets(kafka_bootstrap, partitions)


@pytest.fixture
async def tap(kafka_bootstrap: str, start_offsets: Offsets) -> AsyncIterator[Tap]:
    reader = Tap(kafka_bootstrap, start_offsets)
    await reader.start()
    yield reader
    await reader.stop()


@pytest.fixture
async def platform(
    tmp_path: Path,
    kafka_bootstrap: str,
    databases: str,
    start_offsets: Offsets,
    service_subscriptions: Subscriptions,
) -> AsyncIterator[Platform]:
    """No process runs yet: each test starts the services it needs."""
    made = Platform(
        var_dir=tmp_path / "var",
        bootstrap=kafka_bootstrap,
        database_url=databases,
        group_prefix=f"puente-t{secrets.token_hex(4)}",
        subscriptions=service_subscriptions,
        start_offsets=start_offsets,
    )
    await made.commit_start_offsets()
    try:
        yield made
    finally:
        made.stop_all()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A failed test shows what its processes wrote."""
    report = yield
    made = getattr(item, "funcargs", {}).get("platform")
    if report.failed and isinstance(made, Platform):
        report.sections.append(("service processes (tail of each log)", made.logs()))
    return report
