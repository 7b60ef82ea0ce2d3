"""The adversarial suite runs against the gateway's wiring harness (tests/gateway)."""

from __future__ import annotations

from tests.gateway.conftest import harness, make_harness

__all__ = ["harness", "make_harness"]  # fixtures of tests/gateway, offered to this suite
