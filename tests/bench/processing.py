"""Processing's rules for the whole MPP caseload (about 25,000 families, 70,000 people):
documents prepared and come ready, the court nearest each destination, and a shelter near the
site for every family, day by day as beds are held and freed. Pure domain, no database or bus:
it measures the rules, not the storage. Prints wall time per phase and peak memory.

  uv run python -m tests.bench.processing

  PUENTE_BENCH_FAMILIES           how many families (default 25000)
  PUENTE_BENCH_HANDLER_FAMILIES   how many of them also go through the service's handlers on
                                  SQLite, one transaction per message (default 1000)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from puente_processing.clockwork import seed_shelters, tick
from puente_processing.domain import cities, courts, documents, shelters
from puente_processing.handlers import HANDLERS
from puente_processing.tables import TABLES
from puente_runtime import Context, FakeClock
from puente_runtime.outbox import envelope_for
from puente_runtime.storage import make_engine
from puente_schemas.common import CaseCategory, Channel, Location, Member
from puente_schemas.events import Registered, Scheduled
from puente_schemas.places import PORTS
from sqlalchemy import Engine
from sqlmodel import Session

FAMILIES = int(os.environ.get("PUENTE_BENCH_FAMILIES", "25000"))
HANDLER_FAMILIES = int(os.environ.get("PUENTE_BENCH_HANDLER_FAMILIES", "1000"))
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


def members(index: int, size: int, rng: random.Random) -> list[Member]:
    """The members of family `index`: the first in MPP, the others in MPP six times in ten;
    every one with a case category (the rules ignore it for those never in MPP)."""
    categories = list(CaseCategory)
    return [
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


def caseload(count: int, rng: random.Random) -> list[Family]:
    towns = [place.name for place in cities.US_CITIES.values()]
    families = []
    for index in range(count):
        size = rng.choices(SIZES, SIZE_WEIGHTS)[0]
        people = members(index, size, rng)
        sponsor = (
            f"{rng.randint(1, 9999)} Main St, {rng.choice(towns)}"
            if rng.random() < SPONSORED
            else None
        )
        site = rng.choice(sorted(PORTS))
        families.append(Family(str(index), people, site, index // PER_DAY, sponsor))
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


def through_handlers(families: list[Family], _: dict[str, shelters.Shelter]) -> dict[str, Any]:
    """The first HANDLER_FAMILIES through processing's own handlers on SQLite, one transaction
    per message as the consumer runs them (without the bus and inbox): `registered`, then
    `scheduled` (documents started, a shelter held), then the clock's tick two days later."""
    clock = FakeClock(START)
    counts: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as directory:
        engine = make_engine(f"sqlite:///{directory}/processing.db", TABLES)
        _run(engine, clock, lambda session, now: seed_shelters(session, now))
        for family in families[:HANDLER_FAMILIES]:
            for event in _messages(family):
                envelope = envelope_for(event, source="bench", clock=clock)
                with Session(engine, expire_on_commit=False) as session:
                    context = Context(session=session, clock=clock, envelope=envelope)
                    counts.update(short(e) for e in HANDLERS[type(event)](event, context))
                    session.commit()
        clock.advance(dt.timedelta(days=2 + families[HANDLER_FAMILIES - 1].day))
        counts.update(_run(engine, clock, tick))
        engine.dispose()
    return {"families": min(HANDLER_FAMILIES, len(families)), **counts}


def _messages(family: Family) -> tuple[Registered, Scheduled]:
    at = START + dt.timedelta(days=family.day + 3)
    origin = Location(city="Tijuana", country="MX")
    registered = Registered(
        family_unit_id=family.id,
        channel=Channel.ONLINE,
        current_location=origin,
        members=family.members,
        registered_at=START,
    )
    scheduled = Scheduled(
        family_unit_id=family.id,
        appointment_id=f"a-{family.id}",
        site=family.site,
        appointment_at=at,
        people=len(family.members),
        origin=origin,
    )
    return registered, scheduled


def _run(engine: Engine, clock: FakeClock, work: Callable[..., Any]) -> Counter[str]:
    with Session(engine, expire_on_commit=False) as session:
        events = work(session, clock.now())
        session.commit()
    return Counter(short(e) for e in events)


def short(event: Any) -> str:
    return str(event.TYPE.split(".")[-2])


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
    measure("via handlers (SQLite)", lambda: through_handlers(families, {}))
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
