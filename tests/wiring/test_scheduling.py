"""Scheduling in the whole platform, and its plan across transactions and restarts.

The platform runs on a fake clock: time moves only when the test moves it, so the policy's
effective time, the notice and the booking horizon are under the test's control.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

import httpx
import pytest
from puente_platform import create_platform
from puente_platform.settings import PlatformSettings
from puente_runtime import EmbeddedBus, FakeClock
from puente_runtime.storage import make_engine
from puente_scheduling import domain
from puente_scheduling.handlers import decide
from puente_scheduling.store import Store
from puente_scheduling.tables import AppointmentRow, PolicyRow, QueueRow, SiteRow
from puente_schemas import Envelope, fairness
from puente_schemas.topics import SCHEDULING_EVENTS
from sqlmodel import Session

from tests.conftest import START
from tests.polling import eventually

REGISTER = """
mutation($input: RegisterFamilyInput!) {
  registerFamily(input: $input) { status familyUnitId errors { field message } }
}"""
ANNOUNCE = """
mutation($title: String!, $effectiveAt: DateTime!, $changes: PolicyChangesInput) {
  announcePolicy(title: $title, effectiveAt: $effectiveAt, changes: $changes) {
    status errors { field message }
  }
}"""
OFFICER = """
mutation($name: String!) {
  createOrganisation(name: $name, kind: DHS) { id }
}"""
ISSUE = """
mutation($organisation: ID!) {
  issueToken(organisationId: $organisation, roles: [POLICY_OFFICER]) { token }
}"""
HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)


@pytest.fixture
async def platform(tmp_path):
    settings = PlatformSettings(var_dir=tmp_path, relay_poll_seconds=0.05)
    bus = EmbeddedBus(tmp_path / "bus.db", poll_seconds=0.02)
    clock = FakeClock(START)
    built = create_platform(settings=settings, bus=bus, clock=clock)
    await bus.start()
    for service in built.all_services:
        await service.start()
    token = (tmp_path / "admin.token").read_text().strip()
    transport = httpx.ASGITransport(app=built.gateway.asgi)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://puente", headers={"authorization": f"Bearer {token}"}
    ) as client:

        async def graphql(query: str, token: str | None = None, **variables: object) -> dict:
            headers = {"authorization": f"Bearer {token}"} if token else {}
            body = {"query": query, "variables": variables}
            answer = await client.post("/graphql", json=body, headers=headers)
            assert answer.status_code == 200, answer.text
            assert "errors" not in answer.json(), answer.json()
            return answer.json()["data"]

        yield bus, clock, graphql
    for service in built.all_services:
        await service.stop()
    await bus.stop()


def family_of_six(index: int, enrolled: dt.date, city: str) -> dict[str, object]:
    members = [
        {
            "givenName": f"Person{member}",
            "familyName": f"Family{index}",
            "birthDate": f"19{80 + member}-01-0{member + 1}",
            "inMpp": True,
            "aNumber": f"A{300_000_000 + index * 10 + member:09d}",
            "mppEnrollmentDate": enrolled.isoformat(),
            "caseCategory": "ACTIVE",
            "language": "spa",
            "needsInterpreter": False,
        }
        for member in range(6)
    ]
    return {
        "channel": "ONLINE",
        "currentLocation": {"city": city, "country": "MX"},
        "members": members,
    }


def scheduling_events(bus: EmbeddedBus) -> list[Envelope]:
    return [Envelope.from_kafka(m.headers, m.value) for m in bus.read(SCHEDULING_EVENTS)]


def latest_appointments(bus: EmbeddedBus) -> dict[str, dict]:
    """Each family's current appointment, as anyone reading the events would have it."""
    current: dict[str, dict] = {}
    for envelope in scheduling_events(bus):
        kind = envelope.type.split(".")[-2]
        if kind in ("scheduled", "rescheduled"):
            current[envelope.subject] = envelope.data
        elif kind == "schedule-cancelled":
            current.pop(envelope.subject, None)
    return current


def audited(appointment: dict) -> fairness.Appointment:
    place = appointment["place"]
    optional = place["expedite_granted_at"]
    return fairness.Appointment(
        appointment_id=appointment["appointment_id"],
        family_unit_id=appointment["family_unit_id"],
        site=appointment["site"],
        day=dt.datetime.fromisoformat(appointment["appointment_at"]).date(),
        decided_at=dt.datetime.fromisoformat(appointment["decided_at"]),
        earliest_enrollment=dt.date.fromisoformat(place["earliest_enrollment"]),
        registered_at=dt.datetime.fromisoformat(place["registered_at"]),
        expedite_granted_at=dt.datetime.fromisoformat(optional) if optional else None,
        queued_at=dt.datetime.fromisoformat(place["queued_at"]),
    )


async def test_a_closed_site_moves_its_families_keeping_their_order(platform):
    bus, clock, graphql = platform
    # Sixteen families of six in Tijuana, enrolled on sixteen different days, registering in
    # an order that is not theirs; one family in Mexicali is booked at Calexico already.
    enrolled = {i: dt.date(2019, 3, 1) + dt.timedelta(days=(i * 7) % 16) for i in range(16)}
    families = {}
    for index, day in enrolled.items():
        answer = (await graphql(REGISTER, input=family_of_six(index, day, "Tijuana")))[
            "registerFamily"
        ]
        assert answer["status"] == "ACCEPTED", answer
        families[answer["familyUnitId"]] = day
    mexicali = (await graphql(REGISTER, input=family_of_six(99, dt.date(2020, 1, 1), "Mexicali")))[
        "registerFamily"
    ]["familyUnitId"]
    await eventually(lambda: len(latest_appointments(bus)) == 17, timeout=20)
    before = latest_appointments(bus)
    assert {before[f]["site"] for f in families} == {"san-ysidro"}
    assert before[mexicali]["site"] == "calexico"

    # Closing San Ysidro and cutting Calexico to one family a day: fourteen days of the
    # horizon hold fourteen of them; two wait, in line, for the days to come.
    organisation = (await graphql(OFFICER, name="DHS policy"))["createOrganisation"]["id"]
    officer = (await graphql(ISSUE, organisation=organisation))["issueToken"]["token"]
    answer = await graphql(
        ANNOUNCE,
        officer,
        title="San Ysidro closes for works",
        effectiveAt=(START + 25 * HOUR).isoformat(),
        changes={
            "sites": [
                {"site": "san-ysidro", "open": False},
                {"site": "calexico", "capacityPerDay": 6},
            ]
        },
    )
    assert answer["announcePolicy"]["status"] == "ACCEPTED", answer
    clock.advance(26 * HOUR)

    def moved() -> Counter[str]:
        return Counter(
            e.type.split(".")[-2] for e in scheduling_events(bus) if e.subject in families
        )

    await eventually(
        lambda: moved()["rescheduled"] + moved()["schedule-cancelled"] == 16, timeout=20
    )
    events = scheduling_events(bus)
    sites = {e.data["site"]["id"]: e.data for e in events if e.type.endswith("site-updated.v1")}
    assert sites["san-ysidro"]["site"]["open"] is False
    assert sites["calexico"]["site"]["capacity_per_day"] == 6
    assert "San Ysidro closes for works" in sites["calexico"]["reason"]
    reasons = {e.data["reason"] for e in events if e.subject in families and "reason" in e.data}
    assert {r for r in reasons if not r.startswith("site closed")} == set()
    assert moved()["rescheduled"] == 14 and moved()["waitlisted"] == 2

    for _ in range(3):  # days go by: the horizon takes in the days the last two wait for
        clock.advance(DAY)
        await asyncio.sleep(0.3)  # the passes run on the new day
    await eventually(lambda: len(latest_appointments(bus)) == 17, timeout=20)

    after = latest_appointments(bus)
    assert after[mexicali] == before[mexicali]  # it had its day before the move: it keeps it
    in_line = sorted(families, key=families.get)
    days = [dt.datetime.fromisoformat(after[f]["appointment_at"]).date() for f in in_line]
    assert {after[f]["site"] for f in families} == {"calexico"}
    assert days == sorted(days) and len(set(days)) == 16  # in order, one family a day
    assert fairness.inversions(audited(a) for a in after.values()) == []


def test_the_plan_survives_a_restart_and_a_failed_transaction(tmp_path):
    engine = make_engine(
        f"sqlite:///{tmp_path / 'scheduling.db'}", [SiteRow, PolicyRow, QueueRow, AppointmentRow]
    )
    defaults = domain.Policy(horizon=DAY)

    def arrival(family: str, enrolled: int) -> domain.Arrival:
        return domain.Arrival(
            family, 6, "Mexicali", "MX", frozenset({"active"}), dt.date(2019, 1, enrolled), START
        )

    def register(store: Store, *families: domain.Arrival, commit: bool = True) -> list:
        with Session(engine) as session:

            def arrive(plan: domain.Plan) -> None:
                for family in families:
                    plan.register(family, now=START)

            events = decide(session, store, arrive, now=START)
            if commit:
                session.commit()
        return events

    first = Store(defaults=defaults)
    assert len(register(first, arrival("a", 2), arrival("b", 3))) == 10 + 2  # sites, then two
    # Calexico takes 60 a day; ten families of six fill the one day in the horizon.
    register(first, *(arrival(f"x{i}", 1) for i in range(8)))
    register(first, arrival("never-committed", 1), commit=False)  # rolled back
    (waiting,) = register(first, arrival("c", 4))
    assert (waiting.TYPE.split(".")[-2], waiting.site) == ("waitlisted", "calexico")

    restarted = Store(defaults=defaults)
    with Session(engine) as session:
        plan = restarted.open(session)
    assert "never-committed" not in plan.families
    assert plan.families["c"].status is domain.Status.WAITING
    # The estimate it was told is kept: a restart announces only estimates that change.
    assert waiting.estimated_date is not None
    assert plan.families["c"].estimate == waiting.estimated_date
    assert {f.id for f in plan.scheduled()} == {"a", "b", *(f"x{i}" for i in range(8))}
    assert plan.cursor("calexico") == plan.families["a"].appointment.day

    # A second process changes the plan: the first one sees it before deciding again.
    register(restarted, arrival("d", 5))
    with Session(engine) as session:
        assert "d" in first.open(session).families

    # Ten families ahead of c fill the day it expected: its new estimate alone is written.
    told = register(first, *(arrival(f"y{i}", 2) for i in range(10)))
    moved = [e for e in told if e.family_unit_id == "c"]
    assert [(e.TYPE.split(".")[-2], e.estimated_date) for e in moved] == [
        ("appointment-estimated", waiting.estimated_date + DAY)
    ]
    with Session(engine) as session:
        assert Store(defaults=defaults).open(session).families["c"].estimate == (
            waiting.estimated_date + DAY
        )
