"""Webhook deliveries of one notice to every organisation (`uv run python -m
tests.bench.notices`, `make bench-notices`): the notifications service on the embedded bus
and SQLite, N organisations each with an endpoint on one local receiver (127.0.0.1, which
verifies every signature with `standardwebhooks`), one `notice-issued` per organisation as a
policy announcement makes them. Timed from the first notice published until the receiver
has had a verified 2xx for every one. Side by side, in the same run, as many plain signed
POSTs sent directly with httpx (same concurrency) to the same receiver: the ratio is what
the service's durability costs (rows, claims, outbox events per attempt).

  PUENTE_BENCH_ORGANISATIONS   how many organisations (default 1000)

Ends with one JSON line of figures.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from puente_notifications import create_app
from puente_notifications.webhook_delivery import CONCURRENCY, CONTENT_TYPE
from puente_runtime import EmbeddedBus, Service, Settings, SystemClock
from puente_runtime.messages import to_message
from puente_runtime.outbox import envelope_for
from puente_runtime.sealing import Sealer, load_platform_key, new_webhook_secret
from puente_schemas.commands import CreateWebhookEndpoint
from puente_schemas.events import NoticeIssued
from puente_schemas.topics import NOTIFICATIONS_EVENTS
from standardwebhooks.webhooks import Webhook

from tests.webhooks import Receiver, running

ORGANISATIONS = int(os.environ.get("PUENTE_BENCH_ORGANISATIONS", "1000"))
DEADLINE_SECONDS = 600.0


async def wait_for(check, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what}")
        await asyncio.sleep(0.05)


async def publish(bus: EmbeddedBus, clock: SystemClock, message) -> None:  # type: ignore[no-untyped-def]
    envelope = envelope_for(message, source="bench", clock=clock)
    await bus.publish(to_message(envelope, message.TOPIC, {}))


def created(bus: EmbeddedBus) -> int:
    kind = "webhook-endpoint-created"
    return sum(1 for m in bus.read(NOTIFICATIONS_EVENTS) if kind in m.headers["ce_type"])


async def service_run(var: Path, receiver: Receiver, secret: str) -> float:
    clock = SystemClock()
    settings = Settings(var_dir=var, relay_poll_seconds=0.05, webhook_allow_private=True)
    bus = EmbeddedBus(var / "bus.db", poll_seconds=0.02)
    service: Service = create_app(settings=settings, bus=bus, clock=clock)
    sealed = Sealer(load_platform_key(None, var)).seal(secret)
    await bus.start()
    await service.start()
    try:
        for n in range(ORGANISATIONS):
            await publish(
                bus,
                clock,
                CreateWebhookEndpoint(
                    endpoint_id=str(uuid.uuid4()),
                    organisation_id=f"org-{n}",
                    url=receiver.url,
                    event_types=[NoticeIssued.TYPE],
                    secret=sealed,
                ),
            )
        await wait_for(lambda: created(bus) == ORGANISATIONS, "the endpoints")
        start = time.monotonic()
        for n in range(ORGANISATIONS):
            await publish(bus, clock, notice(f"org-{n}"))
        await wait_for(lambda: len(verified(receiver)) == ORGANISATIONS, "the deliveries")
        return time.monotonic() - start
    finally:
        await service.stop()
        await bus.stop()


def notice(organisation: str) -> NoticeIssued:
    return NoticeIssued(
        notice_id=str(uuid.uuid4()),
        organisation_id=organisation,
        kind="policy",
        title="Nogales port opens for MPP processing",
        text="From 3 December, the port of Nogales processes MPP cases.",
        language="eng",
        policy_id="p-bench",
        effective_at=dt.datetime(2026, 12, 3, tzinfo=dt.UTC),
    )


def verified(receiver: Receiver) -> set[str]:
    return {r.webhook_id for r in receiver.received if r.verified_with and r.status < 300}


async def direct_run(receiver: Receiver, secret: str) -> float:
    """The baseline: the same number of signed POSTs of the same kind of body, sent directly."""
    signer = Webhook(secret)
    bodies = [json.dumps(notice(f"org-{n}").model_dump(mode="json")) for n in range(ORGANISATIONS)]
    gate = asyncio.Semaphore(CONCURRENCY)
    limits = httpx.Limits(max_connections=CONCURRENCY)

    async def post(client: httpx.AsyncClient, body: str) -> None:
        webhook_id, now = f"msg_{uuid.uuid4().hex}", dt.datetime.now(dt.UTC)
        headers = {
            "content-type": CONTENT_TYPE,
            "webhook-id": webhook_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signer.sign(webhook_id, now, body),
        }
        async with gate:
            answer = await client.post(receiver.url, content=body, headers=headers)
        answer.raise_for_status()

    start = time.monotonic()
    async with httpx.AsyncClient(limits=limits, timeout=15.0) as client:
        await asyncio.gather(*(post(client, body) for body in bodies))
    return time.monotonic() - start


async def main() -> None:
    var = Path(tempfile.mkdtemp(prefix="puente-bench-notices-"))
    secret = new_webhook_secret()
    with running(Receiver(secrets=[secret])) as receiver:
        service_seconds = await service_run(var, receiver, secret)
        duplicates = len(receiver.received) - len({r.webhook_id for r in receiver.received})
        direct_seconds = await direct_run(receiver, secret)
        unverified = [r for r in receiver.received if not r.verified_with]
    figures = {
        "bench": "notices-webhooks",
        "organisations": ORGANISATIONS,
        "deliveries": ORGANISATIONS,
        "service_seconds": round(service_seconds, 2),
        "service_deliveries_per_second": round(ORGANISATIONS / service_seconds, 1),
        "direct_httpx_seconds": round(direct_seconds, 2),
        "direct_posts_per_second": round(ORGANISATIONS / direct_seconds, 1),
        "ratio_service_to_direct": round(service_seconds / direct_seconds, 1),
        "duplicate_requests": duplicates,
        "unverified_requests": len(unverified),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(main())
