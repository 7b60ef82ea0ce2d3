"""The whole platform in one process, as `make run` starts it, for wiring tests.

`platform` yields (platform, bus, graphql) where `graphql(query, **variables)` posts with the
admin token and returns `data`, failing on any GraphQL error. Helpers are in support.py.
"""

from __future__ import annotations

import time

import httpx
import pytest
from puente_platform import create_platform
from puente_platform.settings import PlatformSettings
from puente_runtime import AcceleratedClock, EmbeddedBus


@pytest.fixture
async def platform(tmp_path):
    # 100,000x: a day passes in under a second, so the journey takes a few seconds.
    settings = PlatformSettings(
        var_dir=tmp_path,
        simulator=True,
        simulator_late_every=0,  # no mishaps: tests count each family's events
        simulator_missed_every=0,
        relay_poll_seconds=0.05,
    )
    bus = EmbeddedBus(tmp_path / "bus.db", poll_seconds=0.02)
    built = create_platform(
        settings=settings, bus=bus, clock=AcceleratedClock(speed=100_000, epoch=time.time())
    )
    await bus.start()
    for service in built.all_services:
        await service.start()
    token = (tmp_path / "admin.token").read_text().strip()
    transport = httpx.ASGITransport(app=built.gateway.asgi)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://puente", headers={"authorization": f"Bearer {token}"}
    ) as client:

        async def graphql(query: str, **variables: object) -> dict:
            answer = await client.post("/graphql", json={"query": query, "variables": variables})
            assert answer.status_code == 200, answer.text
            assert "errors" not in answer.json(), answer.json()
            return answer.json()["data"]

        yield built, bus, graphql
    for service in built.all_services:
        await service.stop()
    await bus.stop()
