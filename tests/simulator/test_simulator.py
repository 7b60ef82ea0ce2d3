"""The field simulator: planned actions fire as commands when the clock reaches them, on
the case's correlation id and trace, from `/puente/simulator` and marked simulated."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

import pytest
from puente_schemas import Envelope
from puente_schemas.events import CheckedIn, PreparedDocument, Processed, TransportBooked
from puente_schemas.topics import PROCESSING_COMMANDS, TRANSPORT_COMMANDS
from puente_simulator.tables import FieldAction
from sqlmodel import Session, select

from tests.polling import eventually

from .conftest import T0, TRACEPARENT, Field

HOUR = dt.timedelta(hours=1)


def commands(harness: Field, topic: str) -> list[tuple[str, Envelope, str]]:
    sent = harness.bus.read(topic)
    return [
        (
            Envelope.from_kafka(m.headers, m.value).type.split(".")[-2],
            Envelope.from_kafka(m.headers, m.value),
            m.headers["traceparent"],
        )
        for m in sent
    ]


def planned(harness: Field) -> int:
    with Session(harness.service.engine) as session:
        return len(session.exec(select(FieldAction)).all())


@pytest.fixture
async def simulating(make_field: Callable[..., Field]) -> Field:
    """The happy path: no family is picked for a late vehicle or a missed pick-up."""
    harness = make_field(simulator_late_every=0, simulator_missed_every=0)
    await harness.start()
    return harness


async def test_a_booking_becomes_a_departure_then_an_arrival(
    simulating: Field,
) -> None:
    harness, fid = simulating, str(uuid.uuid4())
    booked = await harness.publish(
        TransportBooked(
            family_unit_id=fid,
            booking_id="bk-1",
            appointment_id="ap-1",
            site="brownsville",
            origin_city="Matamoros",
            pickup_point="Plaza",
            departure_at=T0 + HOUR,
            arrival_at=T0 + 3 * HOUR,
            seats=2,
            travel_documents=[],
        ),
        correlation_id="case-1",
    )
    await eventually(lambda: planned(harness) == 2)
    assert commands(harness, TRANSPORT_COMMANDS) == []

    harness.clock.advance(HOUR)
    departure = await eventually(lambda: commands(harness, TRANSPORT_COMMANDS))
    harness.clock.advance(2 * HOUR)
    sent = await eventually(lambda: (c := commands(harness, TRANSPORT_COMMANDS))[1:] and c)

    assert [name for name, _, _ in departure] == ["record-departure"]
    assert [name for name, _, _ in sent] == ["record-departure", "record-arrival"]
    for _, envelope, traceparent in sent:
        assert envelope.source == "/puente/simulator" and envelope.simulated
        assert envelope.correlation_id == booked.correlation_id
        assert envelope.subject == fid
        assert traceparent.split("-")[1] == TRACEPARENT.split("-")[1]
    assert sent[1][1].data == {"family_unit_id": fid, "booking_id": "bk-1", "site": "brownsville"}


async def test_port_officers_finish_processing_then_release(simulating: Field) -> None:
    harness, fid = simulating, str(uuid.uuid4())
    await harness.publish(CheckedIn(family_unit_id=fid, site="brownsville", checked_in_at=T0))
    await harness.publish(
        Processed(
            family_unit_id=fid,
            site="brownsville",
            processed_at=T0 + 2 * HOUR,
            documents=[PreparedDocument(member_id="m-1", kind="parole")],
        )
    )
    await eventually(lambda: planned(harness) == 2)

    harness.clock.advance(2 * HOUR)
    first = await eventually(lambda: commands(harness, PROCESSING_COMMANDS))
    harness.clock.advance(dt.timedelta(minutes=30))
    both = await eventually(lambda: (c := commands(harness, PROCESSING_COMMANDS))[1:] and c)

    assert [name for name, _, _ in first] == ["complete-processing"]
    assert [name for name, _, _ in both] == ["complete-processing", "release-family"]


async def test_the_demo_says_so(
    make_field: Callable[..., Field], capsys: pytest.CaptureFixture[str]
) -> None:
    await make_field().start()
    await eventually(lambda: "demo: simulated field operations" in capsys.readouterr().out)
