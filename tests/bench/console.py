"""`make bench-console`: the console's reads on a read model of 25,000 families.

A gateway on an embedded bus in a temporary directory, serving HTTP on a free port, its read
model filled through the platform's own events (registered, waitlisted, scheduled,
transport-booked, shelter-assigned, arrived-at-port, checked-in, processed,
processing-overdue, released, site-updated, shelter-updated, policy-announced,
notice-issued), published on the bus as the services publish them and projected by the
gateway's consumer. Then:

  - each GraphQL query the console makes, over HTTP as the console sends it, RUNS times in
    turn: p50 and p99 in ms, and the p99 as a ratio of the baseline run beside it in the
    same rounds, `{ viewer { name } }` (HTTP, authentication and GraphQL, no read model);
  - navigation to a fully drawn overview (every panel of a token with the admin, analyst
    and policy officer roles) in headless Chromium: performance.now() (Navigation Timing:
    milliseconds from the navigation's start) when the panels are in the page, median of 5.

Ends with one JSON line of figures. The aim: every query's p99 under 50 ms.

  PUENTE_BENCH_CONSOLE_FAMILIES  families in the read model (default 25000)
  PUENTE_BENCH_CONSOLE_RUNS      runs of each query (default 50)
  PUENTE_BENCH_SEED              random seed (default 4)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import async_playwright
from puente_gateway import create_app
from puente_gateway.auth import authenticate, issue_token
from puente_gateway.organisations import create_organisation
from puente_gateway.roles import Role
from puente_gateway.tables import TimelineEntry
from puente_runtime import EmbeddedBus, Settings, SystemClock
from puente_runtime.messages import to_message
from puente_runtime.outbox import envelope_for
from puente_schemas import Event
from puente_schemas.common import PartnerKind
from puente_schemas.events import (
    ArrivedAtPort,
    CheckedIn,
    NoticeIssued,
    PolicyAnnounced,
    Processed,
    ProcessingOverdue,
    Released,
)
from puente_schemas.places import PORTS, SITE_PLACES
from sqlalchemy import func
from sqlmodel import Session, select

from tests.browser.conftest import ARGS, CHROMIUM
from tests.gateway.support import (
    booked,
    family_of,
    place,
    scheduled,
    shelter_assigned,
    shelter_updated,
    site_updated,
    waitlisted,
)
from tests.kafka.processes import free_port
from tests.polling import eventually

FAMILIES = int(os.environ.get("PUENTE_BENCH_CONSOLE_FAMILIES", "25000"))
RUNS = int(os.environ.get("PUENTE_BENCH_CONSOLE_RUNS", "50"))
SEED = int(os.environ.get("PUENTE_BENCH_SEED", "4"))
NAVIGATIONS = 5
SHELTERS = [f"shelter-{n}" for n in range(12)]
HOUR = dt.timedelta(hours=1)

# The console's queries (services/gateway/puente_gateway/console/js/views), as it sends them.
BASELINE = "{ viewer { name } }"
OVERVIEW = {
    "viewer": "{ viewer { name roles sites shelterId } }",
    "sites": "{ sites { id name } }",
    "familiesByStage": "{ familiesByStage { stage families } }",
    "queueSummary": """{ sites { id name capacityPerDay open }
      queueSummary { site waitingFamilies waitingPeople waitingForEligibility
                     scheduledFamilies scheduledPeople } }""",
    "siteLoad": """{ siteLoad(days: 14) { site name open capacityPerDay days { date people }
      arrivingToday arrivedToday } }""",
    "shelters": "{ shelters { id name city beds bedsFree expectedFamilies expectedPeople } }",
    "processingTimes": """{ processingTimes { site targetHours families inProcessing
      withinTarget overTarget checkInToProcessed { p50Hours p90Hours maxHours } } }""",
    "policies": """{ policies(limit: 5) { policyId title effectiveAt status
      organisations { noticeId hoursAhead acknowledgedAt atRisk } } }""",
    "organisations": "{ organisations { id name kind tokens { id revokedAt } } }",
}
STUCK = """{ stuckFamilies { familyUnitId stage site since expectedBy overdueHours rule
  reason } }"""
FAMILY = """query ($id: ID!) {
  familyUnit(id: $id) { id stage appointment { site date } }
  queuePosition(familyUnitId: $id) { standing place site estimatedDate }
  itinerary(familyUnitId: $id) { departedAt expectedArrivalAt arrivedAt checkedInAt processedAt
    releasedAt booking { site originCity pickupPoint departureAt arrivalAt seats status } } }"""
MEMBERS = """query ($id: ID!) { familyUnit(id: $id) { members {
  givenName familyName birthDate language needsInterpreter } } }"""
DOCUMENTS = """query ($id: ID!) { documents(familyUnitId: $id) { allReady
  members { memberId ready documents { kind status } } } }"""
SHELTER = """query ($id: ID!) { shelters(id: $id) { id name city beds bedsFree services
  expectedArrivals(includeArrived: true) { familyUnitId site expectedAt people languages
    needsInterpreter needs status } } }"""
NOTICES = """query ($id: ID) { notices(id: $id) { id kind title text language createdAt
  effectiveAt acknowledgedAt cursor } }"""
PORT = """query ($site: String!) {
  processingTimes(site: $site) { site targetHours inProcessing perFamily { familyUnitId
    checkedInAt processedAt releasedAt processingHours overTarget } }
  arrivalsWithDocumentsNotReady(site: $site) { familyUnitId checkedInAt
    stillNotReady { memberId kind } } }"""


def fairness(day: dt.date) -> str:
    """The overview's one request of every site's fairness audit, 30 days either side."""
    start, end = day - dt.timedelta(days=30), day + dt.timedelta(days=30)
    fields = [
        f's{n}: fairnessAudit(site: "{site}", from: "{start}", to: "{end}") '
        "{ site checked inversions { behind { day } } }"
        for n, site in enumerate(SITE_PLACES)
    ]
    return "{ " + " ".join(fields) + " }"


class Population:
    """The caseload, step by step: each step's events follow the steps before it."""

    def __init__(self, rng: random.Random, now: dt.datetime) -> None:
        self.rng, self.now = rng, now
        self.ids = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(FAMILIES)]
        self.sites = {fid: rng.choice(list(SITE_PLACES)) for fid in self.ids}
        self.people = {fid: rng.choice([1, 2, 2, 3, 3, 4, 5]) for fid in self.ids}
        count = len(self.ids)
        self.waiting = self.ids[: count // 8]
        self.scheduled = self.ids[count // 8 :]
        self.booked = [f for f in self.scheduled if self.rng.random() < 0.3]
        self.arrived = [f for f in self.booked if self.sites[f] in PORTS][: count // 12]
        self.processed = self.arrived[: len(self.arrived) * 2 // 3]
        self.released = self.processed[: len(self.processed) * 2 // 3]

    def steps(self) -> list[list[Event]]:
        now, rng = self.now, self.rng
        appointment = {f: now + rng.uniform(-2, 30) * 24 * HOUR for f in self.scheduled}
        arrival = {f: now - rng.uniform(1, 40) * HOUR for f in self.arrived}
        return [
            [site_updated(site, capacity=rng.choice([40, 60, 80, 120])) for site in SITE_PLACES]
            + [shelter_updated(s, beds=80, beds_free=rng.randrange(80)) for s in SHELTERS]
            + [self._registered(f) for f in self.ids],
            [waitlisted(f, place(dt.date(2019, 6, 1)), site=self.sites[f]) for f in self.waiting]
            + [
                scheduled(
                    f, appointment_at=appointment[f], site=self.sites[f], people=self.people[f]
                ).model_copy(update={"decided_at": now - rng.uniform(0, 72) * HOUR})
                for f in self.scheduled
            ],
            [
                booked(
                    f,
                    f"bk-{f}",
                    site=self.sites[f],
                    seats=self.people[f],
                    departure_at=appointment[f] - 3 * HOUR,
                )
                for f in self.booked
            ]
            + [shelter_assigned(f, rng.choice(SHELTERS)) for f in self.booked[::3]],
            [
                ArrivedAtPort(
                    family_unit_id=f,
                    booking_id=f"bk-{f}",
                    site=self.sites[f],
                    arrived_at=arrival[f],
                )
                for f in self.arrived
            ],
            [
                CheckedIn(family_unit_id=f, site=self.sites[f], checked_in_at=arrival[f])
                for f in self.arrived
            ],
            [
                Processed(
                    family_unit_id=f,
                    site=self.sites[f],
                    documents=[],
                    processed_at=arrival[f] + rng.uniform(1, 6) * HOUR,
                )
                for f in self.processed
            ]
            + [
                ProcessingOverdue(
                    family_unit_id=f, site=self.sites[f], checked_in_at=arrival[f], target_hours=4.0
                )
                for f in self.arrived[len(self.processed) :]
            ],
            [
                Released(
                    family_unit_id=f,
                    site=self.sites[f],
                    destination="Houston, TX",
                    released_at=arrival[f] + 8 * HOUR,
                )
                for f in self.released
            ],
        ]

    def _registered(self, fid: str) -> Event:
        registered_at = self.now - self.rng.uniform(2, 200) * 24 * HOUR
        family = family_of(fid, people=self.people[fid])
        return family.model_copy(update={"registered_at": registered_at})


def projected(gateway: Any) -> int:
    with Session(gateway.service.engine) as session:
        return int(session.exec(select(func.count()).select_from(TimelineEntry)).one())


async def publish(gateway: Any, bus: EmbeddedBus, events: Sequence[Event]) -> None:
    """Publish as the services do, a thousand at a time, and wait until all are projected."""
    before = projected(gateway)
    for start in range(0, len(events), 1000):
        batch = events[start : start + 1000]
        await bus.publish_batch(
            [
                to_message(envelope_for(e, source="bench", clock=gateway.clock), e.TOPIC, {})
                for e in batch
            ]
        )
    await eventually(lambda: projected(gateway) >= before + len(events), timeout=1800)
    print(f"{len(events)} events projected", file=sys.stderr, flush=True)


def token(gateway: Any, kind: PartnerKind, *roles: Role, **scope: Any) -> str:
    engine, now = gateway.service.engine, gateway.clock.now()
    shelter = scope.pop("shelter_id", None)
    organisation = create_organisation(
        engine, name=f"{kind} bench", kind=kind, now=now, shelter_id=shelter
    )
    issued, _ = issue_token(
        engine, organisation_id=organisation.id, roles=roles, name="bench", now=now, **scope
    )
    return issued


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def timed(client: httpx.AsyncClient, bearer: str, query: str, variables: Any) -> float:
    started = time.perf_counter()
    answer = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {bearer}"},
    )
    elapsed = (time.perf_counter() - started) * 1000
    body = answer.json()
    if answer.status_code != 200 or body.get("errors"):
        raise AssertionError(f"{query[:60]}...: {answer.status_code} {body.get('errors')}")
    return elapsed


async def queries(url: str, cases: dict[str, tuple[str, str, Any]]) -> dict[str, Any]:
    """Each case RUNS times, in rounds, each round beside one run of the baseline."""
    taken: dict[str, list[float]] = {name: [] for name in [*cases, "baseline"]}
    baseline_token = next(iter(cases.values()))[0]
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        for bearer, query, variables in cases.values():  # warm up
            await timed(client, bearer, query, variables)
        for _ in range(RUNS):
            taken["baseline"].append(await timed(client, baseline_token, BASELINE, {}))
            for name, (bearer, query, variables) in cases.items():
                taken[name].append(await timed(client, bearer, query, variables))
    base = percentile(taken["baseline"], 0.99)
    return {
        name: {
            "p50_ms": round(statistics.median(values), 2),
            "p99_ms": round(percentile(values, 0.99), 2),
            "p99_vs_baseline": round(percentile(values, 0.99) / base, 1),
        }
        for name, values in taken.items()
    }


# Recorded in the page before its scripts run: the token in sessionStorage, and the moment
# (performance.now(): ms from the navigation's start) the overview's panels are all in.
DRAWN = """
sessionStorage.setItem("puente.token", %s);
new MutationObserver((changes, observer) => {
  if (document.querySelector("#view #fairness") && document.querySelector("#view #organisations")) {
    window.drawnAt = performance.now();
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
"""


async def navigations(url: str, bearer: str) -> list[float]:
    found = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(NAVIGATIONS):
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            await context.add_init_script(DRAWN % json.dumps(bearer))
            page = await context.new_page()
            await page.goto(url)
            await page.wait_for_selector("#view #organisations", timeout=120_000)
            found.append(float(await page.evaluate("window.drawnAt")))
            await context.close()
        await browser.close()
    return found


async def main() -> None:
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        settings = Settings(var_dir=Path(folder), gateway_port=port, relay_poll_seconds=0.05)
        bus = EmbeddedBus(Path(folder) / "bus.db", poll_seconds=0.02)
        gateway = create_app(settings=settings, bus=bus, clock=SystemClock())
        await bus.start()
        await gateway.service.start()
        serving = asyncio.ensure_future(gateway.serve_http())
        try:
            figures = await measure(gateway, bus, rng, f"http://127.0.0.1:{port}")
        finally:
            serving.cancel()
            await asyncio.gather(serving, return_exceptions=True)
            await gateway.service.stop()
            await bus.stop()
    print(json.dumps(figures))


async def measure(gateway: Any, bus: EmbeddedBus, rng: random.Random, url: str) -> dict[str, Any]:
    now = gateway.clock.now()
    population = Population(rng, now)
    started = time.perf_counter()
    events = 0
    for step in population.steps():
        await publish(gateway, bus, step)
        events += len(step)
    shelter = rng.choice(SHELTERS)
    shelter_token = token(gateway, PartnerKind.SHELTER, Role.SHELTER, shelter_id=shelter)
    policies = [
        PolicyAnnounced(policy_id=f"p-{n}", title=f"Policy {n}", effective_at=now + 48 * HOUR)
        for n in range(5)
    ]
    await publish(gateway, bus, policies)
    loaded = time.perf_counter() - started
    watcher = token(gateway, PartnerKind.UNHCR, Role.ADMIN, Role.ANALYST, Role.POLICY_OFFICER)
    agency = token(gateway, PartnerKind.DHS, Role.REGISTRAR, Role.PORT_OFFICER,
                   sites=list(SITE_PLACES))  # fmt: skip
    await publish(gateway, bus, [
        NoticeIssued(notice_id=f"n-{n}", organisation_id=organisation_of(gateway, shelter_token),
                     kind="policy", title=f"Policy {n}", text="Un cambio de política.",
                     language="spa", policy_id=f"p-{n}", effective_at=now + 48 * HOUR)
        for n in range(5)
    ])  # fmt: skip
    family = rng.choice(population.booked)
    port = population.sites[rng.choice(population.arrived)]
    cases: dict[str, tuple[str, str, Any]] = {
        name: (watcher, query, {}) for name, query in OVERVIEW.items()
    }
    cases["fairnessAudit (every site)"] = (watcher, fairness(now.date()), {})
    cases["stuckFamilies (agency)"] = (agency, STUCK, {})
    cases["stuckFamilies (shelter)"] = (shelter_token, STUCK, {})
    cases["family"] = (agency, FAMILY, {"id": family})
    cases["family members"] = (agency, MEMBERS, {"id": family})
    cases["family documents"] = (agency, DOCUMENTS, {"id": family})
    cases["shelter"] = (shelter_token, SHELTER, {"id": shelter})
    cases["notices"] = (shelter_token, NOTICES, {"id": None})
    cases["port"] = (agency, PORT, {"site": port})
    timings = await queries(url, cases)
    drawn = await navigations(url, watcher)
    worst = max((v["p99_ms"], k) for k, v in timings.items() if k != "baseline")
    return {
        "bench": "console",
        "families": FAMILIES,
        "events": events,
        "load_seconds": round(loaded, 1),
        "runs": RUNS,
        "queries": timings,
        "worst_p99": {"query": worst[1], "ms": worst[0]},
        "p99_under_50ms": worst[0] < 50,
        "overview_drawn_ms": {
            "median": round(statistics.median(drawn), 1),
            "each": [round(d, 1) for d in drawn],
        },
    }


def organisation_of(gateway: Any, bearer: str) -> str:
    found = authenticate(gateway.service.engine, f"Bearer {bearer}")
    assert found is not None and found.organisation_id is not None
    return found.organisation_id


if __name__ == "__main__":
    asyncio.run(main())
