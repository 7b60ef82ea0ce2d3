"""Webhooks, per Standard Webhooks: an organisation creates endpoints, rotates their secrets,
reads the delivery attempts and replays deliveries; notifications sends them. An endpoint
may name family event types (as `familyEvents(types:)` takes them): it then receives the
events of the families its creator's token follows, redacted for that token (webhooking.py).

The gateway makes each endpoint's `whsec_` secret, shows it once, and sends it to
notifications sealed with the platform key (puente_runtime.sealing): it is never in clear on
the bus or in a database. An organisation acts on its own endpoints only; another's endpoint
is refused exactly like an unknown one. Notifications decides what is a valid endpoint.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry
from puente_runtime.sealing import Sealer, load_platform_key, new_webhook_secret
from puente_schemas import commands
from pydantic import ValidationError
from sqlmodel import Session
from strawberry.types import Info

from puente_gateway import webhooking
from puente_gateway.api.permissions import engine, gateway, principal, refuse
from puente_gateway.api.sending import send
from puente_gateway.api.types import CommandAnswer, CommandStatus, camel_path

UNKNOWN_ENDPOINT = "unknown webhook endpoint"


@strawberry.enum
class WebhookDeliveryStatus(Enum):
    SUCCEEDED = "succeeded"
    RETRYING = "retrying"
    FAILED = "failed"


@strawberry.type(description="A webhook endpoint of the caller's organisation.")
class WebhookEndpoint:
    id: strawberry.ID
    url: str
    event_types: list[str]
    description: str
    created_at: dt.datetime
    secret_rotated_at: dt.datetime | None
    disabled_at: dt.datetime | None
    disabled_reason: str | None


@strawberry.type(description="One attempt to deliver one message (same webhookId each time).")
class WebhookDeliveryAttempt:
    webhook_id: str
    event_type: str
    attempt: int
    status: WebhookDeliveryStatus
    response_status: int | None
    error: str | None
    attempted_at: dt.datetime
    next_attempt_at: dt.datetime | None


@strawberry.type
class WebhookSecretAnswer(CommandAnswer):
    endpoint_id: strawberry.ID
    secret: str | None = strawberry.field(
        description="The `whsec_` secret, shown this once (none when the command was rejected)."
    )


@strawberry.type
class WebhookReplayAnswer(CommandAnswer):
    deliveries: int | None = strawberry.field(description="How many are sent again.")


def _organisation(info: Info) -> str:
    caller = principal(info)
    if caller is None or caller.organisation_id is None:
        raise refuse("webhooks belong to an organisation: this token has none")
    return caller.organisation_id


def _own_endpoint(info: Info, endpoint_id: str) -> webhooking.WebhookEndpointView:
    with Session(engine(info)) as session:
        found = webhooking.endpoint(session, endpoint_id, _organisation(info))
    if found is None:
        raise ValueError(f"endpointId: {UNKNOWN_ENDPOINT}")
    return found


def _sealer(info: Info) -> Sealer:
    settings = gateway(info).settings
    return Sealer(load_platform_key(settings.platform_key, settings.var_dir))


async def _with_secret(
    info: Info, endpoint_id: str, make: type, accepted: str, **fields: object
) -> WebhookSecretAnswer:
    """Send `make(...)` with a new secret, sealed; the answer shows the secret in clear."""
    secret = new_webhook_secret()
    try:
        command = make(endpoint_id=endpoint_id, secret=_sealer(info).seal(secret), **fields)
    except ValidationError as error:
        problems = (f"{camel_path(str(e['loc'][0]))}: {e['msg']}" for e in error.errors())
        raise ValueError("; ".join(problems)) from None
    answer, _ = await send(info, command, accepted=frozenset({accepted}))
    return WebhookSecretAnswer(
        status=answer.status,
        command_id=answer.command_id,
        outcome=answer.outcome,
        errors=answer.errors,
        endpoint_id=strawberry.ID(endpoint_id),
        secret=None if answer.status is CommandStatus.REJECTED else secret,
    )


async def create_webhook_endpoint(
    info: Info, url: str, event_types: list[str], description: str = ""
) -> WebhookSecretAnswer:
    organisation_id = _organisation(info)
    endpoint_id = gateway(info).new_id()
    caller = principal(info)
    assert caller is not None
    with Session(engine(info)) as session:  # whose eyes it sees families' events with
        webhooking.created_by(session, endpoint_id, caller.token_id)
        session.commit()
    return await _with_secret(
        info,
        endpoint_id,
        commands.CreateWebhookEndpoint,
        "webhook-endpoint-created",
        organisation_id=organisation_id,
        url=url,
        event_types=event_types,
        description=description,
    )


async def rotate_webhook_secret(info: Info, endpoint_id: strawberry.ID) -> WebhookSecretAnswer:
    own = _own_endpoint(info, str(endpoint_id))
    return await _with_secret(
        info,
        own.id,
        commands.RotateWebhookSecret,
        "webhook-secret-rotated",
        organisation_id=own.organisation_id,
    )


async def replay_webhook_deliveries(
    info: Info, endpoint_id: strawberry.ID, since: dt.datetime
) -> WebhookReplayAnswer:
    if since.tzinfo is None:
        raise ValueError("since: needs a time zone (e.g. 2026-12-01T00:00:00Z)")
    own = _own_endpoint(info, str(endpoint_id))
    command = commands.ReplayWebhookDeliveries(
        endpoint_id=own.id, organisation_id=own.organisation_id, since=since
    )
    answer, outcome = await send(info, command, accepted=frozenset({"webhook-deliveries-replayed"}))
    replayed = outcome.data.get("deliveries") if outcome else None
    return WebhookReplayAnswer(
        status=answer.status,
        command_id=answer.command_id,
        outcome=answer.outcome,
        errors=answer.errors,
        deliveries=replayed,
    )


def webhook_endpoints(info: Info) -> list[WebhookEndpoint]:
    with Session(engine(info)) as session:
        rows = webhooking.endpoints(session, _organisation(info))
        return [
            WebhookEndpoint(
                id=strawberry.ID(row.id),
                url=row.url,
                event_types=list(row.event_types),
                description=row.description,
                created_at=row.created_at,
                secret_rotated_at=row.secret_rotated_at,
                disabled_at=row.disabled_at,
                disabled_reason=row.disabled_reason,
            )
            for row in rows
        ]


def webhook_deliveries(
    info: Info, endpoint_id: strawberry.ID, status: WebhookDeliveryStatus | None = None
) -> list[WebhookDeliveryAttempt]:
    own = _own_endpoint(info, str(endpoint_id))
    with Session(engine(info)) as session:
        rows = webhooking.attempts(session, own.id, status.value if status else None)
        return [
            WebhookDeliveryAttempt(
                webhook_id=row.webhook_id,
                event_type=row.event_type,
                attempt=row.attempt,
                status=WebhookDeliveryStatus(row.status),
                response_status=row.response_status,
                error=row.error,
                attempted_at=row.attempted_at,
                next_attempt_at=row.next_attempt_at,
            )
            for row in rows
        ]
