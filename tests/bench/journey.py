"""`make bench`: 1,000 families end to end through real Kafka and PostgreSQL, each service
its own process, and side by side raw aiokafka producing and consuming as many messages on
the same broker. Prints both and their ratio; the figures go in the closing notes.

  PUENTE_BENCH_FAMILIES     how many families (default 1000)
  PUENTE_BENCH_CLOCK_SPEED  simulated seconds per real second (default 3600)

Families now wait at least 72 simulated hours for their appointment, so the figure is the
wall time of a whole wind-down of FAMILIES on that clock: both clock- and CPU-bound.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import random
import secrets
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import psycopg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from psycopg import sql
from puente_runtime import SystemClock
from puente_runtime.outbox import envelope_for
from puente_schemas.commands import LocationInput, MemberInput, RegisterFamily
from puente_schemas.places import CITIES
from puente_schemas.topics import REGISTRATION_COMMANDS

from tests.kafka import broker
from tests.kafka.processes import SERVICES, Platform, subscriptions

BOOTSTRAP = os.environ.get("PUENTE_TEST_KAFKA", "127.0.0.1:9092")
POSTGRES = os.environ.get(
    "PUENTE_TEST_POSTGRES", "postgresql://postgres:puente@127.0.0.1:5432/postgres"
)
FAMILIES = int(os.environ.get("PUENTE_BENCH_FAMILIES", "1000"))
CLOCK_SPEED = float(os.environ.get("PUENTE_BENCH_CLOCK_SPEED", "3600"))


def family(index: int, rng: random.Random) -> RegisterFamily:
    days = dt.timedelta(days=index)  # nobody shares a birth date: no likely duplicates
    adult = MemberInput(
        given_name="Ana",
        family_name="Bench",
        birth_date=dt.date(1960, 1, 1) + days,
        in_mpp=True,
        a_number=f"A{700_000_000 + index:09d}",
        mpp_enrollment_date=dt.date(2019, 1, 1) + dt.timedelta(days=index % 500),
        case_category=rng.choice(["active", "in_absentia", "denied", "terminated", "inactive"]),
        language=rng.choice(["spa", "por", "mam", "quc", "hat"]),
    )
    child = MemberInput(
        given_name="Luis",
        family_name="Bench",
        birth_date=dt.date(2012, 1, 1) + days,
        in_mpp=False,
        language=adult.language,
    )
    place = rng.choice(list(CITIES.values()))
    return RegisterFamily(
        family_unit_id=str(uuid.uuid4()),
        channel="online",
        current_location=LocationInput(city=place.name, country="MX"),
        members=[
            adult,
            adult.model_copy(
                update={
                    "a_number": f"A{800_000_000 + index:09d}",
                    "birth_date": dt.date(1985, 1, 1) + days,
                }
            ),
            child,
        ],
    )


def databases(services: Sequence[str] = SERVICES) -> str:
    prefix = f"puente_bench_{secrets.token_hex(3)}"
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        for service in services:
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(f"{prefix}_{service}"))
            )
    return POSTGRES.rsplit("/", 1)[0] + f"/{prefix}_{{service}}"


async def platform_run(var: Path) -> tuple[float, int, int]:
    """Seconds from the first registration to the last release, messages moved, bytes."""
    start = await broker.end_offsets(
        BOOTSTRAP, await broker.partitions_of(BOOTSTRAP, broker.TOPICS)
    )
    platform = Platform(
        var_dir=var,
        bootstrap=BOOTSTRAP,
        database_url=databases(),
        group_prefix=f"puente-bench-{secrets.token_hex(3)}",
        subscriptions=subscriptions(var / "subs"),
        start_offsets=start,
        # One real second is an hour: appointments (72 h ahead, spread over the sites' days)
        # come in minutes, and a backlog of a minute still leaves transport its notice.
        clock_speed=CLOCK_SPEED,
    )
    await platform.commit_start_offsets()
    await platform.start(*SERVICES)
    tap = broker.Tap(BOOTSTRAP, start)
    await tap.start()
    rng, clock = random.Random(7), SystemClock()
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        began = time.perf_counter()
        for index in range(FAMILIES):
            command = family(index, rng)
            envelope = envelope_for(command, source="bench", clock=clock)
            await producer.send(
                REGISTRATION_COMMANDS,
                envelope.body(),
                key=envelope.subject.encode(),
                headers=[(k, v.encode()) for k, v in envelope.headers().items()],
            )
        await producer.flush()
        while sum(r.short_type == "released" for r in tap.records) < FAMILIES:
            await asyncio.sleep(0.05)
        seconds = time.perf_counter() - began
        await asyncio.sleep(1.0)  # the last notices
        return seconds, len(tap.records), sum(len(r.value) for r in tap.records)
    finally:
        await producer.stop()
        await tap.stop()
        platform.stop_all()


async def raw_run(messages: int, size: int) -> float:
    """Raw aiokafka: the same number of messages, produced (acks=all) and consumed once."""
    topic = f"puente.bench.raw.{secrets.token_hex(3)}"
    await broker.ensure_topics(BOOTSTRAP, [topic])
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=BOOTSTRAP,
        group_id=topic,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", enable_idempotence=True)
    await consumer.start()
    await producer.start()
    payload = b"x" * size
    try:
        began = time.perf_counter()
        for index in range(messages):
            await producer.send(topic, payload, key=str(index % FAMILIES).encode())
        await producer.flush()
        seen = 0
        while seen < messages:
            batches = await consumer.getmany(timeout_ms=500)
            seen += sum(len(batch) for batch in batches.values())
            await consumer.commit()
        return time.perf_counter() - began
    finally:
        await producer.stop()
        await consumer.stop()


async def main() -> None:
    await broker.ensure_topics(BOOTSTRAP)
    var = Path(os.environ.get("PUENTE_BENCH_VAR") or tempfile.mkdtemp(prefix="puente-bench-"))
    seconds, messages, size = await platform_run(var)
    print(f"service logs and traces: {var}")
    raw = await raw_run(messages, size // max(messages, 1))
    result = {
        "families": FAMILIES,
        "messages": messages,
        "platform_seconds": round(seconds, 2),
        "raw_aiokafka_seconds": round(raw, 2),
        "platform_families_per_second": round(FAMILIES / seconds, 1),
        "platform_messages_per_second": round(messages / seconds, 1),
        "raw_messages_per_second": round(messages / raw, 1),
        "ratio_platform_to_raw": round(seconds / raw, 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    asyncio.run(main())
