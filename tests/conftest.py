"""Fixtures shared by the unit and wiring tiers."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from puente_runtime import FakeClock
from puente_schemas.commands import LocationInput, MemberInput, RegisterFamily

START = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


def adult(a_number: str, **changes: object) -> MemberInput:
    values: dict[str, object] = {
        "given_name": "Ana",
        "family_name": "Lopez",
        "birth_date": dt.date(1990, 3, 1),
        "in_mpp": True,
        "a_number": a_number,
        "mpp_enrollment_date": dt.date(2019, 6, 3),
        "case_category": "active",
        "language": "spa",
    }
    return MemberInput(**(values | changes))


def child(**changes: object) -> MemberInput:
    values: dict[str, object] = {
        "given_name": "Luis",
        "family_name": "Lopez",
        "birth_date": dt.date(2018, 9, 9),
        "in_mpp": False,
        "language": "spa",
    }
    return MemberInput(**(values | changes))


def family(
    family_unit_id: str, *members: MemberInput, city: str = "Tijuana", country: str = "MX"
) -> RegisterFamily:
    return RegisterFamily(
        family_unit_id=family_unit_id,
        channel="online",
        current_location=LocationInput(city=city, country=country),
        members=list(members),
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Where servers are required (CI, `make test`), a skipped test is a failed run."""
    if os.environ.get("PUENTE_REQUIRE_SERVERS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"FAILED: {len(skipped)} test(s) skipped where servers are required")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
