"""Transport planning and document preparation through the services (`uv run python -m
tests.bench.services`): transport and processing each their own process on Kafka and
PostgreSQL (tests/kafka/processes.py), fed raw `registered` and `scheduled` events as
registration and scheduling put them on the wire, for the transport bench's caseload (its
families, their appointments 3 to 33 days after its NOW) with the processing bench's
members. Side by side, raw aiokafka moves as many messages through one consume -> produce
loop on the same broker. Prints wall times, their ratio, what became of the families, and
each service's peak resident set (VmHWM) and CPU time.

Every `registered` goes at once; the `scheduled` follow as processing opens case files, as
scheduling decides while registrations come in. With BURST they all go at once too: then
processing parks each `scheduled` whose `registered` is still behind on the other topic,
and dead-letters those that waited longer than its patience (60 real seconds).

Two moments are timed from the first publish:
  - answered: transport answered every `scheduled` (booked or failed) and processing started
    every family's documents (a `documents-prepared` naming every member) and assigned its
    court. CPU-bound: the figure compared with raw aiokafka.
  - documents ready: every document of every family came ready (the slowest takes 36
    simulated hours after scheduling; processing looks every 15 simulated minutes): answered
    plus about 36 h / speed of waiting on the clock.

The clock runs SPEED times real time (default 3,600: the 36 hours take 36 seconds). The
whole caseload comes in one go, so the services work through a backlog; in real time that
takes minutes, nothing next to three days' notice, but on this clock minutes are days. So
the clock starts (reads at the first publish) earlier than NOW by an allowance for the
backlog at 2 families a second, in whole days: each family is still answered before NOW,
with at least the notice scheduling gave it. The figures say whether the allowance held.

  PUENTE_BENCH_SERVICE_FAMILIES      how many families (default 2000; 25000 is the caseload)
  PUENTE_BENCH_SERVICE_CLOCK_SPEED   simulated seconds per real second (default 3600)
  PUENTE_BENCH_SERVICE_BURST=1       publish every `scheduled` at once too
  PUENTE_BENCH_SEED                  random seed of the caseload (default 4, as transport's)
  PUENTE_BENCH_VAR                   where service logs and traces go (default a temporary dir)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import math
import os
import random
import secrets
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from psycopg import sql
from puente_runtime import Clock, FakeClock
from puente_runtime.outbox import envelope_for
from puente_schemas import Envelope
from puente_schemas.common import Channel, Location
from puente_schemas.events import QueuePlace, Registered, Scheduled
from puente_schemas.topics import (
    PROCESSING_EVENTS,
    REGISTRATION_EVENTS,
    SCHEDULING_EVENTS,
    TRANSPORT_EVENTS,
    dead_letter_topic,
)
from puente_transport import domain

from tests.bench import processing, transport
from tests.bench.journey import BOOTSTRAP, POSTGRES, databases
from tests.kafka import broker
from tests.kafka.broker import Record, Tap
from tests.kafka.processes import Platform, subscriptions

FAMILIES = int(os.environ.get("PUENTE_BENCH_SERVICE_FAMILIES", "2000"))
CLOCK_SPEED = float(os.environ.get("PUENTE_BENCH_SERVICE_CLOCK_SPEED", "3600"))
BURST = os.environ.get("PUENTE_BENCH_SERVICE_BURST") == "1"
SERVICES = ("transport", "processing")
NOW = transport.NOW  # the appointments are 3 to 33 days after it
SLOWEST = 2.0  # families a second the backlog allowance is made for
ALLOWANCE = dt.timedelta(days=math.ceil(FAMILIES / SLOWEST * CLOCK_SPEED / 86400))
START = NOW - ALLOWANCE  # what the clock reads at the first publish
STARTUP_SECONDS = 20.0  # the services start within this; the first publish waits for it
WATCHED = (
    TRANSPORT_EVENTS,
    PROCESSING_EVENTS,
    dead_letter_topic(REGISTRATION_EVENTS),
    dead_letter_topic(SCHEDULING_EVENTS),
)
Headers = list[tuple[str, bytes]]


@dataclass
class Family:
    members: frozenset[str]
    answer: str | None = None  # `booked`, or the reason transport failed (its first words)
    court: bool = False
    documents: dict[tuple[str, str], str] = field(default_factory=dict)  # (member, kind): status
    sheltered: bool = False
    lost: bool = False  # a consumer of this run dead-lettered one of the family's messages

    @property
    def started(self) -> bool:
        """Court assigned, and documents under way for every member."""
        return self.court and self.members <= {member for member, _ in self.documents}

    @property
    def ready(self) -> bool:
        return self.started and all(s == "ready" for s in self.documents.values())


class Outboxes:
    """The ids of the events this run's services staged, read from their outboxes as they
    grow. The topics are shared: every other platform on the broker (a test's, `make up`)
    also consumes this run's messages and answers them, with the same correlation ids."""

    def __init__(self, platform: Platform) -> None:
        self._databases = {name: platform.database(name) for name in SERVICES}
        self._connections: dict[str, psycopg.Connection[tuple[int, str]]] = {}
        self._last = dict.fromkeys(SERVICES, 0)
        self.groups = {group for name in SERVICES for group in platform.groups_of(name)}
        self.ids: set[str] = set()

    def load(self) -> None:
        for name, url in self._databases.items():
            if name not in self._connections:
                self._connections[name] = psycopg.connect(url, autocommit=True)
            rows = (
                self._connections[name]
                .execute(
                    "SELECT id, event_id FROM outbox WHERE id > %s ORDER BY id", (self._last[name],)
                )
                .fetchall()
            )
            if rows:
                self._last[name] = rows[-1][0]
                self.ids.update(event_id for _, event_id in rows)

    def close(self) -> None:
        for connection in self._connections.values():
            connection.close()

    def ours(self, record: Record) -> bool:
        """Published by this run's services (its row was committed before it was sent), or
        dead-lettered by their consumers."""
        if record.topic.endswith(".dlq"):
            return record.headers.get("puente_dlq_consumer") in self.groups
        return record.headers.get("ce_id") in self.ids


@dataclass
class Progress:
    """What this run's services said about its families."""

    families: dict[str, Family]
    correlations: frozenset[str]
    seen: int = 0  # records of the tap looked at
    outputs: list[Record] = field(default_factory=list)
    dead_letters: list[Record] = field(default_factory=list)
    last_output_at: float = field(default_factory=time.perf_counter)

    def update(self, tap: Tap, outboxes: Outboxes) -> None:
        fresh = tap.records[self.seen :]  # first: each is in an outbox before it is sent
        self.seen += len(fresh)
        outboxes.load()
        for record in fresh:
            if record.headers.get("ce_correlationid") not in self.correlations:
                continue  # another run's families, or processing's shelters at its start
            if not outboxes.ours(record):
                continue
            self.last_output_at = time.perf_counter()
            if record.topic.endswith(".dlq"):
                self.dead_letters.append(record)
                if record.key in self.families:
                    self.families[record.key].lost = True
            else:
                self.outputs.append(record)
                self._apply(record)

    def _apply(self, record: Record) -> None:
        family = self.families.get(record.key)
        if family is None:
            return  # shelter-updated, keyed by shelter
        kind = record.short_type
        if kind in ("transport-booked", "transport-failed") and family.answer is None:
            body = json.loads(record.value)
            family.answer = "booked" if kind == "transport-booked" else reason(body["reason"])
        elif kind == "court-assigned":
            family.court = True
        elif kind == "shelter-assigned":
            family.sheltered = True
        elif kind == "documents-prepared":
            documents = json.loads(record.value)["documents"]
            family.documents = {(d["member_id"], d["kind"]): d["status"] for d in documents}

    def count(self, what: str) -> int:
        return sum(bool(getattr(f, what)) for f in self.families.values())

    def done(self, what: str) -> bool:
        """Every family answered by transport and `what`, or lost to a dead letter."""
        return all(f.lost or (f.answer and getattr(f, what)) for f in self.families.values())


def reason(text: str) -> str:
    return text.split(":")[0]


@dataclass(frozen=True)
class Wire:
    """One message as it goes on the broker."""

    topic: str
    key: bytes
    value: bytes
    headers: Headers

    @classmethod
    def of(cls, topic: str, envelope: Envelope) -> Wire:
        """As the relay's KafkaBus (FastStream) writes it: FastStream's content type and
        correlation id, the CloudEvents attributes, and the W3C trace context."""
        headers = {
            "content-type": "",
            "correlation_id": _id(),
            **envelope.headers(),
            "traceparent": f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01",
        }
        encoded = [(name, value.encode()) for name, value in headers.items()]
        return cls(topic, envelope.subject.encode(), envelope.body(), encoded)

    @classmethod
    def read(cls, record: Record) -> Wire:
        headers = [(name, value.encode()) for name, value in record.headers.items()]
        return cls(record.topic, record.key.encode(), record.value, headers)


@dataclass(frozen=True)
class Inputs:
    registered: list[Wire]
    scheduled: list[Wire]  # in the same order of families
    families: dict[str, Family]
    correlations: frozenset[str]  # the families': everything answering them carries one


def inputs(requests: list[domain.Request], rng: random.Random, clock: Clock) -> Inputs:
    """Each family's `registered` (members as the processing bench makes them), then its
    `scheduled` (the transport bench's request), enveloped as the two services would."""
    registered, scheduled, families, correlations = [], [], {}, set()
    now = clock.now()
    for index, request in enumerate(requests):
        family_unit_id = str(uuid.uuid4())
        people = processing.members(index, request.people, rng)
        origin = Location(city=request.origin_city, country="MX")
        event = Registered(
            family_unit_id=family_unit_id,
            channel=Channel.ONLINE,
            current_location=origin,
            members=people,
            registered_at=now,
            consent_recorded_at=now,
        )
        cause = envelope_for(event, source="registration", clock=clock, correlation_id=_id())
        cause = cause.model_copy(update={"causation_id": _id()})  # the RegisterFamily command
        place = QueuePlace(earliest_enrollment=None, registered_at=now, queued_at=now)
        appointment = Scheduled(
            family_unit_id=family_unit_id,
            appointment_id=_id(),
            site=request.site,
            appointment_at=request.appointment_at,
            people=request.people,
            origin=origin,
            place=place,
            decided_at=now,
        )
        effect = envelope_for(appointment, source="scheduling", clock=clock, cause=cause)
        registered.append(Wire.of(REGISTRATION_EVENTS, cause))
        scheduled.append(Wire.of(SCHEDULING_EVENTS, effect))
        families[family_unit_id] = Family(frozenset(m.member_id for m in people))
        correlations.add(cause.correlation_id)
    return Inputs(registered, scheduled, families, frozenset(correlations))


def _id() -> str:
    return str(uuid.uuid4())


async def publish(platform: Platform, given: Inputs) -> None:
    """Every `registered`, and each `scheduled` once processing has opened as many case files
    (scheduling decides as registrations come in); with BURST, every `scheduled` at once."""
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        await send(producer, given.registered)
        sent = len(given.scheduled) if BURST else 0
        await send(producer, given.scheduled[:sent])
        with psycopg.connect(platform.database("processing"), autocommit=True) as connection:
            while sent < len(given.scheduled):
                await asyncio.sleep(0.25)
                (opened,) = connection.execute("SELECT count(*) FROM case_file").fetchone() or (0,)
                await send(producer, given.scheduled[sent:opened])
                sent = max(sent, opened)
        await producer.flush()
    finally:
        await producer.stop()


async def send(producer: AIOKafkaProducer, messages: list[Wire]) -> None:
    for message in messages:
        await producer.send(message.topic, message.value, key=message.key, headers=message.headers)


@dataclass
class Run:
    """What the services did: seconds to each moment, and how each process fared."""

    answered_seconds: float = 0.0
    ready_seconds: float = 0.0
    outputs_when_answered: int = 0
    clock: dict[str, str] = field(default_factory=dict)
    processes: dict[str, dict[str, float]] = field(default_factory=dict)
    leftovers: dict[str, int] = field(default_factory=dict)


async def services_run(var: Path, given: Inputs, progress: Progress) -> Run:
    start = await broker.end_offsets(BOOTSTRAP, await broker.partitions_of(BOOTSTRAP, WATCHED))
    everything = await broker.end_offsets(
        BOOTSTRAP, await broker.partitions_of(BOOTSTRAP, broker.TOPICS)
    )
    template = databases(SERVICES)
    platform = Platform(
        var_dir=var,
        bootstrap=BOOTSTRAP,
        database_url=template,
        group_prefix=f"puente-bench-{secrets.token_hex(3)}",
        subscriptions=subscriptions(var / "subs"),
        start_offsets=everything,
        clock_speed=CLOCK_SPEED,
    )
    platform.clock_start, platform.epoch = START, time.time() + STARTUP_SECONDS
    tap = Tap(BOOTSTRAP, start)
    outboxes = Outboxes(platform)
    run = Run()
    try:
        await platform.commit_start_offsets()
        await platform.start(*SERVICES)
        await tap.start()
        await asyncio.sleep(max(0.0, platform.epoch - time.time()))
        run.clock["at first publish"] = platform.now().isoformat()
        began = time.perf_counter()
        publishing = asyncio.create_task(publish(platform, given))
        watch = (platform, tap, outboxes, progress)
        run.answered_seconds = await until(*watch, "started", began)
        run.outputs_when_answered = len(progress.outputs)
        run.clock["when answered"] = platform.now().isoformat()
        run.clock["answered before NOW"] = str(platform.now() <= NOW)
        run.ready_seconds = await until(*watch, "ready", began)
        run.clock["when documents ready"] = platform.now().isoformat()
        await publishing
        await asyncio.sleep(2.0)  # the last shelter updates
        progress.update(tap, outboxes)
        run.processes = {name: usage(platform, name) for name in SERVICES}
        run.leftovers = leftovers(platform)
        return run
    finally:
        outboxes.close()
        await tap.stop()
        platform.stop_all()
        drop(template)


async def until(
    platform: Platform, tap: Tap, outboxes: Outboxes, progress: Progress, what: str, began: float
) -> float:
    """Seconds from `began` until every family is `what` and answered by transport (or lost
    to a dead letter); fails when a service dies or nothing moved for long."""
    patience = max(180.0, 3 * 36 * 3600 / CLOCK_SPEED)
    while True:
        progress.update(tap, outboxes)
        if progress.done(what):
            return time.perf_counter() - began
        if set(platform.running()) != set(SERVICES) or (
            time.perf_counter() - progress.last_output_at > patience
        ):
            raise AssertionError(
                f"stuck before every family was {what}: {summary(progress)}\n{platform.logs()}"
            )
        await asyncio.sleep(0.25)


def usage(platform: Platform, name: str) -> dict[str, float]:
    """Peak resident set (VmHWM, MiB) and CPU seconds of a service's process so far, and the
    CPU seconds of the PostgreSQL backends serving it now (its pooled connections)."""
    pid = platform._processes[name].popen.pid
    status = Path(f"/proc/{pid}/status").read_text()
    peak_kib = next(int(line.split()[1]) for line in status.splitlines() if line[:6] == "VmHWM:")
    backends = platform.query(
        name,
        "SELECT pid FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    return {
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "cpu_seconds": round(cpu_seconds(pid), 1),
        "postgres_cpu_seconds": round(sum(cpu_seconds(backend) for (backend,) in backends), 1),
    }


def cpu_seconds(pid: int) -> float:
    """User and system time of a process (0 when it cannot be read: another host, gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def leftovers(platform: Platform) -> dict[str, int]:
    """Per service: messages it applied (its inbox: this run's, and any other platform's
    published meanwhile), still parked, and outbox rows not yet published."""
    found = {}
    for name in SERVICES:
        for what, statement in (
            ("applied", "SELECT count(*) FROM inbox"),
            ("parked", "SELECT count(*) FROM parked"),
            ("unpublished", "SELECT count(*) FROM outbox WHERE published_at IS NULL"),
        ):
            found[f"{name} {what}"] = platform.query(name, statement)[0][0]
    return found


def drop(template: str) -> None:
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        for name in SERVICES:
            database = template.rsplit("/", 1)[1].replace("{service}", name)
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
            )


async def raw_run(inputs: list[Wire], outputs: list[Wire]) -> float:
    """Raw aiokafka on the same broker: the same input messages, produced (acks=all) and read
    by one consumer group that produces, for them, as many messages as the services answered
    (the same values, keys and headers), and commits after each batch; timed from the first
    input sent until the last output is read back."""
    topics = [f"puente.bench.raw.{secrets.token_hex(3)}.{end}" for end in ("in", "out")]
    await broker.ensure_topics(BOOTSTRAP, topics)
    consumer = AIOKafkaConsumer(
        topics[0],
        bootstrap_servers=BOOTSTRAP,
        group_id=topics[0],
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    reader = AIOKafkaConsumer(bootstrap_servers=BOOTSTRAP, enable_auto_commit=False)
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", enable_idempotence=True)
    for client in (consumer, reader, producer):
        await client.start()
    try:
        reader.assign(await broker.partitions_of(BOOTSTRAP, [topics[1]]))
        while not consumer.assignment():  # joined its group, as the services had
            await consumer.getmany(timeout_ms=100)
        began = time.perf_counter()
        relay = asyncio.create_task(relay_loop(consumer, producer, topics[1], inputs, outputs))
        for message in inputs:
            await producer.send(topics[0], message.value, key=message.key, headers=message.headers)
        seen = 0
        while seen < len(outputs):
            batches = await reader.getmany(timeout_ms=200)
            seen += sum(len(batch) for batch in batches.values())
        seconds = time.perf_counter() - began
        await relay
        return seconds
    finally:
        for client in (producer, reader, consumer):
            await client.stop()
        async with broker.admin_client(BOOTSTRAP) as admin:
            await admin.delete_topics(topics)


async def relay_loop(
    consumer: AIOKafkaConsumer,
    producer: AIOKafkaProducer,
    topic: str,
    inputs: list[Wire],
    outputs: list[Wire],
) -> None:
    """For the inputs of each batch read, their share of the outputs, sent and acknowledged;
    then the batch is committed."""
    read = sent = 0
    while read < len(inputs):
        batches = await consumer.getmany(timeout_ms=200)
        read += sum(len(batch) for batch in batches.values())
        due = len(outputs) * read // len(inputs)
        pending = [
            await producer.send(topic, o.value, key=o.key, headers=o.headers)
            for o in outputs[sent:due]
        ]
        await asyncio.gather(*pending)
        sent = due
        await consumer.commit()


def summary(progress: Progress) -> dict[str, object]:
    families = progress.families.values()
    documents = [status for f in families for status in f.documents.values()]
    return {
        "transport": dict(Counter(f.answer or "no answer" for f in families).most_common()),
        "court assigned": progress.count("court"),
        "shelter assigned": progress.count("sheltered"),
        "documents under way for every member": progress.count("started"),
        "documents": len(documents),
        "documents ready": documents.count("ready"),
        "families with every document ready": progress.count("ready"),
        "families lost to dead letters": progress.count("lost"),
        "dead letters": dict(Counter(map(dead_letter_reason, progress.dead_letters))),
    }


def dead_letter_reason(record: Record) -> str:
    consumer = record.headers.get("puente_dlq_consumer", "").rsplit(".", 1)[-1]
    why = record.headers.get("puente_dlq_reason", "").split(" for family unit")[0]
    return f"{record.short_type} in {consumer}: {why}"


def by_the_rules(requests: list[domain.Request], now: dt.datetime) -> dict[str, int]:
    """What transport's pure rules decide, booking everyone at `now` in publish order."""
    ledger = domain.Ledger()
    return dict(Counter(transport.book_all(ledger, requests, now)).most_common())


def report(
    requests: list[domain.Request], given: Inputs, progress: Progress, run: Run, raw_seconds: float
) -> dict[str, object]:
    messages = len(given.registered) + len(given.scheduled)
    answered = messages + run.outputs_when_answered
    return {
        "families": len(requests),
        "people": sum(r.people for r in requests),
        "scheduled_published": "all at once" if BURST else "as processing opens case files",
        "clock_speed": round(CLOCK_SPEED, 1),
        "clock": {"allowance_days": ALLOWANCE.days, **run.clock, "NOW": NOW.isoformat()},
        "input_messages": messages,
        "output_messages_when_answered": run.outputs_when_answered,
        "output_messages_in_all": len(progress.outputs),
        "services_seconds_to_answered": round(run.answered_seconds, 2),
        "services_seconds_to_documents_ready": round(run.ready_seconds, 2),
        "services_messages_per_second": round(answered / run.answered_seconds, 1),
        "services_families_per_second": round(len(requests) / run.answered_seconds, 1),
        "raw_aiokafka_seconds": round(raw_seconds, 2),
        "raw_messages_per_second": round(answered / raw_seconds, 1),
        "ratio_services_to_raw": round(run.answered_seconds / raw_seconds, 1),
        "processes": run.processes,
        "outcomes": summary(progress),
        "transport_rules_at_first_publish": by_the_rules(requests, START),
        "transport_rules_at_NOW": by_the_rules(requests, NOW),
        "left_over": run.leftovers,
    }


async def main() -> None:
    await broker.ensure_topics(BOOTSTRAP)
    var = Path(os.environ.get("PUENTE_BENCH_VAR") or tempfile.mkdtemp(prefix="puente-bench-"))
    rng = random.Random(transport.SEED)
    requests = transport.caseload(rng, FAMILIES)
    given = inputs(requests, rng, FakeClock(START))
    progress = Progress(given.families, given.correlations)
    run = await services_run(var, given, progress)
    print(f"service logs and traces: {var}")
    outputs = [Wire.read(r) for r in progress.outputs[: run.outputs_when_answered]]
    raw_seconds = await raw_run([*given.registered, *given.scheduled], outputs)
    print(json.dumps(report(requests, given, progress, run, raw_seconds), indent=2))


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    asyncio.run(main())
