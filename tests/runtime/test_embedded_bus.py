"""The embedded bus: a poll costs the same at any length of history, and an idle group
sleeps until a publish wakes it."""

from __future__ import annotations

import asyncio

from puente_runtime import EmbeddedBus, Message


def steps_of_a_poll(bus: EmbeddedBus, offsets: dict[str, int]) -> int:
    """SQLite virtual-machine steps (in hundreds) one read of the next messages takes."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    bus._db.set_progress_handler(count, 100)
    try:
        bus._next(offsets)
    finally:
        bus._db.set_progress_handler(None, 100)
    return steps


async def publish(bus: EmbeddedBus, topic: str, count: int) -> None:
    await bus.publish_batch([Message(topic, f"k{n}", b"{}") for n in range(count)])


async def test_a_poll_costs_the_same_however_long_the_history(tmp_path):
    bus = EmbeddedBus(tmp_path / "bus.db")
    await publish(bus, "read", 100)
    await publish(bus, "other", 100)
    short = steps_of_a_poll(bus, {"read": 100 + 100, "quiet": 0})
    await publish(bus, "read", 10_000)
    await publish(bus, "other", 10_000)
    end = bus.read("read")[-1].offset
    long = steps_of_a_poll(bus, {"read": end, "quiet": 0})
    assert long <= short + 1, f"a poll after 20,000 messages took {long} vs {short} steps"
    bus._db.close()


async def test_an_idle_group_is_woken_by_a_publish_not_by_polling(tmp_path):
    bus = EmbeddedBus(tmp_path / "bus.db", poll_seconds=60.0)
    received: list[str] = []

    async def handle(message: Message) -> None:
        received.append(message.key)

    bus.subscribe(["t"], "g", handle)
    await bus.start()
    try:
        await asyncio.sleep(0.05)  # the group is now asleep, waiting a minute at most
        await bus.publish(Message("t", "woken", b"{}"))
        deadline = asyncio.get_running_loop().time() + 5.0
        while received != ["woken"]:
            assert asyncio.get_running_loop().time() < deadline, received
            await asyncio.sleep(0.01)
    finally:
        await bus.stop()
