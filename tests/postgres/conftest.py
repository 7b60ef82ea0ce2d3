"""The PostgreSQL tier: several replicas of a service on one PostgreSQL database, as a
Deployment with `replicas: 2` runs them, without Kafka (messages are handed to each replica's
consumer directly). The server comes from tests/servers.py; without one these tests are
skipped, and where servers are required (CI, `make test`) they fail."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers import pg_url, throwaway_databases

__all__ = ["pg_url"]  # a fixture defined in tests/servers.py, offered to this tier

SERVICES = ("registration", "transport", "processing", "notifications")


@pytest.fixture
def databases(pg_url: str) -> Iterator[str]:
    """Fresh databases, one per service these tests run, dropped afterwards; the URL
    template with `{service}`, as in tests/kafka."""
    with throwaway_databases(pg_url, SERVICES) as template:
        yield template
