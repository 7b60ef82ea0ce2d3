"""Kafka from the test's side: topics, consumer-group offsets, and a tap that reads every
Puente topic from the offsets a test started at.

Topic names are constants, so tests cannot have topics of their own. Each test instead
  - uses new family-unit ids and looks only at messages after the offsets it started at, and
  - runs the services with consumer groups of its own (`PUENTE_GROUP_PREFIX`), whose offsets
    are committed at those start offsets before any service starts: a service never replays
    an earlier test's messages (about families its fresh database has never seen).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.structs import OffsetAndMetadata
from puente_schemas.topics import (
    ALL_EVENT_TOPICS,
    EVENT_SOURCES,
    commands_topic,
    dead_letter_topic,
)

PARTITIONS = 3  # as KafkaBus creates them
COMMAND_TOPICS = tuple(commands_topic(s) for s in EVENT_SOURCES)
TOPICS = tuple(
    sorted(
        {*ALL_EVENT_TOPICS, *COMMAND_TOPICS}
        | {dead_letter_topic(t) for t in (*ALL_EVENT_TOPICS, *COMMAND_TOPICS)}
    )
)
Offsets = dict[TopicPartition, int]


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int
    key: str
    headers: dict[str, str]
    value: bytes

    @property
    def type(self) -> str | None:
        return self.headers.get("ce_type")

    @property
    def short_type(self) -> str | None:
        """`org.puente.scheduling.scheduled.v1` -> `scheduled`."""
        return self.type.split(".")[-2] if self.type else None


@contextlib.asynccontextmanager
async def admin_client(bootstrap: str):  # type: ignore[no-untyped-def]
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    await admin.start()
    try:
        yield admin
    finally:
        await admin.close()


async def ensure_topics(bootstrap: str, topics: Iterable[str] = TOPICS) -> None:
    async with admin_client(bootstrap) as admin:
        existing = set(await admin.list_topics())
        wanted = [NewTopic(t, PARTITIONS, 1) for t in topics if t not in existing]
        if wanted:
            await admin.create_topics(wanted)


async def partitions_of(bootstrap: str, topics: Sequence[str]) -> list[TopicPartition]:
    async with admin_client(bootstrap) as admin:
        described = await admin.describe_topics(list(topics))
    return [TopicPartition(d["topic"], p["partition"]) for d in described for p in d["partitions"]]


async def end_offsets(bootstrap: str, partitions: Sequence[TopicPartition]) -> Offsets:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        return dict(await consumer.end_offsets(list(partitions)))
    finally:
        await consumer.stop()


async def commit_offsets(bootstrap: str, group: str, offsets: Offsets) -> None:
    """Set a (new) consumer group's committed offsets, as if it had read up to them."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        consumer.assign(list(offsets))
        await consumer.commit({tp: OffsetAndMetadata(o, "") for tp, o in offsets.items()})
    finally:
        await consumer.stop()


async def committed_offsets(bootstrap: str, groups: Iterable[str]) -> dict[str, Offsets]:
    async with admin_client(bootstrap) as admin:
        return {
            group: {
                tp: meta.offset
                for tp, meta in (await admin.list_consumer_group_offsets(group)).items()
            }
            for group in groups
        }


async def produce(
    bootstrap: str, topic: str, *, key: str, value: bytes, headers: Mapping[str, str]
) -> Record:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        sent = await producer.send_and_wait(
            topic,
            value,
            key=key.encode(),
            headers=[(name, text.encode()) for name, text in headers.items()],
        )
    finally:
        await producer.stop()
    return Record(topic, sent.partition, sent.offset, key, dict(headers), value)


class Tap:
    """Reads every Puente topic from the given start offsets, in the background."""

    def __init__(self, bootstrap: str, start: Offsets) -> None:
        self._bootstrap = bootstrap
        self._start = start
        self._consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
        self._task: asyncio.Task[None] | None = None
        self.records: list[Record] = []

    async def start(self) -> None:
        await self._consumer.start()
        self._consumer.assign(list(self._start))
        for partition, offset in self._start.items():
            self._consumer.seek(partition, offset)
        self._task = asyncio.create_task(self._read())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._consumer.stop()

    async def _read(self) -> None:
        while True:
            batches = await self._consumer.getmany(timeout_ms=200)
            for batch in batches.values():
                self.records.extend(
                    Record(
                        r.topic,
                        r.partition,
                        r.offset,
                        (r.key or b"").decode(),
                        {k: v.decode(errors="replace") for k, v in r.headers},
                        r.value or b"",
                    )
                    for r in batch
                )

    async def caught_up_with(self, ends: Offsets) -> bool:
        for partition, end in ends.items():
            if await self._consumer.position(partition) < end:
                return False
        return True

    async def catch_up(self, timeout: float = 10.0) -> None:
        """Wait until the tap has read everything on the broker now."""
        ends = await end_offsets(self._bootstrap, list(self._start))
        deadline = asyncio.get_running_loop().time() + timeout
        while not await self.caught_up_with(ends):
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"the tap did not catch up within {timeout}s")
            await asyncio.sleep(0.05)

    def about(self, family_unit_id: str, *, topic: str | None = None) -> list[Record]:
        return [
            r
            for r in self.records
            if r.key == family_unit_id and (topic is None or r.topic == topic)
        ]

    def events_about(self, family_unit_id: str) -> list[Record]:
        return [r for r in self.about(family_unit_id) if r.topic in ALL_EVENT_TOPICS]

    def count(self, family_unit_id: str, short_type: str) -> int:
        return sum(1 for r in self.events_about(family_unit_id) if r.short_type == short_type)
