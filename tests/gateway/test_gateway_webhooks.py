"""Webhooks through GraphQL: the gateway with the notifications service on one embedded bus,
and a partner's real receiver on 127.0.0.1 that verifies with `standardwebhooks`."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from puente_gateway.roles import Role
from puente_notifications import create_app as create_notifications
from puente_schemas.events import NoticeIssued

from tests.gateway.support import T0, Harness
from tests.polling import eventually
from tests.webhooks import Receiver, running

CREATE = """
mutation($url: String!, $types: [String!]!) {
  createWebhookEndpoint(url: $url, eventTypes: $types, description: "intake desk") {
    status endpointId secret errors { field message }
  }
}"""
ROTATE = """mutation($id: ID!) {
  rotateWebhookSecret(endpointId: $id) { status secret errors { field message } } }"""
REPLAY = """mutation($id: ID!, $since: DateTime!) {
  replayWebhookDeliveries(endpointId: $id, since: $since) { status deliveries } }"""
DELIVERIES = """query($id: ID!, $status: WebhookDeliveryStatus) {
  webhookDeliveries(endpointId: $id, status: $status) { webhookId attempt status responseStatus }
}"""
ENDPOINTS = "{ webhookEndpoints { id url eventTypes description disabledAt } }"
ORG, OTHER = "org-casa-alitas", "org-other"


@pytest.fixture
async def platform(make_harness: Callable[..., Harness]) -> AsyncIterator[Harness]:
    harness = make_harness(webhook_allow_private=True)
    notifications = create_notifications(
        settings=harness.settings, bus=harness.bus, clock=harness.clock
    )
    await harness.start()
    await notifications.start()
    yield harness
    await notifications.stop()


async def ask(harness: Harness, query: str, organisation: str = ORG, **variables: Any) -> Any:
    context = harness.context_for(Role.SHELTER, organisation_id=organisation)
    return await harness.execute(query, context, **variables)


async def ok(harness: Harness, query: str, organisation: str = ORG, **variables: Any) -> dict:
    result = await ask(harness, query, organisation, **variables)
    assert result.errors is None, result.errors
    return result.data


async def notice(harness: Harness, organisation: str = ORG) -> None:
    await harness.publish(
        NoticeIssued(
            notice_id=str(uuid.uuid4()),
            organisation_id=organisation,
            kind="policy",
            title="Nogales opens",
            text="Nogales opens on 3 December.",
            language="eng",
        )
    )


async def test_an_organisation_creates_an_endpoint_and_reads_its_deliveries(platform):
    with running(Receiver()) as receiver:
        created = (await ok(platform, CREATE, url=receiver.url, types=[NoticeIssued.TYPE]))[
            "createWebhookEndpoint"
        ]
        assert created["status"] == "ACCEPTED" and created["secret"].startswith("whsec_")
        receiver.secrets.append(created["secret"])
        await notice(platform, OTHER)  # another organisation's notice is not sent here
        await notice(platform)
        endpoint = created["endpointId"]
        attempts = await eventually(
            lambda: _deliveries(platform, endpoint, status="SUCCEEDED"), timeout=10
        )
    assert len(receiver.received) == 1 and receiver.received[0].verified_with == {created["secret"]}
    assert attempts == [
        {
            "webhookId": receiver.received[0].webhook_id,
            "attempt": 1,
            "status": "SUCCEEDED",
            "responseStatus": 204,
        }
    ]
    (listed,) = (await ok(platform, ENDPOINTS))["webhookEndpoints"]
    assert listed["url"] == receiver.url and listed["description"] == "intake desk"
    assert "secret" not in listed
    # Another organisation neither lists it nor reads it: refused as if it did not exist.
    assert (await ok(platform, ENDPOINTS, OTHER))["webhookEndpoints"] == []
    theirs = await ask(platform, DELIVERIES, OTHER, id=endpoint)
    unknown = await ask(platform, DELIVERIES, ORG, id="no-such-endpoint")
    assert [e.message for e in theirs.errors] == [e.message for e in unknown.errors]
    assert "unknown webhook endpoint" in theirs.errors[0].message


async def _endpoints(harness: Harness) -> list[dict]:
    return (await ok(harness, ENDPOINTS))["webhookEndpoints"]


async def _deliveries(harness: Harness, endpoint: str, status: str) -> list[dict]:
    found = await ok(harness, DELIVERIES, id=endpoint, status=status)
    return found["webhookDeliveries"]


async def test_a_rotated_secret_is_shown_once_and_both_sign_then_replay_sends_again(platform):
    with running(Receiver()) as receiver:
        created = (await ok(platform, CREATE, url=receiver.url, types=[NoticeIssued.TYPE]))[
            "createWebhookEndpoint"
        ]
        endpoint = created["endpointId"]
        await eventually(lambda: _endpoints(platform))  # projected: the gateway knows it
        rotated = (await ok(platform, ROTATE, id=endpoint))["rotateWebhookSecret"]
        assert rotated["status"] == "ACCEPTED" and rotated["secret"] != created["secret"]
        receiver.secrets.extend([created["secret"], rotated["secret"]])
        await notice(platform)
        await eventually(lambda: len(receiver.received) == 1)
        since = (T0 - dt.timedelta(minutes=1)).isoformat()
        replayed = (await ok(platform, REPLAY, id=endpoint, since=since))["replayWebhookDeliveries"]
        await eventually(lambda: len(receiver.received) == 2)
    assert replayed == {"status": "ACCEPTED", "deliveries": 1}
    assert all(r.verified_with == {created["secret"], rotated["secret"]} for r in receiver.received)
    refused = await ask(platform, ROTATE, OTHER, id=endpoint)
    assert "unknown webhook endpoint" in refused.errors[0].message


async def test_bad_endpoints_get_errors_naming_the_field_and_no_secret(platform):
    public_http = await ok(
        platform, CREATE, url="http://93.184.215.14/p", types=[NoticeIssued.TYPE]
    )
    unknown_type = await ok(platform, CREATE, url="http://127.0.0.1:9/p", types=["gossip"])
    too_long = await ask(
        platform, CREATE, url="https://h.example/" + "a" * 2048, types=[NoticeIssued.TYPE]
    )
    answers = [public_http["createWebhookEndpoint"], unknown_type["createWebhookEndpoint"]]
    assert [(a["status"], a["secret"]) for a in answers] == [("REJECTED", None)] * 2
    assert [[e["field"] for e in a["errors"]] for a in answers] == [["url"], ["eventTypes"]]
    assert too_long.errors[0].message.startswith("url:")
    assert (await ok(platform, ENDPOINTS))["webhookEndpoints"] == []
