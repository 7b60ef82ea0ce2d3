"""The transport service on the embedded bus: bookings from scheduling's decisions, seats given
back, the field's reports and their refusals; then the whole platform when a convoy fails."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from puente_platform import create_platform
from puente_platform.settings import PlatformSettings
from puente_runtime import EmbeddedBus, FakeClock, Settings
from puente_runtime.messages import to_message
from puente_runtime.outbox import envelope_for
from puente_schemas import Envelope
from puente_schemas.commands import (
    Command,
    RecordArrival,
    RecordDeparture,
    ReportDelay,
    ReportMissedPickup,
)
from puente_schemas.common import Location
from puente_schemas.events import Event, Rescheduled, ScheduleCancelled, Scheduled
from puente_schemas.topics import SCHEDULING_EVENTS, TRANSPORT_EVENTS
from puente_transport import create_app
from puente_transport.domain import SAFETY_MARGIN
from puente_transport.routes import ROUTES
from puente_transport.tables import BookingRow
from sqlmodel import Session, select

from tests.conftest import START, adult, child, family
from tests.polling import eventually

MONDAY_8 = dt.datetime(2026, 11, 30, 8, tzinfo=dt.UTC)  # START is Saturday noon
DAY = dt.timedelta(days=1)
OUTCOMES = ("transport-booked", "transport-failed")


def small_buses(seats: int) -> dict:
    """The route table with one bus of `seats` seats per departure from Tijuana."""
    key = ("tijuana", "san-ysidro")
    timetable = dataclasses.replace(
        ROUTES[key].timetable, vehicles_per_departure=1, seats_per_vehicle=seats
    )
    return {**ROUTES, key: dataclasses.replace(ROUTES[key], timetable=timetable)}


class Rig:
    def __init__(self, tmp_path, routes) -> None:
        self.clock = FakeClock(START)
        self.bus = EmbeddedBus(tmp_path / "bus.db", poll_seconds=0.01)
        settings = Settings(var_dir=tmp_path, relay_poll_seconds=0.02)
        self.service = create_app(settings=settings, bus=self.bus, clock=self.clock, routes=routes)

    async def send(self, contract: Event | Command) -> Envelope:
        envelope = envelope_for(contract, source="test", clock=self.clock)
        await self.bus.publish(to_message(envelope, contract.TOPIC, {}))
        return envelope

    def events(self, family: str) -> list[tuple[str, dict[str, Any]]]:
        return [
            (m.headers["ce_type"].split(".")[-2], Envelope.from_kafka(m.headers, m.value).data)
            for m in self.bus.read(TRANSPORT_EVENTS)
            if m.key == family
        ]

    async def answer(self, contract: Event | Command, family: str) -> tuple[str, dict]:
        """Send and wait for the family's next transport event."""
        seen = len(self.events(family))
        await self.send(contract)
        await eventually(lambda: len(self.events(family)) > seen)
        return self.events(family)[seen]

    def rows(self, family: str) -> list[BookingRow]:
        with Session(self.service.engine) as session:
            query = select(BookingRow).where(BookingRow.family_unit_id == family)
            return list(session.exec(query).all())


@pytest.fixture
async def rig(tmp_path, request):
    built = Rig(tmp_path, getattr(request, "param", ROUTES))
    await built.bus.start()
    await built.service.start()
    yield built
    await built.service.stop()
    await built.bus.stop()


def scheduled(family: str, *, city="Tijuana", site="san-ysidro", at=MONDAY_8, people=3, **more):
    values: dict[str, Any] = {
        "family_unit_id": family,
        "appointment_id": f"a-{family}",
        "site": site,
        "appointment_at": at,
        "people": people,
        "origin": Location(city=city, country=more.pop("country", "MX")),
    }
    return Scheduled(**(values | more))


def rescheduled(family: str, at: dt.datetime, **more: Any) -> Rescheduled:
    return Rescheduled(**scheduled(family, at=at, **more).model_dump(), reason="moved")


async def test_a_scheduled_family_is_booked_once_even_when_told_twice(rig):
    kind, booked = await rig.answer(scheduled("f1"), "f1")
    assert kind == "transport-booked"
    assert booked["route_id"] == "tijuana--san-ysidro"
    assert booked["vehicle_id"] == "tijuana--san-ysidro@2026-11-30T0400Z#1"
    assert booked["departure_at"] == "2026-11-30T04:00:00Z"
    assert (booked["seats"], booked["cost_to_family"], booked["risk"]) == (3, 0, "low")
    assert booked["escorted_convoy"] is False
    assert booked["travel_documents"] == ["appointment letter"]
    assert booked["seat_status"] == "booked"
    again = next(m for m in rig.bus.read(Scheduled.TOPIC) if m.key == "f1")
    await rig.bus.publish(again)  # redelivered as is
    await rig.send(scheduled("f1"))  # and the same appointment announced again
    await rig.answer(scheduled("f2"), "f2")  # f2 is answered after both
    assert [kind for kind, _ in rig.events("f1")] == ["transport-booked"]
    assert len(rig.rows("f1")) == 1


@pytest.mark.parametrize("rig", [small_buses(4)], indirect=True)
async def test_a_moved_appointment_gives_back_the_seats_and_books_anew(rig):
    _, first = await rig.answer(scheduled("f1"), "f1")
    await rig.send(rescheduled("f1", MONDAY_8 + DAY))
    await eventually(lambda: len(rig.events("f1")) == 3)
    (_, _), (cancelled_kind, cancelled), (booked_kind, booked) = rig.events("f1")
    assert (cancelled_kind, cancelled["booking_id"]) == ("booking-cancelled", first["booking_id"])
    assert booked_kind == "transport-booked" and booked["departure_at"] == "2026-12-01T04:00:00Z"
    _, other = await rig.answer(scheduled("f2", people=4), "f2")
    assert other["vehicle_id"] == first["vehicle_id"]  # the seats f1 gave back


@pytest.mark.parametrize("rig", [small_buses(4)], indirect=True)
async def test_a_cancelled_appointment_gives_back_the_seats(rig):
    _, first = await rig.answer(scheduled("f1"), "f1")
    cancel = ScheduleCancelled(family_unit_id="f1", appointment_id="a-f1", reason="withdrawn")
    kind, cancelled = await rig.answer(cancel, "f1")
    assert (kind, cancelled["booking_id"]) == ("booking-cancelled", first["booking_id"])
    assert cancelled["reason"] == "the appointment was cancelled: withdrawn"
    assert cancelled["seat_status"] == "cancelled"
    _, other = await rig.answer(scheduled("f2", people=4), "f2")
    assert other["vehicle_id"] == first["vehicle_id"]


@pytest.mark.parametrize("rig", [small_buses(4)], indirect=True)
async def test_a_full_vehicle_sends_the_next_family_on_an_earlier_one(rig):
    await rig.answer(scheduled("f1"), "f1")
    _, other = await rig.answer(scheduled("f2", people=2), "f2")
    assert other["departure_at"] == "2026-11-29T20:00:00Z"


async def test_no_convoy_in_time_fails_with_the_reason_and_holds_no_seat(rig):
    kind, failed = await rig.answer(scheduled("f1", city="Hermosillo", site="nogales"), "f1")
    assert kind == "transport-failed" and failed["appointment_id"] == "a-f1"
    assert failed["reason"].startswith("no convoy in time: ")
    assert (failed["booking_id"], failed["seat_status"]) == (None, None)  # no seats were held
    assert [row.status for row in rig.rows("f1")] == ["failed"]


async def test_an_unknown_city_fails_with_the_reason(rig):
    kind, failed = await rig.answer(scheduled("f1", city="Atlantis"), "f1")
    assert kind == "transport-failed"
    assert failed["reason"] == "unknown origin city 'Atlantis': no route from there"


async def test_a_family_already_in_the_united_states_needs_no_transport(rig):
    await rig.send(scheduled("f1", city="San Diego", country="US"))
    await rig.answer(scheduled("f2"), "f2")
    assert rig.events("f1") == [] and rig.rows("f1") == []


async def booked(rig, family: str = "f1", **changes: Any) -> str:
    _, event = await rig.answer(scheduled(family, **changes), family)
    return event["booking_id"]


async def test_departure_delay_and_arrival_are_recorded(rig):
    booking = await booked(rig)
    rig.clock.advance(dt.timedelta(hours=40, minutes=10))  # Monday 04:10, ten minutes late
    kind, departed = await rig.answer(
        RecordDeparture(family_unit_id="f1", booking_id=booking), "f1"
    )
    assert kind == "transport-departed"
    assert departed["departed_at"] == "2026-11-30T04:10:00Z"
    assert departed["expected_arrival_at"] == "2026-11-30T04:41:54Z"
    assert departed["seat_status"] == "departed"
    delay = ReportDelay(family_unit_id="f1", booking_id=booking, delay_minutes=60)
    kind, delayed = await rig.answer(delay, "f1")
    assert (kind, delayed["expected_arrival_at"]) == ("transport-departed", "2026-11-30T05:41:54Z")
    arrival = RecordArrival(family_unit_id="f1", booking_id=booking, site="san-ysidro")
    kind, arrived = await rig.answer(arrival, "f1")
    assert (kind, arrived["site"], arrived["booking_id"]) == (
        "arrived-at-port",
        "san-ysidro",
        booking,
    )
    assert arrived["seat_status"] == "arrived"


async def test_a_vehicle_late_for_the_appointment_fails_the_booking(rig):
    booking = await booked(rig)
    await rig.answer(RecordDeparture(family_unit_id="f1", booking_id=booking), "f1")
    delay = ReportDelay(family_unit_id="f1", booking_id=booking, delay_minutes=48 * 60)
    kind, failed = await rig.answer(delay, "f1")
    assert kind == "transport-failed" and failed["reason"].startswith("vehicle late: expected ")
    assert (failed["booking_id"], failed["seat_status"]) == (booking, "failed")
    assert [row.status for row in rig.rows("f1")] == ["late"]


@pytest.mark.parametrize("rig", [small_buses(4)], indirect=True)
async def test_a_missed_pick_up_fails_the_booking_and_gives_back_the_seats(rig):
    booking = await booked(rig)
    kind, failed = await rig.answer(
        ReportMissedPickup(family_unit_id="f1", booking_id=booking), "f1"
    )
    assert kind == "transport-failed"
    assert failed["reason"] == (
        "missed pick-up: nobody came to IOM pick-up point, Tijuana for 2026-11-30 04:00 UTC"
    )
    assert (failed["booking_id"], failed["seat_status"]) == (booking, "failed")
    _, other = await rig.answer(scheduled("f2", people=4), "f2")
    assert other["departure_at"] == "2026-11-30T04:00:00Z"


def rejected(answer: tuple[str, dict]) -> list[tuple[str, str]]:
    kind, event = answer
    assert kind == "command-rejected"
    return [(e["field"], e["message"]) for e in event["errors"]]


async def test_invalid_reports_are_refused_by_name_and_change_nothing(rig):
    booking = await booked(rig)
    await booked(rig, "f2")
    before = [row.model_dump() for row in rig.rows("f1")]
    assert rejected(
        await rig.answer(RecordDeparture(family_unit_id="f1", booking_id="nope"), "f1")
    ) == [("booking_id", "no booking 'nope'")]
    assert rejected(
        await rig.answer(RecordDeparture(family_unit_id="f2", booking_id=booking), "f2")
    ) == [("family_unit_id", "the booking is another family's")]
    wrong_site = RecordArrival(family_unit_id="f1", booking_id=booking, site="calexico")
    assert rejected(await rig.answer(wrong_site, "f1")) == [
        ("site", "the booking goes to san-ysidro, not calexico")
    ]
    negative = ReportDelay(family_unit_id="f1", booking_id=booking, delay_minutes=-5)
    assert rejected(await rig.answer(negative, "f1")) == [
        ("delay_minutes", "must not be negative"),
    ]
    assert [row.model_dump() for row in rig.rows("f1")] == before
    assert [kind for kind, _ in rig.events("f2")] == ["transport-booked", "command-rejected"]


async def test_a_second_departure_and_an_arrival_after_cancelling_are_refused(rig):
    booking = await booked(rig)
    departure = RecordDeparture(family_unit_id="f1", booking_id=booking)
    await rig.answer(departure, "f1")
    assert rejected(await rig.answer(departure, "f1")) == [
        ("booking_id", "already left 2026-11-28 12:00 UTC")
    ]
    cancel = ScheduleCancelled(family_unit_id="f1", appointment_id="a-f1", reason="withdrawn")
    await rig.answer(cancel, "f1")
    arrival = RecordArrival(family_unit_id="f1", booking_id=booking, site="san-ysidro")
    assert rejected(await rig.answer(arrival, "f1")) == [
        ("booking_id", "is cancelled: the appointment was cancelled: withdrawn")
    ]
    assert [row.status for row in rig.rows("f1")] == ["cancelled"]


@pytest.fixture
async def platform(tmp_path):
    """The whole platform in one process on a clock the test holds still."""
    clock = FakeClock(START)
    bus = EmbeddedBus(tmp_path / "bus.db", poll_seconds=0.01)
    settings = PlatformSettings(var_dir=tmp_path, relay_poll_seconds=0.02)
    built = create_platform(settings=settings, bus=bus, clock=clock)
    await bus.start()
    for service in built.all_services:
        await service.start()
    yield built, bus, clock
    for service in built.all_services:
        await service.stop()
    await bus.stop()


def journey(bus: EmbeddedBus, family: str) -> list[tuple[str, dict[str, Any]]]:
    """The family's scheduling and transport events, in the order each topic has them."""
    return [
        (m.headers["ce_type"].split(".")[-2], Envelope.from_kafka(m.headers, m.value).data)
        for topic in (SCHEDULING_EVENTS, TRANSPORT_EVENTS)
        for m in bus.read(topic)
        if m.key == family
    ]


def appointments(bus: EmbeddedBus, family: str) -> list[dict[str, Any]]:
    return [e for kind, e in journey(bus, family) if kind in ("scheduled", "rescheduled")]


async def register_in_hermosillo(bus: EmbeddedBus, clock: FakeClock) -> str:
    """A family in Hermosillo: every road from there is travelled in an escorted convoy, and on
    Saturday noon the last convoys have left (Friday's, Thursday's)."""
    command = family("f-sonora", adult("A123456789"), child(), city="Hermosillo")
    envelope = envelope_for(command, source="test", clock=clock)
    await bus.publish(to_message(envelope, command.TOPIC, {}))
    return command.family_unit_id


async def test_no_convoy_in_time_is_answered_for_every_appointment_scheduling_gives(platform):
    built, bus, clock = platform
    family_id = await register_in_hermosillo(bus, clock)
    await eventually(lambda: any(k == "transport-failed" for k, _ in journey(bus, family_id)))
    first = appointments(bus, family_id)[0]
    failures = [e for k, e in journey(bus, family_id) if k == "transport-failed"]
    assert failures[0]["appointment_id"] == first["appointment_id"]
    assert failures[0]["reason"].startswith("no convoy in time: the last convoy")

    def answered() -> bool:
        asked = {a["appointment_id"] for a in appointments(bus, family_id)}
        answers = {e["appointment_id"] for k, e in journey(bus, family_id) if k in OUTCOMES}
        return bool(asked) and asked == answers

    settled = ("schedule-cancelled", "transport-booked")  # gave up, or booked at last
    await eventually(lambda: any(k in settled for k, _ in journey(bus, family_id)), timeout=10)
    await eventually(answered)
    transport = next(s for s in built.services if s.name == "transport")
    with Session(transport.engine) as session:
        rows = session.exec(select(BookingRow).where(BookingRow.family_unit_id == family_id))
        holding = [row for row in rows if row.status in ("booked", "departed")]
    booked = [e for k, e in journey(bus, family_id) if k == "transport-booked"]
    assert len(holding) == min(len(booked), 1)  # seats held only by a booking, and one only


async def test_a_family_whose_convoy_could_not_make_it_is_rescheduled_and_booked(platform):
    _, bus, clock = platform
    family_id = await register_in_hermosillo(bus, clock)
    await eventually(
        lambda: any(k == "transport-booked" for k, _ in journey(bus, family_id)), timeout=10
    )
    kinds = [k for k, _ in journey(bus, family_id)]
    assert kinds.index("transport-failed") < kinds.index("transport-booked")
    booked = next(e for k, e in journey(bus, family_id) if k == "transport-booked")
    appointment = next(
        a for a in appointments(bus, family_id) if a["appointment_id"] == booked["appointment_id"]
    )
    assert booked["escorted_convoy"] is True and booked["risk"] == "high"
    departure = dt.datetime.fromisoformat(booked["departure_at"])
    assert departure.weekday() in ROUTES[("hermosillo", appointment["site"])].timetable.weekdays
    arrival = dt.datetime.fromisoformat(booked["arrival_at"])
    assert arrival + SAFETY_MARGIN <= dt.datetime.fromisoformat(appointment["appointment_at"])
