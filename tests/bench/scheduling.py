"""Scheduling the whole caseload with the pure domain: about 70,000 people in about 25,000
families over the ports and consulates. Prints a table; the figures go in the closing notes.

  uv run python -m tests.bench.scheduling

  PUENTE_BENCH_FAMILIES   how many families (default 25000)
  PUENTE_BENCH_SAMPLES    how many new registrations to time one by one (default 2000)

Measured (wall time, and peak memory with tracemalloc in a separate run, since tracing slows
Python down; maxrss is the whole process at the end):
  - a full plan in one pass: every family waiting in line, one pass with a horizon long enough
    to give every one of them a day;
  - the caseload as it would arrive: each family registered one by one (each its own pass,
    with the default 14-day horizon), then days going by until everyone has a day;
  - one new registration (and one expedite, one failed journey) at that size: the
    incremental path a message takes, p50 and p99;
  - and the same registration through the service's storage (SQLite in a temporary
    directory): loading the plan on a restart, and a registration in its own transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
import resource
import statistics
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable

from puente_runtime.storage import make_engine
from puente_scheduling import domain
from puente_scheduling.handlers import decide
from puente_scheduling.store import Store
from puente_scheduling.tables import AppointmentRow, PolicyRow, QueueRow, SiteRow
from puente_schemas import fairness
from puente_schemas.common import CaseCategory
from sqlmodel import Session

FAMILIES = int(os.environ.get("PUENTE_BENCH_FAMILIES", "25000"))
SAMPLES = int(os.environ.get("PUENTE_BENCH_SAMPLES", "2000"))
NOW = dt.datetime(2021, 6, 1, 12, tzinfo=dt.UTC)
# Where families waited (most in the border towns where MPP returned them).
CITY_WEIGHTS = {
    "Tijuana": 18,
    "Mexicali": 6,
    "San Luis Rio Colorado": 2,
    "Nogales": 4,
    "Hermosillo": 2,
    "Ciudad Juarez": 20,
    "Piedras Negras": 3,
    "Nuevo Laredo": 10,
    "Reynosa": 8,
    "Matamoros": 14,
    "Monterrey": 7,
    "Mexico City": 4,
    "Tapachula": 2,
}
SIZE_WEIGHTS = {1: 20, 2: 27, 3: 24, 4: 15, 5: 9, 6: 5}  # mean 2.8 people
ENROLLED_FROM, ENROLLED_DAYS = dt.date(2019, 1, 29), 700  # MPP began on 29 January 2019
EXPEDITED_EVERY = 100
# The eight ports, Nogales open as the letter asks, and the two consulates.
SITES = tuple(dataclasses.replace(s, open=True) for s in domain.DEFAULT_SITES)


def arrivals(count: int, rng: random.Random, prefix: str = "f") -> list[domain.Arrival]:
    cities = rng.choices(list(CITY_WEIGHTS), weights=list(CITY_WEIGHTS.values()), k=count)
    sizes = rng.choices(list(SIZE_WEIGHTS), weights=list(SIZE_WEIGHTS.values()), k=count)
    categories = list(CaseCategory)
    return [
        domain.Arrival(
            family_unit_id=f"{prefix}{index:06d}",
            people=size,
            city=city,
            country="MX",
            categories=frozenset({rng.choice(categories)}),
            earliest_enrollment=ENROLLED_FROM + dt.timedelta(days=rng.randrange(ENROLLED_DAYS)),
            registered_at=NOW - dt.timedelta(seconds=rng.randrange(30 * 86400)),
        )
        for index, (city, size) in enumerate(zip(cities, sizes, strict=True))
    ]


def new_plan(horizon: dt.timedelta = dt.timedelta(days=14)) -> domain.Plan:
    return domain.Plan(sites=SITES, policy=domain.Policy(horizon=horizon))


def one_pass_plan(families: list[domain.Arrival]) -> domain.Plan:
    """Everyone waiting in line (as a plan loaded from the database), then one pass whose
    horizon reaches far enough for all of them."""
    plan = new_plan(horizon=dt.timedelta(days=3 * 365))
    for index, arrival in enumerate(families):
        site = domain.nearest_site(arrival.city, arrival.people, SITES)
        assert site is not None
        plan.restore(
            domain.Family(
                id=arrival.family_unit_id,
                people=arrival.people,
                city=arrival.city,
                country=arrival.country,
                categories=arrival.categories,
                earliest_enrollment=arrival.earliest_enrollment,
                registered_at=arrival.registered_at,
                queued_at=arrival.registered_at,
                expedite_granted_at=NOW if index % EXPEDITED_EVERY == 0 else None,
                status=domain.Status.WAITING,
                site=site.id,
            )
        )
    plan.run_passes(NOW)
    return plan


def as_they_come(families: list[domain.Arrival]) -> tuple[domain.Plan, int]:
    """Each family registered by itself, then days going by until everyone has a day."""
    plan = new_plan()
    for index, arrival in enumerate(families):
        plan.register(arrival, now=NOW + dt.timedelta(seconds=index))
        if index % EXPEDITED_EVERY == 0:
            moment = NOW + dt.timedelta(seconds=index)
            plan.grant_expedite(arrival.family_unit_id, granted_at=moment, now=moment)
    plan.changes()
    now, days = NOW + dt.timedelta(seconds=len(families)), 0
    while any(f.status is domain.Status.WAITING for f in plan.families.values()):
        now, days = now + dt.timedelta(days=1), days + 1
        plan.run_passes(now)
        plan.changes()
    return plan, days


def timed(work: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def peak_mib(work: Callable[[], object]) -> float:
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def latencies(plan: domain.Plan, step: Callable[[domain.Plan, int], None]) -> list[float]:
    """Milliseconds of each of SAMPLES steps, each followed by collecting its changes (what
    a handler does before writing them)."""
    spent = []
    for index in range(SAMPLES):
        start = time.perf_counter()
        step(plan, index)
        plan.changes()
        spent.append((time.perf_counter() - start) * 1000)
    return spent


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100)[int(share * 100) - 1]


def stored(families: list[domain.Arrival]) -> tuple[float, list[float]]:
    """Seconds to load the plan of every family from the database (a restart), and the
    milliseconds of each registration in its own transaction after that."""
    with tempfile.TemporaryDirectory() as directory:
        tables = [SiteRow, PolicyRow, QueueRow, AppointmentRow]
        engine = make_engine(f"sqlite:///{directory}/scheduling.db", tables)
        defaults = domain.Policy()
        with Session(engine) as session:

            def everyone(plan: domain.Plan) -> None:
                for index, arrival in enumerate(families):
                    plan.register(arrival, now=NOW + dt.timedelta(seconds=index))

            decide(session, Store(defaults=defaults), everyone, now=NOW)
            session.commit()
        store = Store(defaults=defaults)
        with Session(engine) as session:
            loading, plan = timed(lambda: store.open(session))
            assert isinstance(plan, domain.Plan)
            store.save(session, plan, plan.changes())  # read only: the plan is current
        later = NOW + dt.timedelta(days=1)
        with Session(engine) as session:
            decide(session, store, lambda plan: plan.run_passes(later), now=later)
            session.commit()
        spent = []
        for arrival in arrivals(SAMPLES // 4, random.Random(11), prefix="s"):
            start = time.perf_counter()
            with Session(engine, expire_on_commit=False) as session:
                decide(
                    session, store, lambda plan, a=arrival: plan.register(a, now=later), now=later
                )
                session.commit()
            spent.append((time.perf_counter() - start) * 1000)
        engine.dispose()
    return loading, spent


def check(plan: domain.Plan) -> None:
    """What the benchmark plans is a plan: within capacity and fair."""
    booked: Counter[tuple[str, dt.date]] = Counter()
    for family in plan.scheduled():
        assert family.appointment is not None
        booked[(family.appointment.site, family.appointment.day)] += family.people
    assert all(people <= plan.sites[site].capacity_per_day for (site, _), people in booked.items())
    assert fairness.inversions(plan.audited()) == []


def main() -> None:
    rng = random.Random(2021)
    families = arrivals(FAMILIES, rng)
    people = sum(a.people for a in families)
    print(f"{FAMILIES:,} families, {people:,} people, {len(SITES)} sites (all open)")

    one_pass_seconds, planned = timed(lambda: one_pass_plan(families))
    one_pass_memory = peak_mib(lambda: one_pass_plan(families))
    assert isinstance(planned, domain.Plan)
    check(planned)
    last_day = max(f.appointment.day for f in planned.scheduled() if f.appointment)

    arriving_seconds, (arrived, days) = timed(lambda: as_they_come(families))  # type: ignore[misc]
    arriving_memory = peak_mib(lambda: as_they_come(families))
    check(arrived)

    waiting = new_plan()
    for index, arrival in enumerate(families):
        waiting.register(arrival, now=NOW + dt.timedelta(seconds=index))
    waiting.changes()
    later = NOW + dt.timedelta(days=1)
    waiting.run_passes(later)  # the day's pass has run: a newcomer books only itself
    waiting.changes()
    in_line = sum(f.status is domain.Status.WAITING for f in waiting.families.values())
    newcomers = arrivals(SAMPLES, random.Random(7), prefix="n")
    register = latencies(waiting, lambda plan, i: plan.register(newcomers[i], now=later))
    expedite = latencies(
        waiting,
        lambda plan, i: plan.grant_expedite(
            newcomers[i].family_unit_id, granted_at=later, now=later
        ),
    )
    booked = sorted(f.id for f in waiting.scheduled())
    rng.shuffle(booked)

    def fail(plan: domain.Plan, index: int) -> None:
        family = plan.families[booked[index]]
        assert family.appointment is not None
        plan.transport_failed(family.id, family.appointment.id, reason="bench", now=later)

    failed = latencies(waiting, fail)
    loading, transactions = stored(families)
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print()
    print(f"{'full plan':<52}{'wall':>10}{'peak (tracemalloc)':>20}")
    print(
        f"{'  one pass, everyone in line':<52}{one_pass_seconds:>9.2f}s{one_pass_memory:>16.1f} MiB"
    )
    print(f"    (appointments up to {last_day}, {(last_day - NOW.date()).days} days ahead)")
    print(
        f"{'  registered one by one, then ' + str(days) + ' days of passes':<52}"
        f"{arriving_seconds:>9.2f}s{arriving_memory:>16.1f} MiB"
    )
    print()
    print(f"one step at that size ({in_line:,} families in line){'p50':>14}{'p99':>10}{'max':>10}")
    for name, spent in (
        ("  a new registration", register),
        ("  an expedite granted", expedite),
        ("  a failed journey", failed),
    ):
        print(
            f"{name:<52}{percentile(spent, 0.5):>7.3f}ms{percentile(spent, 0.99):>7.3f}ms"
            f"{max(spent):>7.2f}ms"
        )
    print()
    print(f"through the service's storage (SQLite){'':>14}{'p50':>10}{'p99':>10}{'max':>10}")
    print(
        f"{'  a registration in its own transaction':<52}"
        f"{percentile(transactions, 0.5):>7.3f}ms{percentile(transactions, 0.99):>7.3f}ms"
        f"{max(transactions):>7.2f}ms"
    )
    print(f"{'  loading the whole plan on a restart':<52}{loading:>9.2f}s")
    print()
    print(f"process maxrss at the end: {rss_mib:.0f} MiB")


if __name__ == "__main__":
    main()
