"""A service's health port serves `/metrics` in the Prometheus text format beside `/health`
and `/ready` (issue 11, item 4)."""

from __future__ import annotations

import httpx
from puente_runtime import metrics
from puente_runtime.health import serve_health


async def test_the_health_port_serves_prometheus_text() -> None:
    server = await serve_health(0, lambda: True)
    port = server.sockets[0].getsockname()[1]
    metrics.dead_lettered.add(1, {"service": "probe", "consumer": "c", "topic": "t"})
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            answer = await client.get("/metrics")
            ready = await client.get("/ready")
    finally:
        server.close()
    assert answer.status_code == 200 and ready.status_code == 200
    assert answer.headers["content-type"] == metrics.CONTENT_TYPE
    (probe,) = [
        one for one in metrics.operations(metrics.parse(answer.text)) if one.service == "probe"
    ]
    assert probe.dead_letters >= 1
