"""Memory of idle live subscriptions (`uv run python -m tests.bench.subscriptions`).

A gateway on an embedded bus in a temporary directory, with some history in its read model
(PUENTE_BENCH_SUBSCRIPTION_FAMILIES families, registered and scheduled). Then N idle
`familyEvents` subscriptions (PUENTE_BENCH_SUBSCRIPTIONS, default 1,000) from ten tokens of
two agencies (each replays the history, then waits live), measured side by side with the
baseline: the same gateway, the same history, before any subscription. Server side only
(schema.subscribe, as the WebSocket handler calls it; socket buffers are not counted).
Prints one JSON line: resident set and Python heap before and after, and per subscription.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

from puente_gateway.roles import Role
from puente_gateway.schema import schema
from puente_schemas.common import PartnerKind

from tests.gateway.support import Harness, eventually, registered, scheduled

EVENTS = "subscription { familyEvents { cursor familyUnitId type } }"


def resident_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def context(harness: Harness, n: int) -> dict[str, Any]:
    found = harness.context_for(
        Role.REGISTRAR, kind=PartnerKind.DHS, organisation_id=f"org-agency-{n % 2}"
    )
    principal = found["principal"]
    found["principal"] = principal.__class__(**{**principal.__dict__, "token_id": f"t-{n % 10}"})
    return found


async def main() -> None:
    count = int(os.environ.get("PUENTE_BENCH_SUBSCRIPTIONS", "1000"))
    families = int(os.environ.get("PUENTE_BENCH_SUBSCRIPTION_FAMILIES", "10"))
    with tempfile.TemporaryDirectory() as folder:
        harness = Harness(Path(folder))
        await harness.start()
        for _ in range(families):
            fid = str(uuid.uuid4())
            await harness.publish_all(registered(fid), scheduled(fid))
        gc.collect()
        tracemalloc.start()
        heap_before, rss_before = tracemalloc.get_traced_memory()[0], resident_kb()
        started = time.perf_counter()
        streams, waiting = [], []
        for n in range(count):
            stream = await schema.subscribe(EVENTS, context_value=context(harness, n))
            for _ in range(2 * families):  # the history, replayed
                await anext(stream)  # type: ignore[arg-type]
            streams.append(stream)
            waiting.append(asyncio.ensure_future(anext(stream)))  # type: ignore[arg-type]
        hub = harness.gateway.hub
        await eventually(lambda: sum(one.live for one in hub._listeners) == count, timeout=60)
        elapsed = time.perf_counter() - started
        gc.collect()
        heap_after, rss_after = tracemalloc.get_traced_memory()[0], resident_kb()
        tracemalloc.stop()
        for one in waiting:
            one.cancel()
        await asyncio.gather(*waiting, return_exceptions=True)
        await harness.stop()
    print(
        json.dumps(
            {
                "bench": "idle-subscriptions",
                "subscriptions": count,
                "history_events": 2 * families,
                "seconds_to_open": round(elapsed, 2),
                "rss_baseline_mb": round(rss_before / 1024, 1),
                "rss_mb": round(rss_after / 1024, 1),
                "rss_ratio": round(rss_after / rss_before, 3),
                "rss_per_subscription_kb": round((rss_after - rss_before) / count, 1),
                "heap_per_subscription_kb": round((heap_after - heap_before) / 1024 / count, 1),
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
