"""Webhook events in the read model: each organisation's endpoints (never their secrets) and
every delivery attempt notifications reports, for `webhookEndpoints` and `webhookDeliveries`.
An organisation sees its own endpoints only; notifications decides what is a valid endpoint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from puente_runtime import Context
from puente_schemas import Event
from puente_schemas.events import (
    WebhookDeliveryAttempted,
    WebhookEndpointCreated,
    WebhookEndpointDisabled,
    WebhookSecretRotated,
)
from sqlalchemy import JSON, Column
from sqlmodel import Field, Session, SQLModel, col, select

__all__ = [
    "WEBHOOK_TABLES",
    "apply",
    "attempts",
    "created_by",
    "endpoint",
    "endpoints",
]


class WebhookEndpointView(SQLModel, table=True):
    __tablename__ = "gateway_webhook_endpoint"

    id: str = Field(primary_key=True)
    organisation_id: str = Field(index=True)
    url: str
    event_types: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    description: str = ""
    created_at: dt.datetime
    secret_rotated_at: dt.datetime | None = None
    disabled_at: dt.datetime | None = None
    disabled_reason: str | None = None


class WebhookAttemptView(SQLModel, table=True):
    __tablename__ = "gateway_webhook_attempt"

    event_id: str = Field(primary_key=True)
    webhook_id: str = Field(index=True)
    endpoint_id: str = Field(index=True)
    event_type: str
    attempt: int
    status: str  # succeeded | retrying | failed
    response_status: int | None = None
    error: str | None = None
    next_attempt_at: dt.datetime | None = None
    attempted_at: dt.datetime


class WebhookCreatorView(SQLModel, table=True):
    """The token that created an endpoint: whose eyes it sees families' events with."""

    __tablename__ = "gateway_webhook_creator"

    endpoint_id: str = Field(primary_key=True)
    token_id: str = Field(index=True)


WEBHOOK_TABLES: tuple[type[SQLModel], ...] = (
    WebhookEndpointView,
    WebhookAttemptView,
    WebhookCreatorView,
)


def apply(event: Event, ctx: Context) -> None:
    at = ctx.envelope.time
    if isinstance(event, WebhookEndpointCreated):
        ctx.session.merge(
            WebhookEndpointView(
                id=event.endpoint_id,
                organisation_id=event.organisation_id,
                url=event.url,
                event_types=event.event_types,
                description=event.description,
                created_at=at,
            )
        )
    elif isinstance(event, WebhookSecretRotated | WebhookEndpointDisabled):
        view = ctx.session.get(WebhookEndpointView, event.endpoint_id)
        if view is None:
            return
        if isinstance(event, WebhookSecretRotated):
            view.secret_rotated_at = at
        else:
            view.disabled_at, view.disabled_reason = at, event.reason
        ctx.session.add(view)
    elif isinstance(event, WebhookDeliveryAttempted):
        ctx.session.merge(
            WebhookAttemptView(
                event_id=ctx.envelope.id,
                webhook_id=event.webhook_id,
                endpoint_id=event.endpoint_id,
                event_type=event.event_type,
                attempt=event.attempt,
                status=event.status,
                response_status=event.response_status,
                error=event.error,
                next_attempt_at=event.next_attempt_at,
                attempted_at=at,
            )
        )


def endpoint(
    session: Session, endpoint_id: str, organisation_id: str
) -> WebhookEndpointView | None:
    """The endpoint if it is the organisation's: another's is as unknown as a missing one."""
    found = session.get(WebhookEndpointView, endpoint_id)
    return found if found is not None and found.organisation_id == organisation_id else None


def endpoints(session: Session, organisation_id: str) -> Sequence[WebhookEndpointView]:
    query = select(WebhookEndpointView).where(
        WebhookEndpointView.organisation_id == organisation_id
    )
    return session.exec(query.order_by(col(WebhookEndpointView.created_at))).all()


def attempts(
    session: Session, endpoint_id: str, status: str | None
) -> Sequence[WebhookAttemptView]:
    query = select(WebhookAttemptView).where(WebhookAttemptView.endpoint_id == endpoint_id)
    if status is not None:
        query = query.where(WebhookAttemptView.status == status)
    order = (col(WebhookAttemptView.attempted_at), col(WebhookAttemptView.attempt))
    return session.exec(query.order_by(*order)).all()


def created_by(session: Session, endpoint_id: str, token_id: str) -> None:
    """Remember who asks for the endpoint, before notifications creates it."""
    session.merge(WebhookCreatorView(endpoint_id=endpoint_id, token_id=token_id))
