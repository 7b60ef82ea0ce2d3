"""Family events by webhook: the gateway decides which endpoint receives which family's events
and redacts them (access.py, redaction.py), notifications signs and sends them. Each partner
runs a real receiver on 127.0.0.1 that verifies every request with `standardwebhooks`."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from puente_gateway.auth import authenticate, revoke_token
from puente_gateway.roles import Role
from puente_gateway.schema import schema
from puente_gateway.tables import AuditRow
from puente_notifications import create_app as create_notifications
from puente_schemas.common import PartnerKind
from puente_schemas.events import CourtAssigned
from sqlmodel import Session, select

from tests.gateway.support import (
    T0,
    Harness,
    booked,
    registered,
    scheduled,
    shelter_assigned,
)
from tests.polling import eventually
from tests.webhooks import Receiver, running

CREATE = """
mutation($url: String!, $types: [String!]!) {
  createWebhookEndpoint(url: $url, eventTypes: $types) {
    status endpointId secret errors { field message }
  }
}"""
FEED = """
subscription($types: [String!]) { familyEvents(types: $types) { eventId familyUnitId type data } }
"""
_STEPS = ["registered", "scheduled", "shelter-assigned", "transport-booked", "court-assigned"]
LEGAL_HISTORY = {"a_number", "case_category", "court", "mpp_enrollment_date", "legal_action"}


@pytest.fixture
async def platform(tmp_path) -> AsyncIterator[Harness]:
    harness = Harness(tmp_path, webhook_allow_private=True)
    notifications = create_notifications(
        settings=harness.settings, bus=harness.bus, clock=harness.clock
    )
    await harness.start()
    await notifications.start()
    yield harness
    await notifications.stop()
    await harness.stop()


def context(harness: Harness, token: str) -> dict[str, Any]:
    caller = authenticate(harness.gateway.service.engine, f"Bearer {token}")
    assert caller is not None
    return {"gateway": harness.gateway, "principal": caller}


async def endpoint(harness: Harness, token: str, receiver: Receiver, types: list[str]) -> str:
    result = await harness.execute(CREATE, context(harness, token), url=receiver.url, types=types)
    assert result.errors is None and result.data is not None, result.errors
    created = result.data["createWebhookEndpoint"]
    assert created["status"] == "ACCEPTED", created
    receiver.secrets.append(created["secret"])
    return created["endpointId"]


async def feed(harness: Harness, token: str, types: list[str], count: int) -> list[dict]:
    """The first `count` events the token's own familyEvents shows of these types."""
    subscription = await schema.subscribe(
        FEED, variable_values={"types": types}, context_value=context(harness, token)
    )
    found: list[dict] = []

    async def take() -> None:
        async for result in subscription:  # type: ignore[union-attr]
            assert result.errors is None, result.errors
            found.append(result.data["familyEvents"])
            if len(found) == count:
                return

    await asyncio.wait_for(take(), 10)
    await subscription.aclose()  # type: ignore[union-attr]
    return found


def received(receiver: Receiver) -> list[dict]:
    """Each verified delivery's CloudEvent, as the partner reads it, in the order the events
    happened (webhooks are sent concurrently: the receiver orders them by time)."""
    assert all(r.verified_with == frozenset(receiver.secrets) for r in receiver.received)
    events = [json.loads(r.body) for r in receiver.received]
    return sorted(events, key=lambda e: (e["time"], _STEPS.index(e["type"].split(".")[-2])))


def court(family_unit_id: str) -> CourtAssigned:
    return CourtAssigned(family_unit_id=family_unit_id, court="Harlingen", destination="Houston")


async def test_a_shelter_gets_the_journey_of_families_coming_to_it_redacted(platform):
    casa, _ = platform.token(Role.SHELTER, kind=PartnerKind.SHELTER, shelter_id="casa")
    other, _ = platform.token(Role.SHELTER, kind=PartnerKind.SHELTER, shelter_id="other")
    types = ["registered", "shelter-assigned", "transport-booked", "court-assigned"]
    coming, elsewhere = str(uuid.uuid4()), str(uuid.uuid4())
    with running(Receiver()) as at_casa, running(Receiver()) as at_other:
        await endpoint(platform, casa, at_casa, types)
        await endpoint(platform, other, at_other, types)
        for family, shelter in ((coming, "casa"), (elsewhere, "other")):
            await platform.publish_in_order(
                registered(family),
                scheduled(family),
                shelter_assigned(family, shelter),
                booked(family, f"bk-{family}"),
                court(family),
            )
        await eventually(lambda: len(at_casa.received) >= 2 and len(at_other.received) >= 2)
        shown = await feed(platform, casa, ["shelter-assigned", "transport-booked"], 2)

    casa_events, other_events = received(at_casa), received(at_other)
    # From the moment it is expected, the steps of its journey; never its legal history.
    assert [(e["subject"], e["type"].split(".")[-2]) for e in casa_events] == [
        (coming, "shelter-assigned"),
        (coming, "transport-booked"),
    ]
    assert {e["subject"] for e in other_events} == {elsewhere}
    assigned, booking = (e["data"] for e in casa_events)
    assert assigned["people"] == 2 and assigned["languages"] == ["mam", "spa"]
    assert booking["seats"] == 2 and "pickup_point" not in booking
    assert not {k for e in casa_events for k in e["data"]} & (LEGAL_HISTORY | {"members"})
    # Exactly what the shelter's own feed shows of the same events.
    assert [(e["id"], e["data"]) for e in casa_events] == [(f["eventId"], f["data"]) for f in shown]
    assert len(at_casa.successes()) == 2


async def test_a_legal_provider_gets_its_clients_only_with_their_legal_history(platform):
    lawyer, firm = platform.token(Role.LEGAL_PROVIDER, kind=PartnerKind.LEGAL_PROVIDER)
    client, stranger = str(uuid.uuid4()), str(uuid.uuid4())
    with running(Receiver()) as receiver:
        await endpoint(platform, lawyer, receiver, ["registered", "court-assigned"])
        await platform.publish_in_order(
            registered(client, organisation_id=firm),
            registered(stranger, organisation_id="org-other", consent=["legal_provider"]),
            court(client),
            court(stranger),
        )
        await eventually(lambda: len(receiver.received) >= 2)
        shown = await feed(platform, lawyer, ["registered", "court-assigned"], 2)

    events = received(receiver)
    assert [(e["subject"], e["type"].split(".")[-2]) for e in events] == [
        (client, "registered"),
        (client, "court-assigned"),
    ]
    assert events[0]["data"]["members"][0]["a_number"] == "A123456789"
    assert events[1]["data"]["court"] == "Harlingen"
    assert [(e["id"], e["data"]) for e in events] == [(f["eventId"], f["data"]) for f in shown]
    with Session(platform.gateway.service.engine) as session:
        reads = session.exec(select(AuditRow).where(AuditRow.family_unit_id == client)).all()
    assert ("webhook.registered", "read") in {(r.operation, r.outcome) for r in reads}


async def test_an_endpoint_stops_getting_family_events_when_its_token_is_revoked(platform):
    lawyer, firm = platform.token(Role.LEGAL_PROVIDER, kind=PartnerKind.LEGAL_PROVIDER)
    before, after = str(uuid.uuid4()), str(uuid.uuid4())
    with running(Receiver()) as receiver:
        await endpoint(platform, lawyer, receiver, ["registered"])
        await platform.publish_in_order(registered(before, organisation_id=firm))
        await eventually(lambda: receiver.received)
        caller = authenticate(platform.gateway.service.engine, f"Bearer {lawyer}")
        assert caller is not None
        revoke_token(platform.gateway.service.engine, caller.token_id, now=T0)
        await platform.publish_in_order(registered(after, organisation_id=firm))
        # The event after the revocation is projected; notifications is handed nothing of it.
        handed = [
            body["family_unit_id"]
            for kind, body in platform.staged_commands()
            if kind == "deliver-webhook-event"
        ]
        assert handed == [before]

    assert [json.loads(r.body)["subject"] for r in receiver.received] == [before]
