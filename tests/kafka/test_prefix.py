"""PUENTE_TOPIC_PREFIX on a real broker: two Puentes with the same consumer group names but
different prefixes (a `make up` and a test run, say) each receive only their own messages."""

from __future__ import annotations

import secrets
import uuid

import pytest
from puente_runtime import KafkaBus, Message
from puente_runtime.prefix import PrefixedBus
from puente_schemas.topics import TRANSPORT_COMMANDS

from tests.polling import eventually

pytestmark = pytest.mark.servers


async def test_two_prefixes_on_one_broker_never_read_each_others_messages(
    kafka_bootstrap: str,
) -> None:
    run = secrets.token_hex(4)
    buses = {
        name: PrefixedBus(KafkaBus(kafka_bootstrap, client_id=f"puente-{name}"), f"{name}-{run}.")
        for name in ("up", "tests")
    }
    received: dict[str, list[Message]] = {name: [] for name in buses}
    for name, bus in buses.items():

        async def handle(message: Message, name: str = name) -> None:
            received[name].append(message)

        bus.subscribe([TRANSPORT_COMMANDS], "puente.transport", handle)  # the same group
    for bus in buses.values():
        await bus.start()
    keys = {name: str(uuid.uuid4()) for name in buses}
    try:
        for name, bus in buses.items():
            await bus.publish(Message(TRANSPORT_COMMANDS, keys[name], b"{}"))
        await eventually(lambda: all(received.values()), timeout=30, what="each bus's own message")
    finally:
        for bus in buses.values():
            await bus.stop()
    for name in buses:
        assert [(m.topic, m.key) for m in received[name]] == [(TRANSPORT_COMMANDS, keys[name])]
