"""Webhook endpoints and deliveries (private to notifications). A delivery row is written in
the same transaction as the event it delivers was applied (inbox), and each attempt's result
in the same transaction as its `webhook-delivery-attempted` event (outbox): a restart picks
up every delivery where it was."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

PENDING, SUCCEEDED, FAILED = "pending", "succeeded", "failed"


class WebhookEndpointRow(SQLModel, table=True):
    __tablename__ = "webhook_endpoint"

    id: str = Field(primary_key=True)
    organisation_id: str = Field(index=True)
    url: str
    event_types: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    description: str = ""
    secret: str  # sealed with the platform key (puente_runtime.sealing)
    previous_secret: str | None = None  # sealed; signs too until previous_valid_until
    previous_valid_until: dt.datetime | None = None
    created_at: dt.datetime
    failing_since: dt.datetime | None = None  # first failure after the last success
    disabled_at: dt.datetime | None = None
    disabled_reason: str | None = None


class WebhookDeliveryRow(SQLModel, table=True):
    """One message to one endpoint; `id` is its `webhook-id`, the same on every attempt."""

    __tablename__ = "webhook_delivery"

    id: str = Field(primary_key=True)
    endpoint_id: str = Field(index=True)
    organisation_id: str
    event_type: str
    body: str  # the CloudEvent exactly as signed and sent
    created_at: dt.datetime = Field(index=True)
    attempts: int = 0
    status: str = Field(default=PENDING, index=True)
    next_attempt_at: dt.datetime | None = Field(default=None, index=True)
    # Taken by one deliverer while it sends (real time: a crashed one's claim lapses).
    claim: str | None = None
    claimed_at: dt.datetime | None = None


WEBHOOK_TABLES: tuple[type[SQLModel], ...] = (WebhookEndpointRow, WebhookDeliveryRow)
