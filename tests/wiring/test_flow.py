"""A family's flow across the services (issue 11, item 3), on the whole platform in one
process: each event with its producer, cause, publication, the consumers that applied it and
the lag of each hop, one trace, and the spans the platform keeps of it; refused and audited
for a caller who does not follow the family."""

from __future__ import annotations

import datetime as dt

import httpx

from tests.polling import eventually
from tests.wiring.support import FAMILY, REGISTER, member

FLOW = """query ($id: ID!) { flow(familyUnitId: $id) {
  familyUnitId traceId
  events { eventId type service causeId causeType occurredAt publishedAt publishLagSeconds
           traceId hops { consumer appliedAt lagSeconds } }
  spans { traceId spanId parentId name service start durationMs } } }"""
AUDIT = "query ($id: ID!) { auditLog(familyUnitId: $id) { operation outcome } }"


def at(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


async def register(graphql) -> str:
    answer = (
        await graphql(
            REGISTER,
            input={
                "channel": "ONLINE",
                "currentLocation": {"city": "Tijuana", "country": "MX"},
                "members": [member("A123456789")],
            },
        )
    )["registerFamily"]
    assert answer["status"] == "ACCEPTED"
    return answer["familyUnitId"]


async def test_a_familys_flow_names_each_hop_across_the_services_in_one_trace(platform):
    _, _, graphql = platform
    family = await register(graphql)

    async def booked():
        unit = (await graphql(FAMILY, id=family))["familyUnit"]
        return unit["stage"] in ("TRANSPORT_BOOKED", "ARRIVED", "PROCESSED", "RELEASED")

    await eventually(booked, timeout=20, what="the family booked on a transport")
    flow = (await graphql(FLOW, id=family))["flow"]
    events = {event["type"]: event for event in flow["events"]}

    assert flow["familyUnitId"] == family
    registered, scheduled, booked_event = (
        events["registered"],
        events["scheduled"],
        events["transport-booked"],
    )
    assert (registered["service"], scheduled["service"], booked_event["service"]) == (
        "registration",
        "scheduling",
        "transport",
    )
    assert (scheduled["causeId"], scheduled["causeType"]) == (registered["eventId"], "registered")
    assert (booked_event["causeId"], booked_event["causeType"]) == (
        scheduled["eventId"],
        "scheduled",
    )
    # One trace from the registration on: the gateway's command, every service's step.
    assert flow["traceId"] and {e["traceId"] for e in flow["events"]} == {flow["traceId"]}
    for event in flow["events"]:
        assert at(event["publishedAt"]) >= at(event["occurredAt"])
        assert event["publishLagSeconds"] >= 0
        hops = {hop["consumer"]: hop for hop in event["hops"]}
        assert "gateway" in hops
        for hop in event["hops"]:
            assert hop["lagSeconds"] >= 0
            assert at(hop["appliedAt"]) >= at(event["publishedAt"])
    # Every consumer of `registered`, those that publish nothing about it too (notifications).
    consumers = {"scheduling", "processing", "notifications", "gateway"}
    assert consumers <= {hop["consumer"] for hop in registered["hops"]}
    assert {"transport", "processing", "gateway"} <= {hop["consumer"] for hop in scheduled["hops"]}

    spans = flow["spans"]
    assert {span["traceId"] for span in spans} == {flow["traceId"]}
    assert {"gateway", "registration", "scheduling", "transport"} <= {s["service"] for s in spans}
    assert any(s["name"] == "registerFamily" and s["parentId"] is None for s in spans)
    ids = {span["spanId"] for span in spans}
    assert all(s["parentId"] in ids for s in spans if s["parentId"]), "a waterfall: one tree"


async def test_the_flow_of_a_family_the_caller_does_not_follow_is_refused_and_audited(platform):
    built, _, graphql = platform
    family = await register(graphql)
    await eventually(lambda: graphql(FAMILY, id=family), what="the family in the read model")
    organisation = (
        await graphql(
            'mutation { createOrganisation(name: "Other legal aid", kind: LEGAL_PROVIDER) { id } }'
        )
    )["createOrganisation"]["id"]
    token = (
        await graphql(
            "mutation ($org: ID!) { issueToken(organisationId: $org, roles: [LEGAL_PROVIDER],"
            ' name: "flow test") { token } }',
            org=organisation,
        )
    )["issueToken"]["token"]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=built.gateway.asgi),
        base_url="http://puente",
        headers={"authorization": f"Bearer {token}"},
    ) as other:
        answer = (
            await other.post("/graphql", json={"query": FLOW, "variables": {"id": family}})
        ).json()

    assert answer["data"] == {"flow": None}
    assert [e["message"] for e in answer["errors"]] == [
        f"not authorised: family {family} is not visible to you"
    ]
    log = (await graphql(AUDIT, id=family))["auditLog"]
    assert {"operation": "flow", "outcome": "refused"} in log
