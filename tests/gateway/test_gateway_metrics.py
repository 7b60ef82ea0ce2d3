"""Issue 11, item 4: what an operations team scrapes (`/metrics`) and what the console reads
(`operations`): a message applied and one dead-lettered show in both, and GraphQL requests are
counted by operation."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid

import httpx
from puente_gateway.roles import Role
from puente_runtime import metrics
from puente_runtime.messages import to_message
from puente_runtime.outbox import envelope_for
from puente_schemas.topics import dead_letter_topic

from tests.kafka.processes import free_port
from tests.polling import eventually

from .support import TRACEPARENT, Harness, registered

GATEWAY = {
    "service": "gateway",
    "consumer": "puente.gateway",
    "topic": "puente.registration.events",
}
OPERATIONS = "{ operations { service lag deadLetters parked outboxBacklog } }"


async def scrape(harness: Harness) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of the gateway's /metrics, by name and labels."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=harness.gateway.asgi), base_url="http://gateway"
    ) as client:
        answer = await client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in metrics.parse(answer.text)
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def gateway_figures(harness: Harness) -> dict:
    # The console's overview reads operations as an analyst.
    result = await harness.execute(OPERATIONS, harness.context_for(Role.ANALYST))
    assert result.errors is None, result.errors
    (gateway,) = [one for one in result.data["operations"] if one["service"] == "gateway"]
    return gateway


async def test_a_message_applied_and_one_dead_lettered_show_in_metrics_and_operations(
    harness: Harness,
) -> None:
    before, figures_before = await scrape(harness), await gateway_figures(harness)
    family = str(uuid.uuid4())
    await harness.publish_all(registered(family))
    envelope = envelope_for(registered(str(uuid.uuid4())), source="test", clock=harness.clock)
    good = to_message(envelope, "puente.registration.events", {"traceparent": TRACEPARENT})
    await harness.bus.publish(dataclasses.replace(good, value=b"{not json"))
    dlq = dead_letter_topic("puente.registration.events")
    await eventually(lambda: harness.bus.read(dlq), what="the malformed message dead-lettered")

    after = await scrape(harness)
    handled = "puente_messages_handled_total"
    assert value(after, handled, **GATEWAY) == value(before, handled, **GATEWAY) + 1
    dead = "puente_messages_dead_lettered_total"
    assert value(after, dead, **GATEWAY) == value(before, dead, **GATEWAY) + 1
    duration = "puente_handler_duration_seconds_count"
    assert value(after, duration, **GATEWAY) == value(before, duration, **GATEWAY) + 1
    assert value(after, "puente_outbox_backlog", service="gateway") >= 0
    figures = await gateway_figures(harness)
    assert figures["deadLetters"] == figures_before["deadLetters"] + 1
    assert figures["parked"] == 0


async def test_consumer_lag_counts_what_is_published_and_not_yet_applied(
    make_harness,
) -> None:
    harness = make_harness()  # not started: nothing is applied
    for _ in range(3):
        await harness.publish(registered(str(uuid.uuid4())))
    await harness.gateway.service.measure_lag()
    lag = harness.gateway.service.lag()
    assert lag[("puente.gateway", "puente.registration.events")] == 3
    assert (await gateway_figures(harness))["lag"] >= 3
    await harness.start()
    await eventually(lambda: harness.projected() == 3)
    await harness.gateway.service.measure_lag()
    assert harness.gateway.service.lag()[("puente.gateway", "puente.registration.events")] == 0


async def test_graphql_requests_are_counted_by_their_root_fields_never_by_client_names(
    harness: Harness,
) -> None:
    token = harness.admin_token
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=harness.gateway.asgi),
        base_url="http://gateway",
        headers={"authorization": f"Bearer {token}"},
    ) as client:
        before = await scrape(harness)
        query = "query Lopez_Ana { mine: familiesByStage { stage } viewer { name } }"
        answer = await client.post("/graphql", json={"query": query})
        assert answer.status_code == 200
    after = await scrape(harness)
    name = "puente_graphql_requests_total"
    labels = {"service": "gateway", "operation": "query familiesByStage,viewer"}
    assert value(after, name, **labels) == value(before, name, **labels) + 1
    assert not any("Lopez" in str(key) or "mine" in str(key) for key in after)
    assert value(after, "puente_graphql_duration_seconds_count", **labels) >= 1


TRANSPORT = b'consumer="puente.transport",service="transport",topic="puente.scheduling.events"'
PEER = b"""# TYPE puente_consumer_lag gauge
puente_consumer_lag{%s} 7.0
# TYPE puente_messages_dead_lettered counter
puente_messages_dead_lettered_total{%s} 2.0
# TYPE puente_outbox_backlog gauge
puente_outbox_backlog{service="transport"} 3.0
""" % (TRANSPORT, TRANSPORT)


async def test_operations_reads_the_other_processes_metrics_and_leaves_out_one_that_is_down(
    make_harness,
) -> None:
    """The distributed run: each service in its own process, read from its /metrics."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readline()
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n%s" % (len(PEER), PEER))
        await writer.drain()
        writer.close()

    peer = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = peer.sockets[0].getsockname()[1]
    down = free_port()
    harness = make_harness(
        metrics_peers=f"http://127.0.0.1:{port}/metrics, http://127.0.0.1:{down}/metrics"
    )
    try:
        result = await harness.execute(OPERATIONS, harness.context_for(Role.POLICY_OFFICER))
    finally:
        peer.close()
    assert result.errors is None
    services = {one["service"]: one for one in result.data["operations"]}
    assert services["transport"] == {
        "service": "transport",
        "lag": 7,
        "deadLetters": 2,
        "parked": 0,
        "outboxBacklog": 3,
    }
    assert "gateway" in services  # its own process's figures, read directly
