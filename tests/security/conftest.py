"""The adversarial suite runs on the gateway's wiring harness (embedded bus, real SQLite)."""

from tests.gateway.conftest import harness, make_harness

__all__ = ["harness", "make_harness"]
