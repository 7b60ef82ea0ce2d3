"""Family events by webhook with every service its own process on Kafka and PostgreSQL: the
gateway process decides and redacts, the notifications process signs and sends. A shelter's
verified receiver gets the journey of the family coming to it; another shelter's nothing."""

from __future__ import annotations

import json

import httpx
import pytest
from puente_processing.domain.shelters import SHELTERS, choose_shelter
from puente_runtime.sealing import load_platform_key
from puente_schemas.places import PORTS

from tests.kafka.broker import Tap
from tests.kafka.journey import GraphQL, published
from tests.kafka.processes import SERVICES, Platform
from tests.polling import eventually
from tests.webhooks import Receiver, running
from tests.wiring.test_partners import ISSUE

pytestmark = pytest.mark.servers

SHELTER = """
mutation($name: String!, $shelter: ID!) {
  createOrganisation(name: $name, kind: SHELTER, shelterId: $shelter) { id }
}"""
ENDPOINT = """
mutation($url: String!, $types: [String!]!) {
  createWebhookEndpoint(url: $url, eventTypes: $types) { status secret errors { message } }
}"""
TYPES = ["registered", "shelter-assigned", "court-assigned", "released"]


async def shelter_endpoint(platform: Platform, shelter_id: str, receiver: Receiver) -> None:
    admin = GraphQL(platform.gateway_url, platform.admin_token)

    async def made() -> str | None:  # once the gateway knows the shelter from processing
        try:
            answer = await admin.execute(SHELTER, name=f"Shelter {shelter_id}", shelter=shelter_id)
        except (AssertionError, httpx.HTTPError):
            return None
        return str(answer["createOrganisation"]["id"])

    organisation = await eventually(made, timeout=60, what=f"shelter {shelter_id} known")
    issued = await admin.execute(ISSUE, id=organisation, roles=["SHELTER"])
    shelter = GraphQL(platform.gateway_url, issued["issueToken"]["token"])
    created = (await shelter.execute(ENDPOINT, url=receiver.url, types=TYPES))[
        "createWebhookEndpoint"
    ]
    assert created["status"] == "ACCEPTED", created
    receiver.secrets.append(created["secret"])


async def test_a_shelters_webhook_gets_the_journey_of_the_family_coming_to_it(
    platform: Platform, tap: Tap
) -> None:
    load_platform_key(None, platform.var_dir)  # one key for the gateway and notifications
    await platform.start(*SERVICES, webhook_allow_private="true")
    nearest = choose_shelter(SHELTERS, PORTS["san-ysidro"], 3)
    assert nearest is not None
    elsewhere = next(s for s in SHELTERS if s.id != nearest.id)
    with running(Receiver()) as coming_to, running(Receiver()) as other:
        await shelter_endpoint(platform, nearest.id, coming_to)
        await shelter_endpoint(platform, elsewhere.id, other)
        family = await GraphQL(platform.gateway_url, platform.admin_token).register_family()
        await eventually(
            lambda: published(tap, family, "released"), timeout=120, what="the release"
        )
        await eventually(
            lambda: (
                {"shelter-assigned", "released"}
                <= {json.loads(r.body)["type"].split(".")[-2] for r in coming_to.received}
            ),
            timeout=60,
            what="the shelter's webhook",
        )
        await platform.settle(tap)

    events = [json.loads(r.body) for r in coming_to.received]
    assert all(r.verified_with == frozenset(coming_to.secrets) for r in coming_to.received)
    assert {e["subject"] for e in events} == {family}
    # From its assignment on: the steps a shelter needs, never names or legal history.
    assert sorted(e["type"].split(".")[-2] for e in events) == ["released", "shelter-assigned"]
    (assigned,) = [e["data"] for e in events if e["type"].endswith("shelter-assigned.v1")]
    assert assigned["shelter_id"] == nearest.id and assigned["people"] == 3
    (released,) = [e["data"] for e in events if e["type"].endswith(".released.v1")]
    assert released["shelter_id"] == nearest.id and "released_at" in released
    # Where the family goes is its record (no consent given), parole and court legal history.
    assert not released.keys() & {"destination", "on_parole", "court"}
    assert len(coming_to.successes()) == len(events)
    assert all(json.loads(r.body)["subject"] != family for r in other.received)
