"""CloudEvents on the embedded bus, checked with the official SDK's strict Kafka binding
(`cloudevents.core`): what the relay publishes decodes, what the SDK makes is applied, and a
message that is not a CloudEvent Puente can read is dead-lettered with the reason."""

from __future__ import annotations

import pytest
from puente_runtime import EmbeddedBus, Message, Settings
from puente_schemas.commands import RecordDeparture
from puente_schemas.topics import dead_letter_topic

from tests.cloudevents import sdk_made, sdk_read, sender_and_receiver
from tests.conftest import START
from tests.polling import eventually

TOPIC = RecordDeparture.TOPIC


def made(family: str, *, drop: tuple[str, ...] = ("ce_time",)) -> Message:
    headers, body = sdk_made(family, drop=drop)
    return Message(TOPIC, family, body, headers)


@pytest.fixture
async def world(tmp_path, clock):
    settings = Settings(var_dir=tmp_path, retry_backoff_seconds=0.001)
    bus = EmbeddedBus(tmp_path / "bus.db", poll_seconds=0.02)
    async with sender_and_receiver(bus, settings, clock) as (sender, applied):
        yield bus, sender, applied


async def test_what_the_relay_publishes_is_a_cloudevent_for_the_sdk(world):
    bus, sender, _ = world
    (envelope,) = sender.submit([RecordDeparture(family_unit_id="f1", booking_id="b1")])
    await eventually(lambda: len(bus.read(TOPIC)) == 1)

    (message,) = bus.read(TOPIC)
    event = sdk_read(message.headers, message.key, message.value)

    assert (event.get_id(), event.get_type(), event.get_source()) == (
        envelope.id,
        RecordDeparture.TYPE,
        "/puente/sender",
    )
    assert (event.get_datacontenttype(), event.get_subject(), event.get_time()) == (
        "application/json",
        "f1",
        START,
    )
    assert event.get_data() == {"family_unit_id": "f1", "booking_id": "b1"}


async def test_an_event_the_sdk_made_without_a_time_is_applied_at_its_time_of_receipt(world):
    bus, _, applied = world

    await bus.publish(made("f1"))

    await eventually(lambda: applied == [("f1", START)])
    assert bus.read(dead_letter_topic(TOPIC)) == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"drop": ("ce_id", "ce_source")}, "missing CloudEvents headers: ce_id, ce_source"),
        ({"drop": ("ce_type",)}, "missing CloudEvents headers: ce_type"),
        ({"drop": ("ce_specversion",)}, "missing CloudEvents headers: ce_specversion"),
        ({"ce_specversion": "0.3"}, "ce_specversion: Input should be '1.0'"),
        (
            {"content-type": "text/plain"},
            "content-type: not a JSON media type: the body must be application/json",
        ),
    ],
)
async def test_a_message_that_is_not_a_cloudevent_puente_reads_is_dead_lettered(
    world, change, reason
):
    bus, _, applied = world
    drop = change.pop("drop", ())
    bad = made("bad", drop=drop)
    await bus.publish(Message(TOPIC, "bad", bad.value, {**bad.headers, **change}))
    await bus.publish(made("good"))

    await eventually(lambda: [family for family, _ in applied] == ["good"])
    (dead,) = bus.read(dead_letter_topic(TOPIC))
    assert dead.headers["puente_dlq_reason"] == f"malformed: {reason}"
    assert dead.value == bad.value
