"""Processing's rules for the whole MPP caseload (about 25,000 families, 70,000 people):
documents prepared and come ready, the court nearest each destination, and a shelter near the
site for every family, day by day as beds are held and freed. Pure domain, no database or bus:
it measures the rules, not the storage. Prints wall time per phase and peak memory.

  uv run python -m tests.bench.processing

  PUENTE_BENCH_FAMILIES   how many families (default 25000)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from puente_processing.domain import cities, courts, documents, shelters
from puente_schemas.common import CaseCategory, Member
from puente_schemas.places import PORTS

FAMILIES = int(os.environ.get("PUENTE_BENCH_FAMILIES", "25000"))
START = dt.datetime(2021, 2, 19, 8, tzinfo=dt.UTC)
PER_DAY = 100  # families processed per day across the ports
SIZES = (1, 2, 3, 4, 5, 6)
SIZE_WEIGHTS = (18, 22, 25, 18, 11, 6)  # about 2.8 people per family
SPONSORED = 0.7  # share of families going to a sponsor rather than a shelter


@dataclasses.dataclass(frozen=True)
class Family:
    id: str
    members: list[Member]
    site: str
    day: int
    sponsor: str | None


def caseload(count: int, rng: random.Random) -> list[Family]:
    categories = list(CaseCategory)
    towns = [place.name for place in cities.US_CITIES.values()]
    families = []
    for index in range(count):
        size = rng.choices(SIZES, SIZE_WEIGHTS)[0]
        members = [
            Member(
                member_id=f"{index}-{n}",
                given_name="Ana",
                family_name="Bench",
                birth_date=dt.date(1985 + n * 7, 1, 1),
                in_mpp=n == 0 or rng.random() < 0.6,
                a_number=f"A{100_000_000 + index:09d}",
                case_category=rng.choice(categories),
                language=rng.choice(["spa", "por", "mam", "quc", "hat"]),
            )
            for n in range(size)
        ]
        sponsor = (
            f"{rng.randint(1, 9999)} Main St, {rng.choice(towns)}"
            if rng.random() < SPONSORED
            else None
        )
        site = rng.choice(sorted(PORTS))
        families.append(Family(str(index), members, site, index // PER_DAY, sponsor))
    return families


def prepare_documents(families: list[Family], _: dict[str, shelters.Shelter]) -> dict[str, Any]:
    prepared = ready = 0
    for family in families:
        since = START + dt.timedelta(days=family.day)
        docs = documents.prepare(family.members, since=since)
        states = documents.progress(docs, since + dt.timedelta(days=2))
        prepared += len(docs)
        ready += len(docs) - len(documents.pending(states[-1]))
    return {"documents": prepared, "ready after two days": ready}


def assign_courts(families: list[Family], placed: dict[str, shelters.Shelter]) -> dict[str, Any]:
    """Nearest the sponsor's city; else the shelter's; else (unknown city) the release site."""
    by_court: Counter[str] = Counter()
    for family in families:
        place = cities.find_city(family.sponsor) if family.sponsor else None
        if place is None and family.id in placed:
            place = placed[family.id].place
        by_court[courts.nearest_court(place or PORTS[family.site]).id] += 1
    return {"courts used": len(by_court), "busiest": by_court.most_common(3)}


def assign_shelters(families: list[Family], placed: dict[str, shelters.Shelter]) -> dict[str, Any]:
    """Each day: beds of stays that ended come free, then that day's families are placed."""
    state = {s.id: s for s in shelters.SHELTERS}
    leaving: dict[int, list[tuple[str, int]]] = defaultdict(list)
    stay_days = shelters.STAY.days
    waiting = 0
    for family in families:
        for shelter_id, people in leaving.pop(family.day, []):
            state[shelter_id] = dataclasses.replace(
                state[shelter_id], held=state[shelter_id].held - people
            )
        if family.sponsor:
            continue
        size = len(family.members)
        chosen = shelters.choose_shelter(state.values(), PORTS[family.site], size)
        if chosen is None:
            waiting += 1
            continue
        state[chosen.id] = dataclasses.replace(chosen, held=chosen.held + size)
        placed[family.id] = chosen
        leaving[family.day + stay_days].append((chosen.id, size))
    return {"placed": len(placed), "no bed that day": waiting}


def measure(name: str, work: Callable[[], dict[str, Any]]) -> None:
    began = time.perf_counter()
    result = work()
    print(f"{name:<20} {time.perf_counter() - began:7.2f} s   {result}", flush=True)


def main() -> None:
    rng = random.Random(2021)
    began = time.perf_counter()
    tracemalloc.start()
    families = caseload(FAMILIES, rng)
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    people = sum(len(f.members) for f in families)
    print(
        f"caseload: {len(families):,} families, {people:,} people, {held / 2**20:.0f} MiB "
        f"(made in {time.perf_counter() - began:.2f} s)"
    )
    phases = (
        ("documents", prepare_documents),
        ("shelters", assign_shelters),
        ("courts", assign_courts),
    )
    placed: dict[str, shelters.Shelter] = {}
    for name, phase in phases:  # timed without tracemalloc, which slows Python several times
        measure(name, lambda phase=phase: phase(families, placed))
    placed.clear()
    tracemalloc.start()
    for _, phase in phases:
        phase(families, placed)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak memory of the three phases above the caseload: {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
