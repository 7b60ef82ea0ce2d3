"""Transport planning for the whole caseload through the pure domain (`uv run python -m
tests.bench.transport`): about 25,000 families, 70,000 people, spread over the cities where
families wait, with appointments over 30 days at the 8 ports, each booked on the route table
with the seats every earlier booking holds. Then a tenth of them are moved a week later
(their seats given back, booked again). Last, the first families again through the service's
handler on SQLite, one transaction each as the consumer runs it (without the bus, inbox and
outbox), to show what the database adds. Prints wall time and peak memory (tracemalloc, and
the process's maximum resident set) and what became of the families.

  PUENTE_BENCH_FAMILIES           how many families (default 25000)
  PUENTE_BENCH_HANDLER_FAMILIES   how many of them go through the handler (default 2500)
  PUENTE_BENCH_SEED               random seed (default 4)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from puente_runtime import Context, FakeClock
from puente_runtime.outbox import envelope_for
from puente_runtime.storage import make_engine
from puente_schemas.common import Location
from puente_schemas.events import Scheduled, TransportBooked, TransportFailed
from puente_schemas.places import CITIES, PORTS, distance_km
from puente_transport import domain
from puente_transport.handlers import HANDLERS
from puente_transport.tables import BookingRow
from sqlmodel import Session

FAMILIES = int(os.environ.get("PUENTE_BENCH_FAMILIES", "25000"))
HANDLER_FAMILIES = int(os.environ.get("PUENTE_BENCH_HANDLER_FAMILIES", "2500"))
SEED = int(os.environ.get("PUENTE_BENCH_SEED", "4"))
NOW = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)
DAYS = 30
APPOINTMENT_HOURS = (8, 10, 12, 14, 16)
# Where the families wait (relative weights): the border camps and shelters, the interior.
WAITING = {
    "matamoros": 16,
    "tijuana": 14,
    "ciudad juarez": 14,
    "reynosa": 10,
    "nuevo laredo": 8,
    "mexicali": 6,
    "monterrey": 8,
    "mexico city": 7,
    "tapachula": 4,
    "nogales": 4,
    "hermosillo": 3,
    "piedras negras": 3,
    "san luis rio colorado": 3,
}
SIZES = {1: 20, 2: 25, 3: 25, 4: 18, 5: 8, 6: 4}  # about 2.8 people per family


def nearest_port(city: str) -> str:
    return min(PORTS, key=lambda site: distance_km(CITIES[city], PORTS[site]))


def caseload(rng: random.Random, count: int = FAMILIES) -> list[domain.Request]:
    cities = rng.choices(list(WAITING), weights=list(WAITING.values()), k=count)
    sizes = rng.choices(list(SIZES), weights=list(SIZES.values()), k=count)
    ports = {city: nearest_port(city) for city in WAITING}
    first_day = dt.datetime.combine(NOW.date() + dt.timedelta(days=3), dt.time(), tzinfo=dt.UTC)
    return [
        domain.Request(
            family_unit_id=f"f{index}",
            appointment_id=f"a{index}",
            site=ports[city],
            appointment_at=first_day
            + dt.timedelta(days=rng.randrange(DAYS), hours=rng.choice(APPOINTMENT_HOURS)),
            people=people,
            origin_city=CITIES[city].name,
        )
        for index, (city, people) in enumerate(zip(cities, sizes, strict=True))
    ]


@dataclass
class Phase:
    name: str
    families: int
    seconds: float
    peak_traced_mb: float
    outcomes: Counter[str]


def timed(work: Callable[[], Iterator[str]]) -> tuple[float, Counter[str]]:
    gc.collect()
    started = time.perf_counter()
    outcomes = Counter(work())
    return time.perf_counter() - started, outcomes


def traced(work: Callable[[], Iterator[str]]) -> float:
    """Peak memory allocated while `work` runs, in MB (tracemalloc slows it, so it is run
    apart from the timing)."""
    gc.collect()
    tracemalloc.start()
    Counter(work())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def book_all(
    ledger: domain.Ledger, requests: list[domain.Request], now: dt.datetime = NOW
) -> Iterator[str]:
    for request in requests:
        try:
            ledger.book(request, now=now)
            yield "booked"
        except domain.CannotBook as reason:
            yield str(reason).split(":")[0]


def move_a_week_later(ledger: domain.Ledger, requests: list[domain.Request]) -> Iterator[str]:
    for request in requests:
        ledger.release(request.family_unit_id)
        later = request.appointment_at + dt.timedelta(days=7)
        yield from book_all(ledger, [dataclasses.replace(request, appointment_at=later)])


def through_handler(requests: list[domain.Request]) -> Iterator[str]:
    """Each family's `scheduled` through transport's handler, in its own transaction."""
    book = HANDLERS[Scheduled]
    clock = FakeClock(NOW)
    with tempfile.TemporaryDirectory() as directory:
        engine = make_engine(f"sqlite:///{directory}/transport.db", [BookingRow])
        for request in requests:
            event = Scheduled(
                family_unit_id=request.family_unit_id,
                appointment_id=request.appointment_id,
                site=request.site,
                appointment_at=request.appointment_at,
                people=request.people,
                origin=Location(city=request.origin_city, country="MX"),
            )
            envelope = envelope_for(event, source="scheduling", clock=clock)
            with Session(engine, expire_on_commit=False) as session:
                (answer,) = book(event, Context(session=session, clock=clock, envelope=envelope))
                session.commit()
            if isinstance(answer, TransportFailed):
                yield answer.reason.split(":")[0]
            else:
                assert isinstance(answer, TransportBooked)
                yield "booked"
        engine.dispose()


def max_rss_mb() -> float:
    """The process's peak resident set: kilobytes on Linux, bytes on macOS."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (2**20 if sys.platform == "darwin" else 2**10)


PHASES = ("plan the caseload", "move 10 % a week later", "first ones via handler")


def scenario(
    requests: list[domain.Request], moved: list[domain.Request]
) -> list[Callable[[], Iterator[str]]]:
    """The phases: the second on the ledger the first left, the third on its own database."""
    ledger = domain.Ledger()
    return [
        lambda: book_all(ledger, requests),
        lambda: move_a_week_later(ledger, moved),
        lambda: through_handler(requests[:HANDLER_FAMILIES]),
    ]


def main() -> None:
    rng = random.Random(SEED)
    requests = caseload(rng)
    moved = rng.sample(requests, k=len(requests) // 10)
    people = sum(r.people for r in requests)
    runs = [timed(work) for work in scenario(requests, moved)]
    peaks = [traced(work) for work in scenario(requests, moved)]  # the same, on a new ledger
    phases = [
        Phase(name, sum(outcomes.values()), seconds, peak, outcomes)
        for name, (seconds, outcomes), peak in zip(PHASES, runs, peaks, strict=True)
    ]
    print(f"transport planning: {len(requests):,} families, {people:,} people, seed {SEED}")
    print(f"{'phase':<24} {'families':>9} {'seconds':>8} {'µs/family':>10} {'peak MB':>8}")
    for phase in phases:
        per_family = phase.seconds / max(phase.families, 1) * 1e6
        print(
            f"{phase.name:<24} {phase.families:>9,} {phase.seconds:>8.2f} "
            f"{per_family:>10.0f} {phase.peak_traced_mb:>8.1f}"
        )
    print(f"max resident set of the process: {max_rss_mb():.0f} MB")
    for phase in phases:
        outcomes = ", ".join(f"{kind} {count:,}" for kind, count in phase.outcomes.most_common())
        print(f"{phase.name}: {outcomes}")


if __name__ == "__main__":
    main()
