"""Webhook deliveries survive `kill -9`: notifications its own process on Kafka and
PostgreSQL, killed while every delivery waits for its retry, then started again; a partner's
receiver on 127.0.0.1 gets every delivery, each `webhook-id` succeeding exactly once."""

from __future__ import annotations

import uuid

import pytest
from puente_runtime import SystemClock
from puente_runtime.outbox import envelope_for
from puente_runtime.sealing import Sealer, load_platform_key, new_webhook_secret
from puente_schemas.commands import Command, CreateWebhookEndpoint
from puente_schemas.events import Event, NoticeIssued

from tests.kafka import broker
from tests.kafka.processes import Platform
from tests.polling import eventually
from tests.webhooks import Receiver, running

pytestmark = pytest.mark.servers
NOTICES = 12


async def send(platform: Platform, message: Command | Event) -> None:
    envelope = envelope_for(message, source="test", clock=SystemClock())
    await broker.produce(
        platform.bootstrap,
        message.TOPIC,
        key=envelope.subject,
        value=envelope.body(),
        headers=envelope.headers(),
    )


def fail_first(webhook_id: str, earlier: int) -> tuple[int, dict[str, str]]:
    return (500, {}) if earlier == 0 else (204, {})


async def test_notifications_killed_mid_retry_delivers_every_notice_once(platform: Platform):
    platform.clock_speed = 1.0  # retries 5 real seconds after the first attempt
    secret = new_webhook_secret()
    await platform.start("notifications", webhook_allow_private="true")
    sealed = Sealer(load_platform_key(None, platform.var_dir)).seal(secret)

    def recorded_attempts() -> list[tuple[int, str]]:
        return [
            (row[0], row[1])
            for row in platform.query(
                "notifications", "SELECT attempts, status FROM webhook_delivery"
            )
        ]

    with running(Receiver(secrets=[secret], script=fail_first)) as receiver:
        await send(
            platform,
            CreateWebhookEndpoint(
                endpoint_id=str(uuid.uuid4()),
                organisation_id="org-iom",
                url=receiver.url,
                event_types=[NoticeIssued.TYPE],
                secret=sealed,
            ),
        )
        await eventually(
            lambda: (
                platform.query("notifications", "SELECT count(*) FROM webhook_endpoint")[0][0] == 1
            ),
            timeout=30,
            what="the endpoint",
        )
        for n in range(NOTICES):
            await send(
                platform,
                NoticeIssued(
                    notice_id=str(uuid.uuid4()),
                    organisation_id="org-iom",
                    kind="policy",
                    title=f"Notice {n}",
                    text="Nogales opens on 3 December.",
                    language="eng",
                ),
            )
        # Every first attempt failed and is recorded; the retries are due in 5 s.
        await eventually(
            lambda: recorded_attempts() == [(1, "pending")] * NOTICES,
            timeout=30,
            what="every first attempt recorded",
        )
        assert platform.kill9("notifications") == -9
        await platform.restart("notifications", webhook_allow_private="true")
        await eventually(
            lambda: len(receiver.successes()) == NOTICES, timeout=60, what="every notice delivered"
        )
        await eventually(
            lambda: recorded_attempts() == [(2, "succeeded")] * NOTICES,
            timeout=30,
            what="every success recorded",
        )

    assert set(receiver.successes().values()) == {1}
    per_id = {r.webhook_id for r in receiver.received}
    assert len(per_id) == NOTICES and len(receiver.received) == 2 * NOTICES
    assert all(r.verified_with == {secret} for r in receiver.received)
