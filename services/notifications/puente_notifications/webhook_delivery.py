"""Sending webhook deliveries: due ones are claimed, signed and POSTed concurrently (httpx),
and each attempt's result is stored with its `webhook-delivery-attempted` event in one
transaction (outbox).

Durable: a delivery is a row, so a restart picks up every one where it was; its next attempt
is a time on the platform clock. A claim (real time) keeps two deliverers (replicas) from
sending the same delivery at once; a crashed deliverer's claim lapses after `CLAIM_LAPSES`.
Between a receiver's answer and the commit that records it, a crash sends the delivery
again, with the same `webhook-id`: receivers drop a `webhook-id` they have already had, as
Standard Webhooks asks.

`webhook-timestamp` is the real time of sending, not the platform clock: the receiver checks
it against its own clock (within 5 minutes), whatever speed the platform's clock runs at.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from puente_runtime import Clock, Service
from puente_runtime.bus import wait_for_wakeup
from puente_runtime.outbox import Contract, envelope_for, stage
from puente_runtime.sealing import Sealer
from puente_schemas.events import (
    NoticeDelivered,
    WebhookDeliveryAttempted,
    WebhookEndpointDisabled,
)
from sqlmodel import Session, col, or_, select, update
from standardwebhooks.webhooks import Webhook

from puente_notifications import domain, inbox
from puente_notifications import webhook_rules as rules
from puente_notifications.webhook_tables import (
    FAILED,
    PENDING,
    SUCCEEDED,
    WebhookDeliveryRow,
    WebhookEndpointRow,
)
from puente_notifications.webhooks import Resolve, address_errors

log = logging.getLogger("puente.notifications.webhooks")
CLAIM_LAPSES = dt.timedelta(seconds=30)  # longer than an attempt may take (15 s)
IDLE_SECONDS = 0.2  # how often due deliveries are looked for when nothing wakes the loop
BATCH = 500
CONCURRENCY = 20  # httpx pools grow slower with many connections than they gain
CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"


@dataclass(frozen=True)
class Attempt:
    delivery_id: str
    status: int | None  # the HTTP status, None without an answer
    retry_after: str | None
    error: str | None


class Deliverer:
    def __init__(
        self,
        *,
        service: Service,
        sealer: Sealer,
        allow_private: bool,
        resolver: Resolve,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._service = service
        self._clock: Clock = service.clock
        self._sealer = sealer
        self._allow_private = allow_private
        self._resolver = resolver
        self._transport = transport
        self._wakeup = asyncio.Event()

    def wake(self) -> None:
        self._wakeup.set()

    async def run(self) -> None:
        # httpx logs every request's URL at INFO: a partner's URL may carry a token of theirs.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        timeout = httpx.Timeout(rules.TIMEOUT.total_seconds())
        limits = httpx.Limits(max_connections=CONCURRENCY)
        async with httpx.AsyncClient(
            timeout=timeout, limits=limits, follow_redirects=False, transport=self._transport
        ) as client:
            while True:
                self._wakeup.clear()
                try:
                    sent = await self.deliver_due(client)
                except Exception:  # the database may be away: nothing was lost, try again
                    log.exception("webhook deliveries failed; trying again")
                    sent = 0
                if not sent:
                    await wait_for_wakeup(self._wakeup, IDLE_SECONDS)

    async def deliver_due(self, client: httpx.AsyncClient) -> int:
        """One round: claim what is due, send it, record what became of it."""
        claim = str(uuid.uuid4())
        due = self._claim(claim)
        if not due:
            return 0
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(row: WebhookDeliveryRow, endpoint: WebhookEndpointRow) -> Attempt:
            async with gate:
                return await self._send(client, row, endpoint)

        attempts = await asyncio.gather(*(one(row, endpoint) for row, endpoint in due))
        self._record(claim, attempts)
        return len(attempts)

    def _claim(self, claim: str) -> list[tuple[WebhookDeliveryRow, WebhookEndpointRow]]:
        real_now = dt.datetime.now(dt.UTC)
        unclaimed = or_(
            col(WebhookDeliveryRow.claim).is_(None),
            col(WebhookDeliveryRow.claimed_at) < real_now - CLAIM_LAPSES,
        )
        due = (
            select(WebhookDeliveryRow.id)
            .where(
                WebhookDeliveryRow.status == PENDING,
                col(WebhookDeliveryRow.next_attempt_at) <= self._clock.now(),
                unclaimed,
            )
            .order_by(col(WebhookDeliveryRow.next_attempt_at))
            .limit(BATCH)
        )
        with Session(self._service.engine, expire_on_commit=False) as session:
            session.exec(
                update(WebhookDeliveryRow)
                .where(col(WebhookDeliveryRow.id).in_(due.scalar_subquery()), unclaimed)
                .values(claim=claim, claimed_at=real_now)
            )
            session.commit()
            rows = session.exec(
                select(WebhookDeliveryRow, WebhookEndpointRow)
                .join(
                    WebhookEndpointRow, col(WebhookEndpointRow.id) == WebhookDeliveryRow.endpoint_id
                )
                .where(WebhookDeliveryRow.claim == claim)
            ).all()
        return [(row, endpoint) for row, endpoint in rows]

    async def _send(
        self, client: httpx.AsyncClient, row: WebhookDeliveryRow, endpoint: WebhookEndpointRow
    ) -> Attempt:
        refused = await asyncio.to_thread(
            address_errors, endpoint.url, allow_private=self._allow_private, resolver=self._resolver
        )
        if refused:
            return Attempt(row.id, None, None, f"url {refused[0].message}")
        sent_at = dt.datetime.now(dt.UTC)
        body = row.body.encode()
        headers = {
            "content-type": CONTENT_TYPE,
            "webhook-id": row.id,
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": " ".join(
                Webhook(secret).sign(row.id, sent_at, body) for secret in self._secrets(endpoint)
            ),
        }
        try:
            async with asyncio.timeout(rules.TIMEOUT.total_seconds()):  # the whole answer
                answer = await client.post(endpoint.url, content=body, headers=headers)
        except (httpx.HTTPError, TimeoutError) as error:
            return Attempt(row.id, None, None, f"{type(error).__name__}: no answer")
        return Attempt(row.id, answer.status_code, answer.headers.get("retry-after"), None)

    def _secrets(self, endpoint: WebhookEndpointRow) -> list[str]:
        """The current secret, and the one before it for a day after a rotation."""
        sealed = [endpoint.secret]
        until = endpoint.previous_valid_until
        if endpoint.previous_secret and until and until > self._clock.now():
            sealed.append(endpoint.previous_secret)
        return [self._sealer.unseal(s) for s in sealed]

    def _record(self, claim: str, attempts: Sequence[Attempt]) -> None:
        now = self._clock.now()
        with Session(self._service.engine) as session:
            events: list[Contract] = []
            for attempt in attempts:
                row = session.get(WebhookDeliveryRow, attempt.delivery_id)
                if row is None or row.claim != claim:
                    continue  # lapsed and taken by another deliverer, which records it
                endpoint = session.get(WebhookEndpointRow, row.endpoint_id)
                assert endpoint is not None
                events += _apply(session, row, endpoint, attempt, now)
            envelopes = [
                (envelope_for(e, source="notifications", clock=self._clock), e.TOPIC)
                for e in events
            ]
            stage(session, envelopes, clock=self._clock)
            session.commit()
        self._service.relay.wake()


def _apply(
    session: Session,
    row: WebhookDeliveryRow,
    endpoint: WebhookEndpointRow,
    attempt: Attempt,
    now: dt.datetime,
) -> list[Contract]:
    """What one attempt's answer does to its delivery and its endpoint."""
    answer = rules.answer_of(attempt.status)
    row.attempts += 1
    row.claim = row.claimed_at = None
    row.next_attempt_at = None
    delivered: list[Contract] = []
    if answer is rules.Answer.SUCCEEDED:
        row.status, endpoint.failing_since = SUCCEEDED, None
        delivered = _notice_delivered(row)
    else:
        wait = rules.retry_after(attempt.status, attempt.retry_after, now)
        retry = (
            rules.next_attempt(row.attempts, now, wait) if answer is rules.Answer.FAILED else None
        )
        row.status, row.next_attempt_at = (PENDING, retry) if retry else (FAILED, None)
        endpoint.failing_since = endpoint.failing_since or now
    gone = answer is rules.Answer.GONE
    failing = now - (endpoint.failing_since or now)
    disabling = []
    if endpoint.disabled_at is None and (gone or failing >= rules.DISABLE_AFTER):
        disabling = _disable(session, endpoint, now, gone=gone)
    if endpoint.disabled_at is not None and row.status == PENDING:  # now, or by another row
        row.status, row.next_attempt_at = FAILED, None
    session.add_all((row, endpoint))
    attempted = WebhookDeliveryAttempted(
        webhook_id=row.id,
        endpoint_id=row.endpoint_id,
        organisation_id=row.organisation_id,
        event_type=row.event_type,
        attempt=row.attempts,
        status="retrying" if row.status == PENDING else row.status,
        response_status=attempt.status,
        error=attempt.error,
        next_attempt_at=row.next_attempt_at,
    )
    return [attempted, *delivered, *disabling]


def _notice_delivered(row: WebhookDeliveryRow) -> list[Contract]:
    """A notice that reached its organisation's endpoint was delivered through `webhook`, as
    the inbox and e-mail report theirs (policyCompliance shows every channel)."""
    if row.event_type not in rules.EVENT_TYPES:
        return []  # a family's event: no notice
    notice = json.loads(row.body)["data"]
    return [
        NoticeDelivered(
            notice_id=notice["notice_id"],
            family_unit_id=notice.get("family_unit_id"),
            policy_id=notice.get("policy_id"),
            recipient=row.organisation_id,
            channel="webhook",
            kind=notice["kind"],
            organisation_id=row.organisation_id,
        )
    ]


def _disable(
    session: Session, endpoint: WebhookEndpointRow, now: dt.datetime, *, gone: bool
) -> list[Contract]:
    """No more deliveries to it; what was waiting fails; its organisation is told, like any
    notice: in its inbox and by e-mail to its contacts, in their languages."""
    reason = "answered 410 Gone" if gone else "failing for 5 days without a success"
    endpoint.disabled_at, endpoint.disabled_reason = now, reason
    session.exec(
        update(WebhookDeliveryRow)
        .where(
            col(WebhookDeliveryRow.endpoint_id) == endpoint.id,
            col(WebhookDeliveryRow.status) == PENDING,
        )
        .values(status=FAILED, next_attempt_at=None)
    )
    recipient = inbox.organisation_by_id(session, endpoint.organisation_id)
    host = urlsplit(endpoint.url).hostname or ""
    notice = domain.webhook_disabled(recipient, endpoint.id, host, gone)
    disabled = WebhookEndpointDisabled(
        endpoint_id=endpoint.id, organisation_id=endpoint.organisation_id, reason=reason
    )
    return [disabled, *inbox.issue(session, notice, now=now)]
