"""Family events to webhooks. The gateway owns who follows which family (access.py) and what
of an event each may see (redaction.py), so as it projects each family event it decides
which endpoints receive it and with what `data`, and hands each to notifications as a
`deliver-webhook-event` command (its outbox, in the projection's transaction): notifications
signs, sends and retries it as it does notices, durably.

An endpoint sees a family's events with the eyes of the token that created it (its roles,
sites and routes; its organisation's kind and shelter, as they are now): exactly what that
token's `familyEvents` would show. Once that token is revoked, the endpoint receives no
family event (its notices go on)."""

from __future__ import annotations

from typing import Any

from puente_schemas import Envelope
from puente_schemas.commands import DeliverWebhookEvent
from puente_schemas.events import short_type
from sqlmodel import Session, col, select

from puente_gateway import audit, records
from puente_gateway.access import may_receive
from puente_gateway.auth import principal_of
from puente_gateway.redaction import personal, redact
from puente_gateway.tables import AuditRow, Token
from puente_gateway.webhooking import WebhookCreatorView, WebhookEndpointView

__all__ = ["WEBHOOK_READ", "family_deliveries"]

# In the audit log, what read a family's record through a webhook: `webhook.<event type>`.
WEBHOOK_READ = "webhook"


def family_deliveries(
    session: Session, envelope: Envelope, family_unit_id: str, data: dict[str, Any]
) -> list[DeliverWebhookEvent]:
    """The event for every endpoint that asked for its type and whose creator follows the
    family and may receive the event (access.may_receive), its `data` redacted for that
    creator (redaction.redact). Showing a record or legal history is audited, as in GraphQL."""
    name = short_type(envelope.type)
    query = (
        select(WebhookEndpointView, Token)
        .join(WebhookCreatorView, col(WebhookCreatorView.endpoint_id) == WebhookEndpointView.id)
        .join(Token, col(Token.id) == WebhookCreatorView.token_id)
        .where(col(WebhookEndpointView.disabled_at).is_(None), col(Token.revoked_at).is_(None))
    )
    asking = [(e, t) for e, t in session.exec(query).all() if name in e.event_types]
    if not asking:
        return []
    record = records.access(session, family_unit_id)
    deliveries = []
    for endpoint_, token in asking:
        creator = principal_of(session, token)
        if creator is None or not may_receive(creator, record, name):
            continue
        shown = redact(creator, name, data, record)
        if personal(name, shown):
            session.add(
                AuditRow(
                    at=envelope.time,
                    family_unit_id=family_unit_id,
                    operation=f"{WEBHOOK_READ}.{name}",
                    outcome=audit.READ,
                    token_id=creator.token_id,
                    principal=creator.name,
                    organisation_id=creator.organisation_id,
                )
            )
        deliveries.append(
            DeliverWebhookEvent(
                endpoint_id=endpoint_.id,
                organisation_id=endpoint_.organisation_id,
                event_id=envelope.id,
                event_source=envelope.source,
                event_type=envelope.type,
                event_time=envelope.time,
                family_unit_id=family_unit_id,
                data=shown,
            )
        )
    return deliveries
