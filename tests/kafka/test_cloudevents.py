"""CloudEvents on a real Kafka broker, checked with the official SDK's strict Kafka binding
(`cloudevents.core`), as a partner's consumer and producer would: what the relay and the bus
publish through FastStream decodes, and an event the SDK made is applied."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator

import pytest
from puente_runtime import KafkaBus, Service, Settings
from puente_runtime.messages import to_message
from puente_runtime.outbox import envelope_for
from puente_schemas.commands import RecordDeparture

from tests.cloudevents import Applied, sdk_made, sdk_read, sender_and_receiver
from tests.conftest import START
from tests.kafka import broker
from tests.kafka.broker import Offsets, Record, Tap
from tests.polling import eventually

pytestmark = pytest.mark.servers
TOPIC = RecordDeparture.TOPIC


def departure(family: str) -> RecordDeparture:
    return RecordDeparture(family_unit_id=family, booking_id="b1")


@pytest.fixture
async def world(
    tmp_path, clock, kafka_bootstrap: str, start_offsets: Offsets
) -> AsyncIterator[tuple[KafkaBus, Service, Applied]]:
    """A sender and a receiver on the broker; the receiver's group starts where the test did."""
    settings = Settings(var_dir=tmp_path, group_prefix=f"puente-t{secrets.token_hex(4)}")
    await broker.commit_offsets(
        kafka_bootstrap,
        f"{settings.group_prefix}.receiver",
        {tp: offset for tp, offset in start_offsets.items() if tp.topic == TOPIC},
    )
    bus = KafkaBus(kafka_bootstrap, client_id="puente-test-cloudevents")
    async with sender_and_receiver(bus, settings, clock) as (sender, applied):
        yield bus, sender, applied


async def test_what_the_relay_and_the_bus_publish_the_sdk_reads(world, tap: Tap, clock) -> None:
    bus, sender, _ = world
    relayed, direct = str(uuid.uuid4()), str(uuid.uuid4())
    (through_relay,) = sender.submit([departure(relayed)])
    published = envelope_for(departure(direct), source="sender", clock=clock)
    await bus.publish(to_message(published, TOPIC, {}))

    def both() -> list[Record]:
        found = [r for family in (relayed, direct) for r in tap.about(family, topic=TOPIC)]
        return found if len(found) == 2 else []

    records = await eventually(both, timeout=20, what="both departures on the broker")

    for record, envelope in zip(records, (through_relay, published), strict=True):
        event = sdk_read(record.headers, record.key, record.value)
        assert (event.get_id(), event.get_type(), event.get_subject()) == (
            envelope.id,
            RecordDeparture.TYPE,
            envelope.subject,
        )
        assert (event.get_datacontenttype(), event.get_time()) == ("application/json", START)
        assert event.get_data() == envelope.data


async def test_an_event_a_partner_made_with_the_sdk_is_applied(world, kafka_bootstrap) -> None:
    _, _, applied = world
    family = str(uuid.uuid4())
    headers, body = sdk_made(family)

    await broker.produce(kafka_bootstrap, TOPIC, key=family, value=body, headers=headers)

    await eventually(
        lambda: (family, START) in applied, timeout=30, what="the receiver to apply the event"
    )
