"""What Kafka delivers badly, scheduling survives: garbage, and the same event again."""

from __future__ import annotations

import json
import uuid

import pytest
from puente_runtime import SystemClock
from puente_runtime.outbox import envelope_for
from puente_schemas import Envelope, Event
from puente_schemas.common import Location
from puente_schemas.events import ArrivedAtPort, Registered, Scheduled
from puente_schemas.topics import REGISTRATION_EVENTS, SCHEDULING_EVENTS, dead_letter_topic

from tests.kafka import broker
from tests.kafka.broker import Record, Tap
from tests.kafka.journey import registered
from tests.kafka.processes import Platform
from tests.polling import eventually

pytestmark = pytest.mark.servers
DLQ = dead_letter_topic(REGISTRATION_EVENTS)


async def test_malformed_message_dead_lettered(platform: Platform, tap: Tap) -> None:
    await platform.start("scheduling")
    family = str(uuid.uuid4())  # garbage first, then a valid event: one key, one partition
    valid = registered(family)
    garbage = {
        "body is not JSON": (b"\xff{not json", valid.headers()),
        "missing CloudEvents headers: ce_id, ce_source, ce_type, ce_specversion": (
            valid.body(),
            {"traceparent": "00-" + "1" * 32 + "-" + "2" * 16 + "-01"},
        ),
        "invalid Registered": (json.dumps({"family_unit_id": family}).encode(), valid.headers()),
    }
    sent: dict[str, Record] = {}
    for reason, (body, headers) in garbage.items():
        sent[reason] = await broker.produce(
            platform.bootstrap, REGISTRATION_EVENTS, key=family, value=body, headers=headers
        )
    await broker.produce(
        platform.bootstrap,
        REGISTRATION_EVENTS,
        key=family,
        value=valid.body(),
        headers=valid.headers(),
    )

    await eventually(
        lambda: tap.count(family, "scheduled"),
        timeout=30,
        what="scheduling to schedule the valid event behind the garbage",
    )
    await platform.settle(tap)

    group = f"{platform.group_prefix}.scheduling"
    letters = [r for r in tap.about(family, topic=DLQ) if r.headers["puente_dlq_consumer"] == group]
    assert len(letters) == len(garbage)
    for (reason, original), letter in zip(sent.items(), letters, strict=True):
        assert reason in letter.headers["puente_dlq_reason"]
        assert letter.headers["puente_dlq_topic"] == REGISTRATION_EVENTS
        assert letter.headers["puente_dlq_partition"] == str(original.partition)
        assert letter.headers["puente_dlq_offset"] == str(original.offset)
        assert letter.value == original.value
    assert tap.count(family, "scheduled") == 1


async def test_redelivered_registered_creates_one_appointment(platform: Platform, tap: Tap) -> None:
    await platform.start("scheduling")
    family = str(uuid.uuid4())
    first = registered(family)
    again_with_new_id = registered(family)
    assert again_with_new_id.id != first.id
    for envelope in (first, first, again_with_new_id):
        await broker.produce(
            platform.bootstrap,
            REGISTRATION_EVENTS,
            key=family,
            value=envelope.body(),
            headers=envelope.headers(),
        )

    await eventually(
        lambda: tap.count(family, "scheduled"), timeout=30, what="scheduling to schedule the family"
    )
    await platform.settle(tap)

    assert [r.short_type for r in tap.about(family, topic=SCHEDULING_EVENTS)] == ["scheduled"]
    assert len(tap.about(family, topic=REGISTRATION_EVENTS)) == 3
    assert all(r.type == Registered.TYPE for r in tap.about(family, topic=REGISTRATION_EVENTS))
    assert tap.about(family, topic=DLQ) == []
    appointments = "SELECT count(*) FROM appointment WHERE family_unit_id = %s"
    assert platform.query("scheduling", appointments, family) == [(1,)]


async def test_events_before_their_cause_wait_and_hold_up_no_one(
    platform: Platform, tap: Tap
) -> None:
    """Processing hears `scheduled` and `arrived-at-port` before `registered` (other topics
    may lag): they wait, another family goes through meanwhile, and both check in."""
    await platform.start("processing")
    early, other = str(uuid.uuid4()), str(uuid.uuid4())
    clock = SystemClock()

    async def send(topic: str, envelope: Envelope) -> None:
        await broker.produce(
            platform.bootstrap,
            topic,
            key=envelope.subject,
            value=envelope.body(),
            headers=envelope.headers(),
        )

    async def send_events(*events: Event) -> None:
        for event in events:
            await send(event.TOPIC, envelope_for(event, source="tests", clock=clock))

    def scheduled(family: str) -> Scheduled:
        return Scheduled(
            family_unit_id=family,
            appointment_id=f"a-{family}",
            site="hidalgo",
            appointment_at=clock.now(),
            people=2,
            origin=Location(city="Reynosa", country="MX"),
        )

    def arrived(family: str) -> ArrivedAtPort:
        return ArrivedAtPort(
            family_unit_id=family, booking_id=f"b-{family}", site="hidalgo", arrived_at=clock.now()
        )

    await send_events(scheduled(early), arrived(early))
    await send(REGISTRATION_EVENTS, registered(other))
    await send_events(scheduled(other), arrived(other))
    await eventually(
        lambda: tap.count(other, "checked-in"),
        timeout=30,
        what="the other family to check in while the early one waits",
    )
    assert tap.count(early, "checked-in") == 0

    await send(REGISTRATION_EVENTS, registered(early))
    await eventually(
        lambda: tap.count(early, "checked-in"),
        timeout=30,
        what="the early family to check in once registered",
    )
    await platform.settle(tap)
    assert tap.count(early, "checked-in") == 1 and tap.count(other, "checked-in") == 1
    assert not [r for r in tap.records if r.topic.endswith(".dlq") and r.key in (early, other)]
