"""PUENTE_TOPIC_PREFIX: two Puentes on one bus, each on its own topics, read none of each
other's messages, and their handlers see the topics as the contracts spell them."""

from __future__ import annotations

from pathlib import Path

from puente_runtime import EmbeddedBus, Message, Settings
from puente_runtime.prefix import PrefixedBus
from puente_runtime.run import make_bus
from puente_schemas.topics import TRANSPORT_COMMANDS

from tests.polling import eventually


async def test_two_prefixes_on_one_bus_never_read_each_others_messages(tmp_path: Path) -> None:
    shared = EmbeddedBus(tmp_path / "bus.db", poll_seconds=0.02)
    tests, demo = PrefixedBus(shared, "tests."), PrefixedBus(shared, "demo.")
    received: dict[str, list[Message]] = {"tests": [], "demo": []}

    async def to_tests(message: Message) -> None:
        received["tests"].append(message)

    async def to_demo(message: Message) -> None:
        received["demo"].append(message)

    tests.subscribe([TRANSPORT_COMMANDS], "puente.transport", to_tests)  # the same group name
    demo.subscribe([TRANSPORT_COMMANDS], "puente.transport", to_demo)
    await shared.start()
    try:
        await tests.publish(Message(TRANSPORT_COMMANDS, "f1", b"{}"))
        await demo.publish_batch([Message(TRANSPORT_COMMANDS, "f2", b"{}")])
        await eventually(lambda: received["tests"] and received["demo"], what="both messages")
        assert [m.key for m in shared.read(f"tests.{TRANSPORT_COMMANDS}")] == ["f1"]
        assert shared.read(TRANSPORT_COMMANDS) == []  # nothing on the unprefixed topic
    finally:
        await shared.stop()

    assert [(m.topic, m.key) for m in received["tests"]] == [(TRANSPORT_COMMANDS, "f1")]
    assert [(m.topic, m.key) for m in received["demo"]] == [(TRANSPORT_COMMANDS, "f2")]


def test_the_setting_puts_the_prefix_on_every_bus_and_none_by_default(tmp_path: Path) -> None:
    prefixed = make_bus(Settings(var_dir=tmp_path, topic_prefix="bench-1."), client_id="t")
    assert isinstance(prefixed, PrefixedBus) and prefixed.prefix == "bench-1."
    assert isinstance(make_bus(Settings(var_dir=tmp_path), client_id="t"), EmbeddedBus)
