"""Topic prefixes (`PUENTE_TOPIC_PREFIX`): several Puentes on one broker (a `make up`, the
tests, a bench) each on topics of their own, so none reads another's messages. Services name
topics as the contracts spell them; the bus adds the prefix on the way out and takes it off
on the way in, so handlers, dead letters and stored messages keep the plain names."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from puente_runtime.bus import Bus, Handler
from puente_runtime.messages import Message

__all__ = ["PrefixedBus"]


class PrefixedBus:
    def __init__(self, bus: Bus, prefix: str) -> None:
        self.bus = bus
        self.prefix = prefix

    def _out(self, message: Message) -> Message:
        return dataclasses.replace(message, topic=self.prefix + message.topic)

    async def publish(self, message: Message) -> None:
        await self.bus.publish(self._out(message))

    async def publish_batch(self, messages: Sequence[Message]) -> None:
        await self.bus.publish_batch([self._out(message) for message in messages])

    def subscribe(self, topics: Sequence[str], group: str, handler: Handler) -> None:
        async def unprefixed(message: Message) -> None:
            topic = message.topic.removeprefix(self.prefix)
            await handler(dataclasses.replace(message, topic=topic))

        self.bus.subscribe([self.prefix + topic for topic in topics], group, unprefixed)

    async def lag(self, group: str, topics: Sequence[str]) -> dict[str, int]:
        behind = await self.bus.lag(group, [self.prefix + topic for topic in topics])
        return {topic.removeprefix(self.prefix): count for topic, count in behind.items()}

    async def start(self) -> None:
        await self.bus.start()

    async def stop(self) -> None:
        await self.bus.stop()
