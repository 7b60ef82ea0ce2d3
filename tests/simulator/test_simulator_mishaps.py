"""The field simulator's unhappy cases and its hotline: the families picked by their id's hash
have a late vehicle or miss their pick-up (once: the new booking goes well), and every
call-back is made at its time; each command on the case's correlation id and trace."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
from collections.abc import Callable

import pytest
from puente_schemas import Envelope
from puente_schemas.common import Location
from puente_schemas.events import (
    BookingCancelled,
    CallbackBooked,
    Rescheduled,
    TransportFailed,
)
from puente_schemas.topics import REGISTRATION_COMMANDS, TRANSPORT_COMMANDS
from puente_simulator import domain

from tests.gateway.support import booked, scheduled
from tests.polling import eventually

from .conftest import T0, TRACEPARENT, Field

HOUR = dt.timedelta(hours=1)
APPOINTMENT = T0 + dt.timedelta(days=1)  # the booking below arrives at T0 + 4 h
LATE_EVERY, MISSED_EVERY = 7, 11


def families_playing(mishap: str | None, count: int = 1) -> list[str]:
    """The first family ids the hash picks for `mishap` (None: for no mishap)."""
    ids = (f"family-{number}" for number in itertools.count())
    return list(
        itertools.islice(
            (
                fid
                for fid in ids
                if domain.mishap_for(fid, late_every=LATE_EVERY, missed_every=MISSED_EVERY)
                == mishap
            ),
            count,
        )
    )


def family_playing(mishap: str | None) -> str:
    return families_playing(mishap)[0]


def names(envelopes: list[Envelope]) -> list[str]:
    return [e.type.split(".")[-2] for e in envelopes]


def trips(envelopes: list[Envelope]) -> list[tuple[str, str]]:
    """(command, booking) of each transport command."""
    return [(e.type.split(".")[-2], e.data["booking_id"]) for e in envelopes]


@pytest.fixture
async def simulating(make_field: Callable[..., Field]) -> Field:
    harness = make_field(simulator_late_every=LATE_EVERY, simulator_missed_every=MISSED_EVERY)
    await harness.start()
    return harness


async def advance_to(harness: Field, moment: dt.datetime, topic: str, count: int) -> None:
    harness.clock.current = moment
    await eventually(lambda: len(harness.bus.read(topic)) >= count)


def test_the_share_of_families_is_the_settings_and_zero_turns_it_off() -> None:
    ids = [f"family-{n}" for n in range(7000)]
    chosen = [domain.mishap_for(f, late_every=7, missed_every=11) for f in ids]
    never = {domain.mishap_for(f, late_every=0, missed_every=0) for f in ids}

    assert 0.06 < chosen.count(domain.MISSED) / len(ids) < 0.12
    assert 0.10 < chosen.count(domain.LATE) / len(ids) < 0.16
    assert never == {None}


async def test_a_late_vehicle_misses_the_appointment_then_the_new_booking_goes_well(
    simulating: Field,
) -> None:
    harness, fid = simulating, family_playing(domain.LATE)
    # The booking may reach the simulator before its appointment: it waits for it.
    first = await harness.publish(booked(fid, "bk-1", departure_at=T0 + HOUR), correlation_id="c")
    await harness.publish(scheduled(fid, appointment_at=APPOINTMENT))

    await advance_to(harness, T0 + HOUR, TRANSPORT_COMMANDS, 1)
    await advance_to(harness, T0 + 2.5 * HOUR, TRANSPORT_COMMANDS, 2)
    harness.clock.current = APPOINTMENT
    await harness.publish(
        TransportFailed(family_unit_id=fid, appointment_id=f"ap-{fid}", reason="vehicle late")
    )
    moved = APPOINTMENT + dt.timedelta(days=2)
    await harness.publish(
        Rescheduled(
            family_unit_id=fid,
            appointment_id=f"ap-{fid}",
            site="brownsville",
            appointment_at=moved,
            people=2,
            origin=Location(city="Matamoros", country="MX"),
            reason="transport failed",
        )
    )
    await harness.publish(booked(fid, "bk-2", departure_at=moved - 6 * HOUR))
    await advance_to(harness, moved - 6 * HOUR, TRANSPORT_COMMANDS, 3)
    await advance_to(harness, moved - 3 * HOUR, TRANSPORT_COMMANDS, 4)

    commands = harness.sent(TRANSPORT_COMMANDS)
    assert trips(commands) == [
        ("record-departure", "bk-1"),
        ("report-delay", "bk-1"),
        ("record-departure", "bk-2"),
        ("record-arrival", "bk-2"),
    ]
    # Planned arrival T0 + 4 h; the appointment a day later; an hour past it.
    assert commands[1].data["delay_minutes"] == (20 + 1) * 60
    assert commands[1].correlation_id == first.correlation_id
    traces = {m.headers["traceparent"].split("-")[1] for m in harness.bus.read(TRANSPORT_COMMANDS)}
    assert traces == {TRACEPARENT.split("-")[1]}


async def test_a_family_picked_for_it_misses_its_pick_up_once(simulating: Field) -> None:
    harness, fid = simulating, family_playing(domain.MISSED)
    await harness.publish(scheduled(fid, appointment_at=APPOINTMENT))
    await harness.publish(booked(fid, "bk-1", departure_at=T0 + HOUR))
    await advance_to(harness, T0 + HOUR, TRANSPORT_COMMANDS, 1)
    await harness.publish(
        TransportFailed(family_unit_id=fid, appointment_id=f"ap-{fid}", reason="missed pick-up")
    )
    await harness.publish(booked(fid, "bk-2", departure_at=T0 + 10 * HOUR))
    await advance_to(harness, T0 + 13 * HOUR, TRANSPORT_COMMANDS, 3)

    commands = harness.sent(TRANSPORT_COMMANDS)
    assert trips(commands) == [
        ("report-missed-pickup", "bk-1"),
        ("record-departure", "bk-2"),
        ("record-arrival", "bk-2"),
    ]


async def test_a_cancelled_booking_is_not_played(simulating: Field) -> None:
    harness = simulating
    fid, other = families_playing(None, count=2)
    await harness.publish(booked(fid, "bk-1", departure_at=T0 + HOUR))
    await harness.publish(
        BookingCancelled(family_unit_id=fid, booking_id="bk-1", reason="appointment moved")
    )
    await harness.publish(booked(fid, "bk-2", departure_at=T0 + 2 * HOUR))
    await harness.publish(booked(other, "bk-3", departure_at=T0 + HOUR))
    await eventually(lambda: harness.pending() == 4)
    await advance_to(harness, T0 + 5 * HOUR, TRANSPORT_COMMANDS, 4)

    commands = harness.sent(TRANSPORT_COMMANDS)
    assert sorted(c.data["booking_id"] for c in commands) == ["bk-2", "bk-2", "bk-3", "bk-3"]


async def test_the_hotline_makes_each_call_back_at_its_time(simulating: Field) -> None:
    harness = simulating
    await harness.publish(
        CallbackBooked(
            callback_id="cb-1", family_unit_id="f-1", due_at=T0 + 2 * HOUR, operator="operator-02"
        ),
        correlation_id="case-1",
    )
    await eventually(lambda: harness.pending() == 1)
    harness.clock.current = T0 + HOUR
    await asyncio.sleep(0.3)
    assert harness.bus.read(REGISTRATION_COMMANDS) == []

    await advance_to(harness, T0 + 2 * HOUR, REGISTRATION_COMMANDS, 1)

    [call] = harness.sent(REGISTRATION_COMMANDS)
    assert names([call]) == ["record-callback"]
    assert call.data == {
        "family_unit_id": "f-1",
        "callback_id": "cb-1",
        "operator": "operator-02",
        "outcome": "reached",
    }
    assert call.correlation_id == "case-1"
