"""CloudEvents as a partner's code handles them, through the official SDK's strict Kafka
binding (`cloudevents.core`, binary content mode), for the runtime and Kafka tiers."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping

from cloudevents.core.bindings import kafka
from cloudevents.core.v1.event import CloudEvent
from puente_runtime import Bus, Clock, Context, Service, Settings
from puente_schemas.commands import RecordDeparture

Applied = list[tuple[str, object]]


def sdk_read(headers: Mapping[str, str], key: str, value: bytes) -> CloudEvent:
    """Decode as a partner would: strict, every header as bytes."""
    raw = kafka.KafkaMessage(
        headers={k: v.encode() for k, v in headers.items()}, key=key.encode(), value=value
    )
    return kafka.from_binary_event(raw)


def sdk_made(family: str, *, drop: tuple[str, ...] = ("ce_time",)) -> tuple[dict[str, str], bytes]:
    """Headers and body of a departure a partner made with the SDK, with only the required
    attributes: the SDK stamps a time on every event, which its producer may leave out."""
    event = CloudEvent(
        {"type": RecordDeparture.TYPE, "source": "/partner/iom"},
        {"family_unit_id": family, "booking_id": "b1"},
    )
    made = kafka.to_binary_event(event)
    return {k: v.decode() for k, v in made.headers.items() if k not in drop}, made.value


@contextlib.asynccontextmanager
async def sender_and_receiver(
    bus: Bus, settings: Settings, clock: Clock
) -> AsyncIterator[tuple[Service, Applied]]:
    """A sender, and a receiver that records each departure it applies, with its time."""
    applied: Applied = []

    def handle(command: RecordDeparture, ctx: Context) -> list[object]:
        applied.append((command.family_unit_id, ctx.envelope.time))
        return []

    receiver = Service(
        name="receiver", settings=settings, bus=bus, clock=clock, handlers={RecordDeparture: handle}
    )
    sender = Service(name="sender", settings=settings, bus=bus, clock=clock)
    await bus.start()
    for service in (receiver, sender):
        await service.start()
    try:
        yield sender, applied
    finally:
        for service in (receiver, sender):
            await service.stop()
        await bus.stop()
