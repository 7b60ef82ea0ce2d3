"""Webhooks as a partner receives them: a real HTTP receiver on 127.0.0.1 verifies every
request with `standardwebhooks` and reads it with the `cloudevents` SDK, while the
notifications service runs on a fake clock."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path

import pytest
from puente_notifications import create_app
from puente_notifications.tables import NoticeRow, OrganisationRow
from puente_notifications.webhook_delivery import Deliverer
from puente_notifications.webhook_tables import WebhookDeliveryRow
from puente_notifications.webhooks import resolve
from puente_runtime import EmbeddedBus, FakeClock, Service, Settings
from puente_runtime.messages import to_message
from puente_runtime.outbox import envelope_for
from puente_runtime.sealing import Sealer, load_platform_key, new_webhook_secret
from puente_schemas import Envelope
from puente_schemas.commands import (
    Command,
    CreateWebhookEndpoint,
    ReplayWebhookDeliveries,
    RotateWebhookSecret,
)
from puente_schemas.common import Contact, PartnerKind
from puente_schemas.events import Event, NoticeIssued, OrganisationRegistered
from puente_schemas.topics import NOTIFICATIONS_EVENTS
from sqlmodel import Session, select

from tests.polling import eventually
from tests.webhooks import Receiver, running

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
ORG = "org-casa-alitas"


@dataclass
class Notifications:
    tmp: Path
    clock: FakeClock
    bus: EmbeddedBus | None = None
    service: Service | None = None
    allow_private: bool = True
    resolver: Callable[[str], list[str]] = resolve

    @property
    def sealer(self) -> Sealer:
        return Sealer(load_platform_key(None, self.tmp))

    async def start(self) -> None:
        """The service and its bus, on the files of any run before (as after a crash)."""
        settings = Settings(
            var_dir=self.tmp, relay_poll_seconds=0.02, webhook_allow_private=self.allow_private
        )
        self.bus = EmbeddedBus(self.tmp / "bus.db", poll_seconds=0.02)
        self.service = create_app(
            settings=settings, bus=self.bus, clock=self.clock, resolver=self.resolver
        )
        await self.bus.start()
        await self.service.start()

    async def stop(self) -> None:
        assert self.service is not None and self.bus is not None
        await self.service.stop()
        await self.bus.stop()

    async def send(self, message: Command | Event) -> Envelope:
        envelope = envelope_for(message, source="test", clock=self.clock)
        assert self.bus is not None
        await self.bus.publish(to_message(envelope, message.TOPIC, {}))
        return envelope

    def published(self, kind: str) -> list[dict]:
        assert self.bus is not None
        found = [
            Envelope.from_kafka(m.headers, m.value) for m in self.bus.read(NOTIFICATIONS_EVENTS)
        ]
        return [e.data for e in found if e.type.split(".")[-2] == kind]

    async def endpoint(self, url: str, secret: str, *, organisation: str = ORG) -> str:
        endpoint_id = str(uuid.uuid4())
        await self.send(
            CreateWebhookEndpoint(
                endpoint_id=endpoint_id,
                organisation_id=organisation,
                url=url,
                event_types=[NoticeIssued.TYPE],
                secret=self.sealer.seal(secret),
            )
        )
        await eventually(
            lambda: any(
                e["endpoint_id"] == endpoint_id for e in self.published("webhook-endpoint-created")
            )
        )
        return endpoint_id

    async def notice(self, title: str = "Nogales opens", organisation: str = ORG) -> str:
        notice_id = str(uuid.uuid4())
        await self.send(
            NoticeIssued(
                notice_id=notice_id,
                organisation_id=organisation,
                kind="policy",
                title=title,
                text=f"{title} on 3 December.",
                language="eng",
                policy_id="p-1",
            )
        )
        return notice_id

    def attempts(self) -> list[dict]:
        return self.published("webhook-delivery-attempted")


@pytest.fixture
async def notifications(tmp_path) -> AsyncIterator[Notifications]:
    running_service = Notifications(tmp_path, FakeClock(NOW))
    await running_service.start()
    yield running_service
    await running_service.stop()


def fail_three_times(webhook_id: str, earlier: int) -> tuple[int, dict[str, str]]:
    return (500, {}) if earlier < 3 else (200, {})


async def test_failing_three_times_then_succeeding_retries_on_the_schedule_once(notifications):
    secret = new_webhook_secret()
    with running(Receiver(secrets=[secret], script=fail_three_times)) as receiver:
        await notifications.endpoint(receiver.url, secret)
        notice_id = await notifications.notice()
        for count, wait in enumerate(
            [dt.timedelta(seconds=5), dt.timedelta(minutes=5), dt.timedelta(minutes=30)], start=1
        ):
            await eventually(lambda count=count: len(notifications.attempts()) == count)
            notifications.clock.advance(wait)
        await eventually(lambda: len(notifications.attempts()) == 4)

    attempts = notifications.attempts()
    assert [a["status"] for a in attempts] == ["retrying"] * 3 + ["succeeded"]
    assert [a["response_status"] for a in attempts] == [500, 500, 500, 200]
    assert [a["next_attempt_at"] for a in attempts] == [
        (NOW + dt.timedelta(seconds=5)).isoformat().replace("+00:00", "Z"),
        (NOW + dt.timedelta(seconds=5, minutes=5)).isoformat().replace("+00:00", "Z"),
        (NOW + dt.timedelta(seconds=5, minutes=35)).isoformat().replace("+00:00", "Z"),
        None,
    ]
    (webhook_id,) = {r.webhook_id for r in receiver.received}
    assert len(receiver.received) == 4 and receiver.successes() == {webhook_id: 1}
    assert all(r.verified_with == {secret} for r in receiver.received)
    event = receiver.received[-1].cloud_event()
    assert receiver.received[-1].headers["content-type"].startswith("application/cloudevents+json")
    assert event.get_type() == NoticeIssued.TYPE and event.get_subject() == notice_id
    assert event.get_data()["title"] == "Nogales opens"
    # Delivered through `webhook` once it succeeded, as inbox and e-mail report theirs.
    delivered = await eventually(lambda: notifications.published("notice-delivered"))
    assert [(d["notice_id"], d["channel"], d["policy_id"]) for d in delivered] == [
        (notice_id, "webhook", "p-1")
    ]


async def test_410_disables_the_endpoint_and_its_organisation_hears_of_it(notifications):
    secret = new_webhook_secret()
    gone = Receiver(secrets=[secret], script=lambda _id, _n: (410, {}))
    with running(gone), running(Receiver(secrets=[secret])) as witness:
        gone_id = await notifications.endpoint(gone.url, secret)
        await notifications.endpoint(witness.url, secret)
        await notifications.notice()
        await eventually(lambda: notifications.published("webhook-endpoint-disabled"))
        # The next notice reaches the witness, and nothing is queued for the gone endpoint.
        await notifications.notice("Nogales closes")
        await eventually(lambda: len(witness.received) >= 3)  # 2 notices + "disabled"
    (disabled,) = notifications.published("webhook-endpoint-disabled")
    assert disabled["endpoint_id"] == gone_id and "410" in disabled["reason"]
    told = [n for n in notifications.published("notice-issued") if n["kind"] == "webhook-disabled"]
    assert [n["organisation_id"] for n in told] == [ORG]
    assert len(gone.received) == 1
    (attempt,) = [a for a in notifications.attempts() if a["endpoint_id"] == gone_id]
    assert (attempt["status"], attempt["next_attempt_at"]) == ("failed", None)
    assert notifications.service is not None
    with Session(notifications.service.engine) as session:
        queued = session.exec(
            select(WebhookDeliveryRow).where(WebhookDeliveryRow.endpoint_id == gone_id)
        )
        assert len(queued.all()) == 1


async def test_after_a_rotation_both_secrets_verify_for_a_day(notifications):
    old, new = new_webhook_secret(), new_webhook_secret()
    with running(Receiver(secrets=[old, new])) as receiver:
        endpoint_id = await notifications.endpoint(receiver.url, old)
        await notifications.send(
            RotateWebhookSecret(
                endpoint_id=endpoint_id, organisation_id=ORG, secret=notifications.sealer.seal(new)
            )
        )
        await eventually(lambda: notifications.published("webhook-secret-rotated"))
        await notifications.notice()
        await eventually(lambda: len(receiver.received) == 1)
        notifications.clock.advance(dt.timedelta(hours=24, seconds=1))
        await notifications.notice("Nogales closes")
        await eventually(lambda: len(receiver.received) == 2)
    assert [r.verified_with for r in receiver.received] == [{old, new}, {new}]
    assert len(receiver.received[0].headers["webhook-signature"].split(" ")) == 2


async def test_another_organisations_endpoint_is_refused_like_an_unknown_one(notifications):
    secret = new_webhook_secret()
    with running(Receiver(secrets=[secret])) as receiver:
        endpoint_id = await notifications.endpoint(receiver.url, secret)
    for endpoint in (endpoint_id, "no-such-endpoint"):
        await notifications.send(
            RotateWebhookSecret(
                endpoint_id=endpoint,
                organisation_id="org-other",
                secret=notifications.sealer.seal(secret),
            )
        )
    await eventually(lambda: len(notifications.published("command-rejected")) == 2)
    refusals = [r["errors"] for r in notifications.published("command-rejected")]
    assert (
        refusals[0]
        == refusals[1]
        == [{"field": "endpoint_id", "message": "unknown webhook endpoint"}]
    )
    assert notifications.published("webhook-secret-rotated") == []


async def test_bad_endpoints_are_refused_naming_the_field_and_nothing_is_written(notifications):
    sealed = notifications.sealer.seal(new_webhook_secret())
    bad = [
        ("http://hooks.example.org/p", [NoticeIssued.TYPE], sealed),
        ("https://127.0.0.1/p", ["org.puente.notifications.gossip.v1"], sealed),
        ("https://127.0.0.1/p", [NoticeIssued.TYPE], "not sealed"),
    ]
    for url, types, secret in bad:
        await notifications.send(
            CreateWebhookEndpoint(
                endpoint_id=str(uuid.uuid4()),
                organisation_id=ORG,
                url=url,
                event_types=types,
                secret=secret,
            )
        )
    await eventually(lambda: len(notifications.published("command-rejected")) == 3)
    fields = [
        [e["field"] for e in r["errors"]] for r in notifications.published("command-rejected")
    ]
    assert fields == [["url"], ["event_types"], ["secret"]]
    assert notifications.published("webhook-endpoint-created") == []


async def test_a_restart_mid_retry_loses_nothing_and_delivers_once(notifications):
    secret = new_webhook_secret()
    fail_once = lambda _id, earlier: (503, {"retry-after": "7"}) if earlier == 0 else (200, {})  # noqa: E731
    with running(Receiver(secrets=[secret], script=fail_once)) as receiver:
        await notifications.endpoint(receiver.url, secret)
        await notifications.notice()
        await eventually(lambda: len(notifications.attempts()) == 1)
        await notifications.stop()
        await notifications.start()
        notifications.clock.advance(dt.timedelta(seconds=7))  # the 503 asked for 7, not 5
        await eventually(lambda: len(notifications.attempts()) == 2)
    first, second = notifications.attempts()
    assert first["next_attempt_at"] == (NOW + dt.timedelta(seconds=7)).isoformat().replace(
        "+00:00", "Z"
    )
    assert second["status"] == "succeeded" and second["attempt"] == 2
    assert len(receiver.received) == 2 and list(receiver.successes().values()) == [1]


async def test_replay_sends_the_deliveries_since_a_time_again(notifications):
    secret = new_webhook_secret()
    with running(Receiver(secrets=[secret])) as receiver:
        endpoint_id = await notifications.endpoint(receiver.url, secret)
        await notifications.notice()
        await eventually(lambda: len(receiver.received) == 1)
        await notifications.send(
            ReplayWebhookDeliveries(endpoint_id=endpoint_id, organisation_id=ORG, since=NOW)
        )
        await eventually(lambda: len(receiver.received) == 2)
    (replayed,) = notifications.published("webhook-deliveries-replayed")
    assert replayed["deliveries"] == 1
    assert receiver.received[0].webhook_id == receiver.received[1].webhook_id


async def test_a_redirect_is_not_followed_and_counts_as_a_failure(notifications):
    secret = new_webhook_secret()
    with running(Receiver(secrets=[secret])) as elsewhere:
        moved = Receiver(
            secrets=[secret], script=lambda _id, _n: (307, {"location": elsewhere.url})
        )
        with running(moved):
            await notifications.endpoint(moved.url, secret)
            await notifications.notice()
            await eventually(lambda: notifications.attempts())
    (attempt,) = notifications.attempts()
    assert (attempt["status"], attempt["response_status"]) == ("retrying", 307)
    assert len(moved.received) == 1 and elsewhere.received == []


async def test_failing_for_five_days_disables_the_endpoint(notifications):
    secret = new_webhook_secret()
    with running(Receiver(secrets=[secret], script=lambda _id, _n: (500, {}))) as receiver:
        await notifications.endpoint(receiver.url, secret)
        await notifications.notice()
        for made in range(1, 9):  # every attempt of the schedule fails (about 28 hours)
            await eventually(lambda made=made: len(notifications.attempts()) == made)
            notifications.clock.advance(dt.timedelta(hours=10))
        assert notifications.attempts()[-1]["status"] == "failed"
        assert notifications.published("webhook-endpoint-disabled") == []
        notifications.clock.current = NOW + dt.timedelta(days=5)
        await notifications.notice("Nogales closes")
        await eventually(lambda: notifications.published("webhook-endpoint-disabled"))
    (disabled,) = notifications.published("webhook-endpoint-disabled")
    assert "5 days" in disabled["reason"]
    told = [n for n in notifications.published("notice-issued") if n["kind"] == "webhook-disabled"]
    assert len(told) == 1 and len(receiver.received) == 9


async def test_a_disabled_endpoint_is_told_in_the_inbox_and_by_mail_in_its_language(
    notifications,
):
    """On the fake clock: a failure, five days, a second failure; the organisation (which
    reads Spanish) finds the notice in its inbox and its contact gets it by e-mail."""
    await notifications.send(
        OrganisationRegistered(
            organisation_id=ORG,
            name="Casa Alitas",
            kind=PartnerKind.SHELTER,
            languages=["spa"],
            contacts=[Contact(name="Rosa", email="rosa@casa.example.org")],
        )
    )
    assert notifications.service is not None
    engine = notifications.service.engine

    def known() -> bool:
        with Session(engine) as session:
            return session.get(OrganisationRow, ORG) is not None

    await eventually(known)
    secret = new_webhook_secret()
    with running(Receiver(secrets=[secret], script=lambda _id, _n: (500, {}))) as receiver:
        endpoint_id = await notifications.endpoint(receiver.url, secret)
        await notifications.notice()
        await eventually(lambda: len(notifications.attempts()) == 1)
        notifications.clock.current = NOW + dt.timedelta(days=5)
        await eventually(lambda: notifications.published("webhook-endpoint-disabled"))

    def told(channel: str) -> list[dict]:
        delivered = notifications.published("notice-delivered")
        return [d for d in delivered if d["kind"] == "webhook-disabled" and d["channel"] == channel]

    await eventually(lambda: told("email"))
    (issued,) = [
        n
        for n in notifications.published("notice-issued")
        if n["organisation_id"] == ORG and n["kind"] == "webhook-disabled"
    ]
    assert (issued["language"], issued["title"]) == ("spa", "Webhook desactivado")
    assert issued["text"] == (
        f"Su punto de conexión de webhook {endpoint_id} en 127.0.0.1 fue desactivado porque "
        "todas las entregas fallaron durante 5 días. Ya no se le envía nada: cree un punto de "
        "conexión nuevo para volver a recibir los avisos por webhook."
    )
    assert [(d["notice_id"], d["organisation_id"]) for d in told("inbox")] == [
        (issued["notice_id"], ORG)
    ]
    with Session(engine) as session:
        (row,) = session.exec(select(NoticeRow).where(NoticeRow.kind == "webhook-disabled"))
    assert (row.id, row.organisation_id, row.text) == (issued["notice_id"], ORG, issued["text"])
    (mailed,) = (notifications.tmp / "mail").glob("*.eml")
    email = message_from_bytes(mailed.read_bytes(), policy=email_policy.default)
    assert (email["To"], email["Subject"]) == (
        "rosa@casa.example.org",
        "[Puente] Webhook desactivado",
    )
    assert email.get_content().startswith(issued["text"])
    assert receiver.url not in email.get_content()


async def test_an_address_is_checked_again_when_sent(tmp_path):
    """The host resolved to a public address when the endpoint was made; now it resolves to a
    private one: nothing is sent there."""
    addresses = {"hooks.partner.example": ["93.184.215.14"]}
    service = Notifications(
        tmp_path, FakeClock(NOW), allow_private=False, resolver=lambda host: addresses[host]
    )
    await service.start()
    try:
        await service.endpoint("https://hooks.partner.example/puente", new_webhook_secret())
        addresses["hooks.partner.example"] = ["10.0.0.7"]
        await service.notice()
        (attempt,) = await eventually(lambda: service.attempts())
    finally:
        await service.stop()
    assert attempt["response_status"] is None and "private" in attempt["error"]


async def test_the_deliverer_stops_when_stopped_just_as_it_is_woken(tmp_path):
    # A notice queued for webhooks wakes the deliverer; the service stopping at that moment
    # must still end it (Python 3.11's wait_for swallowed that cancellation, so stop hung).
    notifications = Notifications(tmp_path, FakeClock(NOW))
    await notifications.start()
    try:
        assert notifications.service is not None
        deliverer = Deliverer(
            service=notifications.service,
            sealer=notifications.sealer,
            allow_private=False,
            resolver=resolve,
        )
        task = asyncio.create_task(deliverer.run())
        await asyncio.sleep(0.05)  # let it find nothing due and wait to be woken
        deliverer.wake()
        task.cancel()
        done, _ = await asyncio.wait([task], timeout=2)
        assert done and task.cancelled(), "the deliverer kept running after being cancelled"
    finally:
        await notifications.stop()
