"""The demo's population (`make run` with the simulator): realistic, repeatable, and sent
once however often the platform restarts."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from puente_platform import demo
from puente_registration.domain import validate
from puente_registration.handlers import COUNTRIES
from puente_runtime import FakeClock
from puente_schemas.commands import AnnouncePolicy, RegisterFamily
from puente_schemas.places import CITIES

from tests.conftest import START


def test_the_population_spreads_over_cities_categories_and_languages_with_unique_a_numbers() -> (
    None
):
    families = demo.population(300)
    adults = [m for f in families for m in f.members if m.in_mpp]

    assert len(families) == 300
    assert all(any(m.in_mpp for m in f.members) for f in families)
    assert len({m.a_number for m in adults}) == len(adults)
    assert {f.current_location.city.casefold() for f in families} <= set(CITIES)
    assert len({f.current_location.city for f in families}) >= 10
    assert {m.case_category for m in adults} == set(demo.CATEGORIES)
    assert len({m.language for m in adults}) >= 6
    assert demo.population(300) == families  # the same demo every time


class _Gateway:
    def __init__(self) -> None:
        self.sent: list[Any] = []

    def submit(self, contracts: list[Any]) -> None:
        self.sent.extend(contracts)


def test_the_seeder_sends_each_family_once_and_one_policy_across_a_restart(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr(demo, "PER_SECOND", 4)
    monkeypatch.setattr(asyncio, "sleep", _no_wait)
    first, second = _Gateway(), _Gateway()
    clock = FakeClock(START)

    asyncio.run(demo.Seeder(first, count=10, var_dir=tmp_path, clock=clock).run())  # type: ignore[arg-type]
    asyncio.run(demo.Seeder(second, count=10, var_dir=tmp_path, clock=clock).run())  # type: ignore[arg-type]

    families = [c for c in first.sent if isinstance(c, RegisterFamily)]
    assert len(families) == 10
    assert [type(c) for c in first.sent].count(AnnouncePolicy) == 1
    assert second.sent == []


async def _no_wait(seconds: float) -> None:
    return None


def test_every_demo_family_passes_registrations_rules() -> None:
    """Registration accepts every one (a rejected demo family would never move)."""
    for command in demo.population(300):
        assert validate(command, today=START.date(), countries=COUNTRIES) == [], command
