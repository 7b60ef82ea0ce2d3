"""Properties of processing that must hold whatever happens, checked on generated cases.

- No family is processed or released while any of its documents is not ready, whatever the
  order of appointments, arrivals, commands, new members and the passing of time (the real
  handlers and clock-driven work, on an in-memory database).
- A case goes to the court nearest its destination (against brute force).
- Shelters: a family is never split, a new assignment never takes more beds than are free,
  and the shelter chosen is the nearest with room (against brute force).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from puente_processing import store
from puente_processing.clockwork import seed_shelters, tick
from puente_processing.domain import cities, courts, shelters
from puente_processing.handlers import HANDLERS
from puente_processing.tables import TABLES, BedHoldRow, CaseFileRow, DocumentRow
from puente_runtime import Context, FakeClock, NotYet
from puente_runtime.outbox import Contract, envelope_for
from puente_runtime.storage import make_engine
from puente_schemas.commands import (
    CompleteProcessing,
    ReleaseFamily,
    UpdateShelterCapacity,
)
from puente_schemas.common import Location, Member
from puente_schemas.events import (
    ArrivedAtPort,
    Event,
    Processed,
    Registered,
    RegistrationUpdated,
    Released,
    ScheduleCancelled,
    Scheduled,
    ShelterAssigned,
)
from puente_schemas.places import PORTS, SITE_PLACES, Place
from sqlmodel import Session, select

NOW = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


class Processing:
    """The processing service's handlers and clock-driven work on an in-memory database, each
    message applied in its own transaction as the consumer would (NotYet: nothing applied)."""

    def __init__(self) -> None:
        self.clock = FakeClock(NOW)
        self.engine = make_engine("sqlite://", TABLES)
        with Session(self.engine) as session:
            seed_shelters(session, NOW)
            session.commit()

    def send(self, message: Contract) -> list[Event]:
        envelope = envelope_for(message, source="test", clock=self.clock)
        with Session(self.engine, expire_on_commit=False) as session:
            context = Context(session=session, clock=self.clock, envelope=envelope)
            try:
                events = list(HANDLERS[type(message)](message, context))
            except NotYet:
                session.rollback()
                return []
            session.commit()
        return events

    def later(self, hours: float) -> list[Event]:
        self.clock.advance(dt.timedelta(hours=hours))
        with Session(self.engine, expire_on_commit=False) as session:
            events = [e for e in tick(session, self.clock.now()) if isinstance(e, Event)]
            session.commit()
        return events

    def documents(self, family: str) -> list[DocumentRow]:
        with Session(self.engine) as session:
            query = select(DocumentRow).where(DocumentRow.family_unit_id == family)
            return list(session.exec(query).all())

    def case(self, family: str) -> CaseFileRow | None:
        with Session(self.engine) as session:
            return session.get(CaseFileRow, family)

    def holds(self) -> list[BedHoldRow]:
        with Session(self.engine) as session:
            return list(session.exec(select(BedHoldRow)).all())

    def shelters(self) -> list[shelters.Shelter]:
        with Session(self.engine) as session:
            return store.shelters(session)


# Strategies

categories = st.sampled_from([None, "active", "in_absentia", "denied", "terminated", "inactive"])


@st.composite
def people(draw: st.DrawFn, prefix: str = "m") -> list[Member]:
    count = draw(st.integers(min_value=1, max_value=4))
    return [person(f"{prefix}{i}", draw(categories)) for i in range(count)]


def person(member_id: str, category: str | None) -> Member:
    return Member(
        member_id=member_id,
        given_name="Ana",
        family_name="Lopez",
        birth_date=dt.date(1990, 1, 1),
        in_mpp=category is not None,
        a_number="A123456789" if category else None,
        case_category=category,
        language="spa",
    )


anything = st.one_of(
    st.tuples(st.just("wait"), st.floats(min_value=0, max_value=40)),
    st.tuples(st.just("schedule"), st.floats(min_value=1, max_value=72)),
    st.tuples(st.just("arrive"), st.sampled_from(["san-ysidro", "hidalgo"])),
    st.tuples(st.just("complete"), st.none()),
    st.tuples(st.just("release"), st.sampled_from([None, "1 Main St, Chicago, IL"])),
    st.tuples(st.just("add member"), categories),
    st.tuples(st.just("cancel"), st.none()),
)
JOURNEY = (
    ("schedule", 30.0),
    ("arrive", "hidalgo"),
    ("complete", None),
    ("release", None),
)


@st.composite
def operations(draw: st.DrawFn) -> list[tuple[str, Any]]:
    """The journey's steps, in order, with anything at all (time passing included) before
    each: so most cases reach the port and the commands, some early, some late."""
    steps: list[tuple[str, Any]] = []
    for step in JOURNEY:
        steps += draw(st.lists(anything, max_size=4))
        steps.append(step)
    return steps


# No release without every document ready


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(members=people(), inside_us=st.booleans(), steps=operations())
def test_no_family_is_processed_or_released_with_a_document_not_ready(
    members: list[Member], inside_us: bool, steps: list[tuple[str, Any]]
) -> None:
    processing, family = Processing(), "f"
    location = (
        Location(city="Chicago", country="US")
        if inside_us
        else Location(city="Tijuana", country="MX")
    )
    registered = Registered(
        family_unit_id=family,
        channel="online",
        current_location=location,
        members=members,
        registered_at=NOW,
    )
    check(processing, family, processing.send(registered))
    for number, (operation, value) in enumerate(steps):
        check(processing, family, apply(processing, family, location, operation, value, number))
    check(processing, family, processing.later(200))  # and everything time still brings


def apply(
    processing: Processing, family: str, location: Location, operation: str, value: Any, number: int
) -> list[Event]:
    case = processing.case(family)
    assert case is not None
    if operation == "wait":
        return processing.later(value)
    if operation == "schedule":
        at = processing.clock.now() + value * HOUR
        return processing.send(
            Scheduled(
                family_unit_id=family,
                appointment_id=f"a{number}",
                site="hidalgo",
                appointment_at=at,
                people=1,
                origin=location,
            )
        )
    if operation == "arrive":
        arrival = ArrivedAtPort(
            family_unit_id=family, booking_id="b", site=value, arrived_at=processing.clock.now()
        )
        return processing.send(arrival)
    if operation == "complete":
        return processing.send(CompleteProcessing(family_unit_id=family))
    if operation == "release":
        return processing.send(ReleaseFamily(family_unit_id=family, destination=value))
    if operation == "cancel":
        cancel = ScheduleCancelled(
            family_unit_id=family, appointment_id=case.appointment_id or "none", reason="x"
        )
        return processing.send(cancel)
    members = [Member.model_validate(m) for m in json.loads(case.members)]
    update = RegistrationUpdated(
        family_unit_id=family,
        current_location=location,
        members=[*members, person(f"new{number}", value)],
    )
    return processing.send(update)


def check(processing: Processing, family: str, events: list[Event]) -> None:
    if any(isinstance(e, Processed | Released) for e in events):
        assert {d.status for d in processing.documents(family)} == {"ready"}
    released = [e for e in events if isinstance(e, Released)]
    if released:
        case = processing.case(family)
        assert case is not None and case.processed_at is not None
        assert released[0].released_at >= case.processed_at


# Court nearest the destination


def haversine(a: Place, b: Place) -> float:
    """An independent great-circle distance, for the brute force."""
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    dp, dl = p2 - p1, math.radians(b.longitude - a.longitude)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def brute_force_court(place: Place) -> float:
    return min(haversine(place, c.place) for c in courts.COURTS)


@given(
    latitude=st.floats(min_value=24.5, max_value=49.0),
    longitude=st.floats(min_value=-124.7, max_value=-67.0),
)
def test_the_court_is_the_nearest_to_any_destination(latitude: float, longitude: float) -> None:
    place = Place("somewhere", "US", latitude, longitude)
    chosen = courts.nearest_court(place)
    assert haversine(place, chosen.place) <= brute_force_court(place) + 1e-6


city_names = st.sampled_from(sorted(p.name for p in cities.US_CITIES.values()))


@given(
    city=city_names,
    street=st.sampled_from(["Main St", "Washington Ave", "Lincoln Blvd", "Calle 5"]),
    number=st.integers(min_value=1, max_value=9999),
)
def test_a_sponsor_address_goes_to_the_court_nearest_its_city(
    city: str, street: str, number: int
) -> None:
    place = cities.find_city(f"{number} {street}, {city}, US")
    assert place is not None and place.name == city
    chosen = courts.nearest_court(place)
    assert haversine(place, chosen.place) <= brute_force_court(place) + 1e-6


# Shelters


shelter_sets = st.lists(
    st.tuples(
        st.floats(min_value=25.0, max_value=33.0),
        st.floats(min_value=-118.0, max_value=-97.0),
        st.integers(min_value=0, max_value=12),
    ),
    min_size=1,
    max_size=8,
)
families = st.lists(
    st.tuples(st.sampled_from(sorted(PORTS)), st.integers(min_value=1, max_value=7)), max_size=40
)


@given(seeds=shelter_sets, arrivals=families)
def test_shelters_never_overfill_and_the_nearest_with_room_is_chosen(
    seeds: list[tuple[float, float, int]], arrivals: list[tuple[str, int]]
) -> None:
    state = {
        f"s{i}": shelters.Shelter(f"s{i}", f"S{i}", Place("x", "US", lat, lon), beds, ())
        for i, (lat, lon, beds) in enumerate(seeds)
    }
    for site, size in arrivals:
        near = SITE_PLACES[site]
        chosen = shelters.choose_shelter(state.values(), near, size)
        with_room = [s for s in state.values() if s.beds_free >= size]
        if chosen is None:
            assert with_room == []
            continue
        assert chosen.beds_free >= size
        assert (
            haversine(near, chosen.place) <= min(haversine(near, s.place) for s in with_room) + 1e-6
        )
        state[chosen.id] = shelters.Shelter(
            chosen.id, chosen.name, chosen.place, chosen.beds, (), chosen.held + size
        )
    assert all(s.held <= s.beds for s in state.values())


scheduling = st.lists(
    st.one_of(
        st.tuples(st.just("schedule"), st.sampled_from(sorted(PORTS)), st.integers(1, 9)),
        st.tuples(st.just("cancel"), st.none(), st.integers(0, 30)),
        st.tuples(
            st.just("capacity"),
            st.sampled_from([s.id for s in shelters.SHELTERS]),
            st.integers(0, 12),
        ),
    ),
    max_size=30,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=scheduling)
def test_families_are_held_whole_in_the_nearest_shelter_with_room(
    steps: list[tuple[str, Any, int]],
) -> None:
    processing = Processing()
    scheduled: list[str] = []
    sizes: dict[str, int] = {}
    for number, (operation, value, amount) in enumerate(steps):
        before = {s.id: s for s in processing.shelters()}
        if operation == "capacity":
            processing.send(UpdateShelterCapacity(shelter_id=value, beds=amount))
        elif operation == "cancel" and scheduled:
            family = scheduled[amount % len(scheduled)]
            processing.send(
                ScheduleCancelled(family_unit_id=family, appointment_id=family, reason="x")
            )
        elif operation == "schedule":
            family = f"f{number}"
            sizes[family] = amount
            events = schedule_family(processing, family, value, amount)
            scheduled.append(family)
            assigned = [e for e in events if isinstance(e, ShelterAssigned)]
            near = SITE_PLACES[value]
            with_room = [s for s in before.values() if s.beds_free >= amount]
            if not with_room:
                assert assigned == []
                continue
            (chosen,) = assigned
            nearest = min(with_room, key=lambda s: (haversine(near, s.place), s.id))
            assert chosen.shelter_id == nearest.id and chosen.people == amount
        for hold in processing.holds():
            assert hold.people == sizes[hold.family_unit_id]  # the whole family, one shelter
    for shelter in processing.shelters():
        cut = any(op == "capacity" and value == shelter.id for op, value, _ in steps)
        assert cut or shelter.held <= shelter.beds


def schedule_family(processing: Processing, family: str, site: str, size: int) -> list[Event]:
    members = [person(f"{family}-{i}", "active") for i in range(size)]
    processing.send(
        Registered(
            family_unit_id=family,
            channel="online",
            current_location=Location(city="Reynosa", country="MX"),
            members=members,
            registered_at=NOW,
        )
    )
    return processing.send(
        Scheduled(
            family_unit_id=family,
            appointment_id=family,
            site=site,
            appointment_at=NOW + 48 * HOUR,
            people=size,
            origin=Location(city="Reynosa", country="MX"),
        )
    )
