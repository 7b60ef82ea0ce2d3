"""Seats and beds with two replicas: bookings of different families reach different replicas
(Kafka partitions are keyed by family) at the same moment, and a vehicle is never oversold
nor a shelter overfilled; every family is either placed or told why not."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections import Counter
from functools import partial

import puente_processing
import puente_transport
import pytest
from puente_processing import store
from puente_processing.domain import shelters
from puente_processing.tables import BedHoldRow
from puente_schemas.commands import UpdateShelterCapacity
from puente_schemas.common import Location
from puente_schemas.events import (
    CourtAssigned,
    Rescheduled,
    ScheduleCancelled,
    Scheduled,
    ShelterAssigned,
    ShelterUpdated,
    TransportBooked,
    TransportFailed,
)
from puente_transport import domain
from puente_transport.field import HOLDING
from puente_transport.routes import ROUTES
from puente_transport.tables import BookingRow
from sqlmodel import Session, col, func, select

from tests.postgres.support import Replica, at_once, registered, slowed, two_replicas

pytestmark = pytest.mark.servers  # needs servers (here PostgreSQL)

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)  # a Saturday
APPOINTMENT = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)  # Tuesday noon
FAMILIES = [f"f{number:02}" for number in range(16)]
ROOM = 5  # seats on the one vehicle, or beds in the one shelter with any


def one_bus_a_week(seats: int) -> dict:
    """Tijuana to San Ysidro with one vehicle, Mondays at 08:00: the only departure that can
    take a family to a Tuesday appointment."""
    key = ("tijuana", "san-ysidro")
    timetable = dataclasses.replace(
        ROUTES[key].timetable,
        departure_hours=(8,),
        weekdays=frozenset({0}),
        vehicles_per_departure=1,
        seats_per_vehicle=seats,
    )
    return {**ROUTES, key: dataclasses.replace(ROUTES[key], timetable=timetable)}


def scheduled(family: str) -> Scheduled:
    return Scheduled(
        family_unit_id=family,
        appointment_id=f"{family}-appointment",
        site="san-ysidro",
        appointment_at=APPOINTMENT,
        people=1,
        origin=Location(city="Tijuana", country="MX"),
    )


def split(replicas: list[Replica], contracts: list) -> list:
    """One job per replica, each delivering its share (alternate families) in order."""
    shares = [contracts[index :: len(replicas)] for index in range(len(replicas))]
    return [partial(r.deliver_all, share) for r, share in zip(replicas, shares, strict=True)]


def test_two_transport_replicas_never_oversell_a_vehicle(databases, tmp_path, monkeypatch):
    """Sixteen families for five seats, half to each replica, each replica slow to decide
    (so that every booking overlaps one in the other replica)."""
    monkeypatch.setattr(domain, "plan", slowed(domain.plan))

    def transport(**kwargs):
        return puente_transport.create_app(**kwargs, routes=one_bus_a_week(ROOM))

    url = databases.replace("{service}", "transport")
    with two_replicas(transport, database_url=url, tmp_path=tmp_path, start=NOW) as replicas:
        at_once(*split(replicas, [scheduled(family) for family in FAMILIES]))

        booked = replicas[0].staged(TransportBooked)
        failed = replicas[0].staged(TransportFailed)
        with Session(replicas[0].service.engine) as session:
            held = session.exec(
                select(BookingRow.vehicle_id, func.sum(BookingRow.seats))
                .where(col(BookingRow.status).in_(HOLDING))
                .group_by(col(BookingRow.vehicle_id))
            ).all()
    assert sum(b["seats"] for b in booked) == ROOM  # full, and not one seat more
    assert [seats for _vehicle, seats in held] == [ROOM]
    assert all(f["reason"].startswith("no seat") for f in failed)
    answered = Counter(e["family_unit_id"] for e in [*booked, *failed])
    assert answered == dict.fromkeys(FAMILIES, 1)  # each family told once: booked or why not


def test_two_processing_replicas_never_overfill_a_shelter(databases, tmp_path, monkeypatch):
    """Sixteen families for five beds (every other shelter full), half to each replica, each
    replica slow to choose a shelter."""
    monkeypatch.setattr(shelters, "choose_shelter", slowed(shelters.choose_shelter))
    url = databases.replace("{service}", "processing")
    factory = puente_processing.create_app
    with two_replicas(factory, database_url=url, tmp_path=tmp_path, start=NOW) as replicas:
        first = replicas[0]
        only = shelters.SHELTERS[0].id  # every other shelter is full
        first.deliver_all(
            UpdateShelterCapacity(shelter_id=s.id, beds=ROOM if s.id == only else 0)
            for s in shelters.SHELTERS
        )
        first.deliver_all(registered(family, at=NOW) for family in FAMILIES)

        at_once(*split(replicas, [scheduled(family) for family in FAMILIES]))

        assigned = first.staged(ShelterAssigned)
        courts = first.staged(CourtAssigned)
        with Session(first.service.engine) as session:
            held = session.exec(select(func.sum(BedHoldRow.people))).one()
    assert held == ROOM  # full, and not one bed more
    assert sum(a["people"] for a in assigned) == ROOM
    assert {a["shelter_id"] for a in assigned} == {only}
    placed = {a["family_unit_id"] for a in assigned}
    waiting = {c["family_unit_id"] for c in courts if "(no shelter bed yet)" in c["destination"]}
    assert placed | waiting == set(FAMILIES) and not placed & waiting


def moved_a_day(event: Scheduled) -> Rescheduled:
    later = event.appointment_at + dt.timedelta(days=1)
    return Rescheduled(**(event.model_dump() | {"appointment_at": later}), reason="moved")


def test_each_count_of_free_beds_told_is_one_that_stood(databases, tmp_path, monkeypatch):
    """Beds freed in one replica while the other holds beds: each count a shelter is told
    (what dashboards and shelters read) follows from the one before by the one change made,
    and the last is the count that stands."""
    url = databases.replace("{service}", "processing")
    factory = puente_processing.create_app
    with two_replicas(factory, database_url=url, tmp_path=tmp_path, start=NOW) as replicas:
        first, second = replicas
        only = shelters.SHELTERS[0].id
        first.deliver_all(
            UpdateShelterCapacity(shelter_id=s.id, beds=ROOM if s.id == only else 0)
            for s in shelters.SHELTERS
        )
        families = FAMILIES[: 2 * ROOM]
        first.deliver_all(registered(family, at=NOW) for family in families)
        first.deliver_all(scheduled(family) for family in families)  # half of them wait
        before = len(first.staged(ShelterUpdated))
        monkeypatch.setattr(store, "held_beds", slowed(store.held_beds))
        leaving, waiting = families[:ROOM], families[ROOM:]
        cancelled = [
            ScheduleCancelled(family_unit_id=f, appointment_id=f"{f}-appointment", reason="gone")
            for f in leaving
        ]
        moved = [moved_a_day(scheduled(family)) for family in waiting]

        at_once(partial(first.deliver_all, cancelled), partial(second.deliver_all, moved))

        told = [
            update["shelter"]["beds_free"]
            for update in first.staged(ShelterUpdated)[before - 1 :]
            if update["shelter"]["id"] == only
        ]
        with Session(first.service.engine) as session:
            held = session.exec(select(func.sum(BedHoldRow.people))).one() or 0
    assert told[0] == 0 and len(told) > ROOM  # full before; then a count per bed freed or held
    steps = [abs(later - earlier) for earlier, later in itertools.pairwise(told)]
    assert steps == [1] * len(steps)
    assert told[-1] == ROOM - held
