"""Webhook handlers: endpoints created, their secrets rotated, deliveries replayed, every
notice an organisation receives queued for each of its endpoints that asked for it, and each
family event the gateway hands over for an endpoint (DeliverWebhookEvent, already redacted
by the gateway, which decides who follows which family) queued for it.

The deliveries themselves are sent by webhook_delivery.py. Handlers only write rows, in the
transaction of the message they apply (inbox), so a delivery is queued exactly once.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken
from puente_runtime import Context, Handlers
from puente_runtime.sealing import SECRET_PREFIX, Sealer
from puente_schemas.commands import (
    CreateWebhookEndpoint,
    DeliverWebhookEvent,
    ReplayWebhookDeliveries,
    RotateWebhookSecret,
)
from puente_schemas.common import FieldError
from puente_schemas.events import (
    Event,
    NoticeEscalated,
    NoticeIssued,
    NotificationsCommandRejected,
    WebhookDeliveriesReplayed,
    WebhookEndpointCreated,
    WebhookSecretRotated,
)
from sqlmodel import col, select, update

from puente_notifications import webhook_rules as rules
from puente_notifications.webhook_tables import PENDING, WebhookDeliveryRow, WebhookEndpointRow

# Host name -> the addresses it resolves to (tests and the bench may pass their own).
Resolve = Callable[[str], list[str]]
UNKNOWN_ENDPOINT = "unknown webhook endpoint"


def resolve(host: str) -> list[str]:
    """Every address `host` resolves to; none when it does not resolve. Blocking, like the
    rest of a handler's work: once per endpoint created and per delivery attempt."""
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return []
    return sorted({str(info[4][0]) for info in found})


def address_errors(url: str, *, allow_private: bool, resolver: Resolve) -> list[FieldError]:
    host = urlsplit(url).hostname or ""
    return rules.address_errors(url, resolver(host), allow_private=allow_private)


def create_endpoint(
    command: CreateWebhookEndpoint,
    ctx: Context,
    *,
    sealer: Sealer,
    allow_private: bool,
    resolver: Resolve,
) -> list[Event]:
    errors = rules.endpoint_errors(command.url, command.event_types)
    if not any(e.field == "url" for e in errors):
        errors += address_errors(command.url, allow_private=allow_private, resolver=resolver)
    errors += _secret_errors(sealer, command.secret)
    if ctx.session.get(WebhookEndpointRow, command.endpoint_id) is not None:
        errors.append(FieldError(field="endpoint_id", message="is already taken"))
    if errors:
        return [_rejected(CreateWebhookEndpoint.TYPE, errors)]
    ctx.session.add(
        WebhookEndpointRow(
            id=command.endpoint_id,
            organisation_id=command.organisation_id,
            url=command.url,
            event_types=list(command.event_types),
            description=command.description,
            secret=command.secret,
            created_at=ctx.clock.now(),
        )
    )
    return [
        WebhookEndpointCreated(
            endpoint_id=command.endpoint_id,
            organisation_id=command.organisation_id,
            url=command.url,
            event_types=list(command.event_types),
            description=command.description,
        )
    ]


def rotate_secret(command: RotateWebhookSecret, ctx: Context, *, sealer: Sealer) -> list[Event]:
    endpoint = _own_endpoint(ctx, command.endpoint_id, command.organisation_id)
    errors = _secret_errors(sealer, command.secret)
    if endpoint is None:
        errors.append(FieldError(field="endpoint_id", message=UNKNOWN_ENDPOINT))
    if errors or endpoint is None:
        return [_rejected(RotateWebhookSecret.TYPE, errors)]
    valid_until = ctx.clock.now() + rules.PREVIOUS_SECRET_VALID
    endpoint.previous_secret, endpoint.previous_valid_until = endpoint.secret, valid_until
    endpoint.secret = command.secret
    ctx.session.add(endpoint)
    return [
        WebhookSecretRotated(
            endpoint_id=endpoint.id,
            organisation_id=endpoint.organisation_id,
            previous_valid_until=valid_until,
        )
    ]


def replay(
    command: ReplayWebhookDeliveries, ctx: Context, *, wake: Callable[[], None]
) -> list[Event]:
    """Every delivery made to the endpoint since `since`, whatever became of it, is sent
    again now, with its own `webhook-id` (a receiver that has it already may skip it)."""
    endpoint = _own_endpoint(ctx, command.endpoint_id, command.organisation_id)
    if endpoint is None or endpoint.disabled_at is not None:
        message = UNKNOWN_ENDPOINT if endpoint is None else "is disabled"
        refusal = FieldError(field="endpoint_id", message=message)
        return [_rejected(ReplayWebhookDeliveries.TYPE, [refusal])]
    chosen = (col(WebhookDeliveryRow.endpoint_id) == endpoint.id) & (
        col(WebhookDeliveryRow.created_at) >= command.since
    )
    replayed = ctx.session.exec(
        update(WebhookDeliveryRow)
        .where(chosen)
        .values(status=PENDING, next_attempt_at=ctx.clock.now(), claim=None)
    )
    ctx.after_commit.append(wake)
    return [
        WebhookDeliveriesReplayed(
            endpoint_id=endpoint.id,
            organisation_id=endpoint.organisation_id,
            since=command.since,
            deliveries=replayed.rowcount,
        )
    ]


def queue_notice(
    event: NoticeIssued | NoticeEscalated, ctx: Context, *, wake: Callable[[], None]
) -> list[Event]:
    """One delivery per endpoint of the organisation that asked for this type of event."""
    endpoints = ctx.session.exec(
        select(WebhookEndpointRow).where(
            WebhookEndpointRow.organisation_id == event.organisation_id,
            col(WebhookEndpointRow.disabled_at).is_(None),
        )
    )
    envelope = ctx.envelope
    body = cloud_event(
        id=envelope.id,
        source=envelope.source,
        type=envelope.type,
        subject=event.notice_id,
        time=envelope.time,
        data=envelope.data,
    )
    for endpoint in endpoints:
        if envelope.type in endpoint.event_types:
            ctx.session.add(_delivery(ctx, endpoint, envelope.id, envelope.type, body))
    ctx.after_commit.append(wake)
    return []


def queue_family_event(
    command: DeliverWebhookEvent, ctx: Context, *, wake: Callable[[], None]
) -> list[Event]:
    """The gateway chose the endpoint and redacted `data` for its organisation; an endpoint
    disabled (or unknown) by the time this arrives gets nothing, like a notice to it."""
    endpoint = _own_endpoint(ctx, command.endpoint_id, command.organisation_id)
    if endpoint is None or endpoint.disabled_at is not None:
        return []
    if ctx.session.get(WebhookDeliveryRow, webhook_id(endpoint.id, command.event_id)):
        return []  # the same event handed over again (a replayed projection)
    body = cloud_event(
        id=command.event_id,
        source=command.event_source,
        type=command.event_type,
        subject=command.family_unit_id,
        time=command.event_time,
        data=command.data,
    )
    ctx.session.add(_delivery(ctx, endpoint, command.event_id, command.event_type, body))
    ctx.after_commit.append(wake)
    return []


def _delivery(
    ctx: Context, endpoint: WebhookEndpointRow, event_id: str, event_type: str, body: str
) -> WebhookDeliveryRow:
    return WebhookDeliveryRow(
        id=webhook_id(endpoint.id, event_id),
        endpoint_id=endpoint.id,
        organisation_id=endpoint.organisation_id,
        event_type=event_type,
        body=body,
        created_at=ctx.clock.now(),
        next_attempt_at=ctx.clock.now(),
    )


def webhook_id(endpoint_id: str, event_id: str) -> str:
    """The same for one event to one endpoint, however often the event is applied."""
    return f"msg_{uuid.uuid5(uuid.NAMESPACE_URL, f'{endpoint_id}/{event_id}').hex}"


def cloud_event(
    *, id: str, source: str, type: str, subject: str, time: dt.datetime, data: dict[str, Any]
) -> str:
    """The event as a CloudEvents 1.0 JSON event (structured mode). Notices name no person:
    a family appears only by its id; a family's event carries what the gateway left of it."""
    return json.dumps(
        {
            "specversion": "1.0",
            "id": id,
            "source": source,
            "type": type,
            "subject": subject,
            "time": time.isoformat(),
            "datacontenttype": "application/json",
            "data": data,
        },
        separators=(",", ":"),
    )


def _own_endpoint(
    ctx: Context, endpoint_id: str, organisation_id: str
) -> WebhookEndpointRow | None:
    """Another organisation's endpoint is refused exactly like an unknown one."""
    endpoint = ctx.session.get(WebhookEndpointRow, endpoint_id)
    return endpoint if endpoint and endpoint.organisation_id == organisation_id else None


def _secret_errors(sealer: Sealer, sealed: str) -> list[FieldError]:
    try:
        secret = sealer.unseal(sealed)
    except InvalidToken:
        return [FieldError(field="secret", message="is not sealed with the platform key")]
    if not secret.startswith(SECRET_PREFIX):
        return [FieldError(field="secret", message=f"must start with {SECRET_PREFIX}")]
    return []


def _rejected(command: str, errors: list[FieldError]) -> NotificationsCommandRejected:
    return NotificationsCommandRejected(command=command, errors=errors)


def webhook_handlers(
    *, sealer: Sealer, allow_private: bool, wake: Callable[[], None], resolver: Resolve = resolve
) -> Handlers:
    queue = partial(queue_notice, wake=wake)
    return {
        CreateWebhookEndpoint: partial(
            create_endpoint, sealer=sealer, allow_private=allow_private, resolver=resolver
        ),
        RotateWebhookSecret: partial(rotate_secret, sealer=sealer),
        ReplayWebhookDeliveries: partial(replay, wake=wake),
        NoticeIssued: queue,
        NoticeEscalated: queue,
        DeliverWebhookEvent: partial(queue_family_event, wake=wake),
    }


HANDLERS: Handlers = webhook_handlers(
    sealer=Sealer(Fernet.generate_key()), allow_private=False, wake=lambda: None
)
