"""`make bench-notice-subscribers`: 1,000 organisations each follow `subscription notices`
live on one gateway; a policy's notice is issued to every one of them at once. Reports the
delay from publishing each notice to its organisation receiving it (p50, p99; aim: p99 under
250 ms) and the gateway's memory per subscriber; side by side in the same run, as many raw
listeners on the gateway's hub (no GraphQL, no read of the notice) receive the same notices,
and the ratio of the two p99s. Ends with one JSON line of figures.

  PUENTE_BENCH_SUBSCRIBERS  how many organisations and subscribers (default 1000)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from puente_gateway import create_app
from puente_gateway.roles import Role
from puente_gateway.schema import schema
from puente_runtime import EmbeddedBus, Settings, SystemClock
from puente_runtime.messages import to_message
from puente_runtime.outbox import envelope_for
from puente_schemas.events import NoticeIssued, PolicyAnnounced

from tests.gateway.support import principal

SUBSCRIBERS = int(os.environ.get("PUENTE_BENCH_SUBSCRIBERS", "1000"))
FEED = "subscription { notices { id } }"
Received = dict[str, float]  # notice id -> time.perf_counter() of receipt


def notice(round_: str, index: int) -> NoticeIssued:
    return NoticeIssued(
        notice_id=f"{round_}-{index}",
        organisation_id=f"org-{index}",
        kind="policy",
        title="Nogales abre",
        text="El puerto de Nogales abre en 30 horas.",
        language="spa",
        policy_id=f"p-{round_}",
        effective_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=30),
    )


async def graphql_subscriber(gateway: Any, index: int, received: Received) -> None:
    context = {
        "gateway": gateway,
        "principal": principal(Role.SHELTER, organisation_id=f"org-{index}"),
    }
    feed = await schema.subscribe(FEED, context_value=context)
    async for result in feed:  # type: ignore[union-attr]
        received[result.data["notices"]["id"]] = time.perf_counter()


async def raw_subscriber(gateway: Any, index: int, received: Received) -> None:
    with gateway.hub.listen() as queue:
        while True:
            entry = await queue.get()
            if entry.type == "notice-issued" and entry.organisation_id == f"org-{index}":
                received[entry.data["notice_id"]] = time.perf_counter()


async def until(check: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("not every notice arrived")
        await asyncio.sleep(0.005)


async def one_round(
    gateway: Any,
    bus: EmbeddedBus,
    round_: str,
    subscriber: Callable[[Any, int, Received], Awaitable[None]],
) -> dict[str, float]:
    received: Received = {}
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    tasks = [asyncio.create_task(subscriber(gateway, i, received)) for i in range(SUBSCRIBERS)]
    await asyncio.sleep(1)  # every subscription listening
    per_subscriber = (tracemalloc.get_traced_memory()[0] - before) / SUBSCRIBERS
    tracemalloc.stop()
    clock = SystemClock()
    policy = PolicyAnnounced(
        policy_id=f"p-{round_}", title="Nogales opens", effective_at=clock.now()
    )
    await bus.publish(
        to_message(envelope_for(policy, source="bench", clock=clock), policy.TOPIC, {})
    )
    published: dict[str, float] = {}
    for index in range(SUBSCRIBERS):
        event = notice(round_, index)
        envelope = envelope_for(event, source="bench", clock=clock)
        await bus.publish(to_message(envelope, event.TOPIC, {}))
        published[event.notice_id] = time.perf_counter()
    await until(lambda: published.keys() <= received.keys(), timeout=300)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    delays = sorted((received[n] - published[n]) * 1000 for n in published)
    return {
        "p50_ms": round(statistics.median(delays), 1),
        "p99_ms": round(delays[int(len(delays) * 0.99) - 1], 1),
        "bytes_per_subscriber": round(per_subscriber),
    }


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        settings = Settings(var_dir=path, relay_poll_seconds=0.05)
        bus = EmbeddedBus(path / "bus.db", poll_seconds=0.005)
        gateway = create_app(settings=settings, bus=bus, clock=SystemClock())
        await bus.start()
        await gateway.service.start()
        try:
            raw = await one_round(gateway, bus, "raw", raw_subscriber)
            print(f"raw hub listeners: {raw}", flush=True)
            graphql = await one_round(gateway, bus, "graphql", graphql_subscriber)
            print(f"notices subscriptions: {graphql}", flush=True)
        finally:
            await gateway.service.stop()
            await bus.stop()
    figures = {
        "bench": "notice-subscribers",
        "subscribers": SUBSCRIBERS,
        "p50_ms": graphql["p50_ms"],
        "p99_ms": graphql["p99_ms"],
        "bytes_per_subscriber": graphql["bytes_per_subscriber"],
        "raw_p50_ms": raw["p50_ms"],
        "raw_p99_ms": raw["p99_ms"],
        "raw_bytes_per_subscriber": raw["bytes_per_subscriber"],
        "p99_ratio": round(graphql["p99_ms"] / max(raw["p99_ms"], 0.001), 2),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(main())
