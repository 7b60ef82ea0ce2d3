"""A service run as its own process on Kafka serves its figures on its health port: the
messages it applied and dead-lettered, and its consumer group's lag read from the broker
(issue 11, item 4)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from puente_runtime import metrics
from puente_schemas.topics import REGISTRATION_EVENTS

from tests.kafka import broker
from tests.kafka.broker import Tap
from tests.kafka.journey import registered
from tests.kafka.processes import Platform
from tests.polling import eventually

pytestmark = pytest.mark.servers


async def test_a_service_process_serves_handled_dead_lettered_and_lag_on_its_health_port(
    platform: Platform, tap: Tap
) -> None:
    await platform.start("scheduling")
    family = str(uuid.uuid4())
    valid = registered(family)
    await broker.produce(
        platform.bootstrap,
        REGISTRATION_EVENTS,
        key=family,
        value=b"{not json",
        headers=valid.headers(),
    )
    await broker.produce(
        platform.bootstrap,
        REGISTRATION_EVENTS,
        key=family,
        value=valid.body(),
        headers=valid.headers(),
    )
    await eventually(lambda: tap.count(family, "scheduled"), timeout=30, what="scheduled")
    labels = {
        "service": "scheduling",
        "consumer": f"{platform.group_prefix}.scheduling",
        "topic": REGISTRATION_EVENTS,
    }
    port = platform._processes["scheduling"].health_port

    async def figures() -> dict[str, float] | None:
        async with httpx.AsyncClient() as client:
            answer = await client.get(f"http://127.0.0.1:{port}/metrics")
        samples = {
            sample.name: sample.value
            for family in metrics.parse(answer.text)
            for sample in family.samples
            if sample.labels == labels
        }
        done = samples.get("puente_consumer_lag") == 0 and samples.get(
            "puente_messages_dead_lettered_total"
        )
        return samples if done else None

    found = await eventually(figures, timeout=30, every=0.5, what="lag 0 after both applied")
    assert found["puente_messages_handled_total"] >= 1
    assert found["puente_messages_dead_lettered_total"] == 1
