"""The event bus: Kafka through FastStream, or an embedded log for the one-process platform.

Both keep the semantics the services rely on: per-key order, every consumer group sees every
message, at-least-once delivery (a handler that raises gets the message again), and nothing
lost across a restart (the embedded log is a SQLite file, Kafka is Kafka).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from puente_runtime.messages import Message

if TYPE_CHECKING:
    from aiokafka import ConsumerRecord

Handler = Callable[[Message], Awaitable[None]]
log = logging.getLogger("puente.bus")
REDELIVERY_PAUSE_SECONDS = 0.5


async def wait_for_wakeup(wakeup: asyncio.Event, seconds: float) -> None:
    """Wait until `wakeup` is set or `seconds` pass. Uses asyncio.timeout, not wait_for:
    on Python 3.11 wait_for can swallow a cancellation, leaving a task that never stops."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await wakeup.wait()


class Bus(Protocol):
    async def publish(self, message: Message) -> None: ...

    async def publish_batch(self, messages: Sequence[Message]) -> None:
        """Publish in order; return once every message is acknowledged."""

    def subscribe(self, topics: Sequence[str], group: str, handler: Handler) -> None: ...

    async def lag(self, group: str, topics: Sequence[str]) -> dict[str, int]:
        """Per topic, the messages published that `group` has not yet committed."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class EmbeddedBus:
    """A durable log in one SQLite file; each group reads it in order from its own offsets.

    A read costs the same at any length of history: each group keeps its offset per topic
    in memory and reads from there by the (topic, offset) index. An idle group costs
    nothing: it sleeps until a publish wakes it (or `poll_seconds`, for writers elsewhere).
    """

    def __init__(self, path: Path, *, poll_seconds: float = 1.0, batch_size: int = 500) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS log (offset INTEGER PRIMARY KEY AUTOINCREMENT,"
            " topic TEXT NOT NULL, key TEXT NOT NULL, headers TEXT NOT NULL, value BLOB NOT NULL)"
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS log_topic_offset ON log (topic, offset)")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS offsets (grp TEXT, topic TEXT, committed INTEGER,"
            " PRIMARY KEY (grp, topic))"
        )
        self._poll_seconds = poll_seconds
        self._batch_size = batch_size
        self._subscriptions: list[tuple[tuple[str, ...], str, Handler]] = []
        self._wakeups: list[asyncio.Event] = []
        self._tasks: list[asyncio.Task[None]] = []

    async def publish(self, message: Message) -> None:
        await self.publish_batch([message])

    async def publish_batch(self, messages: Sequence[Message]) -> None:
        """Append in order, in one transaction."""
        rows = [(m.topic, m.key, json.dumps(m.headers), m.value) for m in messages]
        self._db.execute("BEGIN")
        try:
            self._db.executemany(
                "INSERT INTO log (topic, key, headers, value) VALUES (?, ?, ?, ?)", rows
            )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        for wakeup in self._wakeups:
            wakeup.set()

    def subscribe(self, topics: Sequence[str], group: str, handler: Handler) -> None:
        self._subscriptions.append((tuple(topics), group, handler))

    async def start(self) -> None:
        for topics, group, handler in self._subscriptions:
            wakeup = asyncio.Event()
            self._wakeups.append(wakeup)
            self._tasks.append(asyncio.create_task(self._consume(topics, group, handler, wakeup)))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        self._db.close()

    async def lag(self, group: str, topics: Sequence[str]) -> dict[str, int]:
        committed = self._committed(group, tuple(topics))
        return {
            topic: self._db.execute(
                "SELECT count(*) FROM log WHERE topic = ? AND offset > ?", (topic, offset)
            ).fetchone()[0]
            for topic, offset in committed.items()
        }

    def read(self, topic: str) -> list[Message]:
        """Every message ever published on a topic, for inspection."""
        rows = self._db.execute(
            "SELECT topic, key, headers, value, offset FROM log WHERE topic = ? ORDER BY offset",
            (topic,),
        )
        return [_message(row) for row in rows]

    def _committed(self, group: str, topics: tuple[str, ...]) -> dict[str, int]:
        rows = self._db.execute("SELECT topic, committed FROM offsets WHERE grp = ?", (group,))
        return {topic: 0 for topic in topics} | {t: c for t, c in rows if t in topics}

    def _next(self, offsets: dict[str, int]) -> list[Message]:
        """The oldest messages past the group's offsets, across its topics in log order."""
        each = " UNION ALL ".join(
            "SELECT * FROM (SELECT topic, key, headers, value, offset FROM log"
            " WHERE topic = ? AND offset > ? ORDER BY offset LIMIT ?)"
            for _ in offsets
        )
        values = [v for topic, offset in offsets.items() for v in (topic, offset, self._batch_size)]
        query = f"SELECT * FROM ({each}) ORDER BY offset LIMIT ?"
        return [_message(row) for row in self._db.execute(query, (*values, self._batch_size))]

    def _commit(self, group: str, topic: str, offset: int) -> None:
        self._db.execute(
            "INSERT INTO offsets VALUES (?, ?, ?) ON CONFLICT (grp, topic)"
            " DO UPDATE SET committed = excluded.committed",
            (group, topic, offset),
        )

    async def _consume(
        self, topics: tuple[str, ...], group: str, handler: Handler, wakeup: asyncio.Event
    ) -> None:
        offsets = self._committed(group, topics)
        while True:
            wakeup.clear()
            batch = self._next(offsets)
            for message in batch:
                try:
                    await handler(message)
                except Exception:
                    log.exception("handler failed; message %s will be redelivered", message.offset)
                    await asyncio.sleep(REDELIVERY_PAUSE_SECONDS)
                    break
                self._commit(group, message.topic, message.offset)
                offsets[message.topic] = message.offset
            else:
                if not batch:
                    await wait_for_wakeup(wakeup, self._poll_seconds)


def _message(row: tuple[str, str, str, bytes, int]) -> Message:
    topic, key, headers, value, offset = row
    return Message(topic=topic, key=key, value=value, headers=json.loads(headers), offset=offset)


async def _undecoded(message: Any) -> bytes:
    """FastStream would parse a body by its content-type (JSON) before the handler runs, and
    fail on a malformed one; the Consumer decodes, and dead-letters what it cannot."""
    return cast("bytes", message.body)


class KafkaBus:
    """Kafka through FastStream: an idempotent producer with acks=all, and consumers that
    start from the earliest offset and commit only after the handler returned."""

    def __init__(self, bootstrap: str, *, client_id: str, partitions: int = 3) -> None:
        from faststream.kafka import KafkaBroker

        self.bootstrap = bootstrap
        self.partitions = partitions
        self.broker = KafkaBroker(
            bootstrap,
            client_id=client_id,
            enable_idempotence=True,
            acks="all",
            logger=logging.getLogger("puente.faststream"),
        )
        self._topics: set[str] = set()

    async def publish(self, message: Message) -> None:
        await self.broker.publish(
            message.value, topic=message.topic, key=message.key.encode(), headers=message.headers
        )

    async def publish_batch(self, messages: Sequence[Message]) -> None:
        """Send all, then wait for all: the idempotent producer keeps each partition in order
        with several requests in flight, so a batch costs about one round trip, not one each."""
        pending = [
            await self.broker.publish(
                m.value, topic=m.topic, key=m.key.encode(), headers=m.headers, no_confirm=True
            )
            for m in messages
        ]
        await asyncio.gather(*pending)

    def subscribe(self, topics: Sequence[str], group: str, handler: Handler) -> None:
        from faststream import AckPolicy, Context

        self._topics.update([*topics, *(f"{t}.dlq" for t in topics)])

        @self.broker.subscriber(
            *topics,
            group_id=group,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.MANUAL,
            decoder=_undecoded,
        )
        async def consume(msg: Any = Context("message")) -> None:  # noqa: B008 - FastStream DI
            # The raw record, undecoded: decoding and its failures are the Consumer's job.
            record = cast("ConsumerRecord[bytes, bytes]", msg.raw_message)
            message = Message(
                topic=record.topic,
                key=(record.key or b"").decode(errors="replace"),
                value=record.value or b"",
                headers={k: v.decode(errors="replace") for k, v in record.headers},
                partition=record.partition,
                offset=record.offset,
            )
            try:
                await handler(message)
            except Exception:
                log.exception("handler failed; %s@%s redelivered", record.topic, record.offset)
                await asyncio.sleep(REDELIVERY_PAUSE_SECONDS)
                await msg.nack()
                return
            await msg.ack()

    async def lag(self, group: str, topics: Sequence[str]) -> dict[str, int]:
        """End offsets less the group's committed offsets, summed over each topic's
        partitions (a partition the group has not committed yet counts from its start)."""
        from aiokafka import AIOKafkaConsumer, TopicPartition
        from aiokafka.admin import AIOKafkaAdminClient

        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
        probe = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, enable_auto_commit=False)
        await admin.start()
        await probe.start()
        try:
            committed = await admin.list_consumer_group_offsets(group)
            await probe.topics()  # metadata of every topic, so their partitions are known
            partitions = [
                TopicPartition(topic, partition)
                for topic in topics
                for partition in sorted(probe.partitions_for_topic(topic) or ())
            ]
            ends = await probe.end_offsets(partitions) if partitions else {}
        finally:
            await probe.stop()
            await admin.close()
        behind: dict[str, int] = dict.fromkeys(topics, 0)
        for partition, end in ends.items():
            done = committed.get(partition)
            behind[partition.topic] += end - max(done.offset if done else 0, 0)
        return behind

    async def ensure_topics(self, topics: Sequence[str]) -> None:
        from aiokafka.admin import AIOKafkaAdminClient, NewTopic

        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
        await admin.start()
        try:
            existing = set(await admin.list_topics())
            wanted = [t for t in topics if t not in existing]
            if wanted:
                new = [
                    NewTopic(t, num_partitions=self.partitions, replication_factor=1)
                    for t in wanted
                ]
                await admin.create_topics(new)
        finally:
            await admin.close()

    async def start(self) -> None:
        await self.ensure_topics(sorted(self._topics))
        await self.broker.start()

    async def stop(self) -> None:
        await self.broker.stop()
