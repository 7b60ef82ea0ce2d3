"""Upgrades on SQLite, and on the PostgreSQL server of tests/servers.py (`servers` tests)."""

from tests.servers import pg_url

__all__ = ["pg_url"]  # a fixture defined in tests/servers.py, offered to this tier
