"""Partners stay coordinated, through the whole platform in one process: organisations made in
the gateway are known to notifications; a policy announced 30 hours ahead reaches every
organisation's inbox, which each reads and acknowledges through GraphQL; policyCompliance
proves it, and the policy is a public CAP alert."""

from __future__ import annotations

import datetime as dt
import time

import httpx
import pytest
from puente_platform import create_platform
from puente_platform.settings import PlatformSettings
from puente_runtime import AcceleratedClock, EmbeddedBus

from tests.gateway.support import eventually

# A minute of platform time per real second: 30 hours ahead is half an hour away.
SPEED = 60
CREATE = """
mutation($name: String!, $kind: PartnerKind!, $languages: [String!]) {
  createOrganisation(name: $name, kind: $kind, languages: $languages,
                     contacts: [{name: "Rosa Díaz", email: "rosa@example.org"}]) { id }
}"""
ISSUE = """
mutation($id: ID!, $roles: [Role!]!) { issueToken(organisationId: $id, roles: $roles) { token } }"""
ANNOUNCE = """
mutation($at: DateTime!) {
  announcePolicy(title: "Nogales opens", effectiveAt: $at,
                 changes: {sites: [{site: "nogales", open: true}]}) { status policyId }
}"""
NOTICES = "{ notices { id policyId language deliveredVia acknowledgedAt } }"
ACKNOWLEDGE = "mutation($id: ID!) { acknowledgeNotice(noticeId: $id) { status acknowledgedAt } }"
COMPLIANCE = """
query($id: ID!) {
  policyCompliance(policyId: $id) {
    organisations { name noticeId deliveredVia firstReadAt acknowledgedAt hoursAhead }
  }
}"""


@pytest.fixture
async def platform(tmp_path):
    settings = PlatformSettings(var_dir=tmp_path, relay_poll_seconds=0.05)
    bus = EmbeddedBus(tmp_path / "bus.db", poll_seconds=0.02)
    clock = AcceleratedClock(speed=SPEED, epoch=time.time())
    built = create_platform(settings=settings, bus=bus, clock=clock)
    await bus.start()
    for service in built.all_services:
        await service.start()
    admin = (tmp_path / "admin.token").read_text().strip()
    transport = httpx.ASGITransport(app=built.gateway.asgi)
    async with httpx.AsyncClient(transport=transport, base_url="http://puente") as client:

        async def graphql(token: str, query: str, **variables: object) -> dict:
            answer = await client.post(
                "/graphql",
                json={"query": query, "variables": variables},
                headers={"authorization": f"Bearer {token}"},
            )
            assert "errors" not in answer.json(), answer.json()
            return answer.json()["data"]

        yield client, clock, admin, graphql
    for service in built.all_services:
        await service.stop()
    await bus.stop()


async def test_a_policy_announced_30_hours_ahead_reaches_every_organisations_inbox(platform):
    client, clock, admin, graphql = platform
    tokens = {}
    for name, kind, languages, role in (
        ("Casa del Migrante", "SHELTER", ["spa"], "SHELTER"),
        ("Al Otro Lado", "LEGAL_PROVIDER", ["eng", "spa"], "LEGAL_PROVIDER"),
        ("CBP Field Operations", "DHS", ["eng"], "POLICY_OFFICER"),
    ):
        made = await graphql(admin, CREATE, name=name, kind=kind, languages=languages)
        issued = await graphql(admin, ISSUE, id=made["createOrganisation"]["id"], roles=[role])
        tokens[name] = issued["issueToken"]["token"]
    tokens["Puente operations"] = admin
    effective = clock.now() + dt.timedelta(hours=30)

    announced = await graphql(tokens["CBP Field Operations"], ANNOUNCE, at=effective.isoformat())
    policy_id = announced["announcePolicy"]["policyId"]

    async def inbox(token: str) -> list[dict]:
        found = (await graphql(token, NOTICES))["notices"]
        return [n for n in found if n["policyId"] == policy_id and "inbox" in n["deliveredVia"]]

    notices = {
        name: await eventually(lambda t=token: inbox(t), timeout=20)
        for name, token in tokens.items()
    }
    # In each organisation's preferred language (the operator's names none: notifications'
    # fallback chooses for it).
    languages = {name: found[0]["language"] for name, found in notices.items()}
    del languages["Puente operations"]
    assert languages == {
        "Casa del Migrante": "spa",
        "Al Otro Lado": "eng",
        "CBP Field Operations": "eng",
    }
    casa = notices["Casa del Migrante"][0]
    acknowledged = await graphql(tokens["Casa del Migrante"], ACKNOWLEDGE, id=casa["id"])
    assert acknowledged["acknowledgeNotice"]["status"] == "ACCEPTED"

    report = await graphql(tokens["CBP Field Operations"], COMPLIANCE, id=policy_id)
    rows = {row["name"]: row for row in report["policyCompliance"]["organisations"]}
    assert set(rows) == set(tokens)
    for row in rows.values():
        assert "inbox" in row["deliveredVia"]
        assert row["firstReadAt"] is not None
        assert row["hoursAhead"] >= 24
    assert rows["Casa del Migrante"]["acknowledgedAt"] is not None
    assert rows["Al Otro Lado"]["acknowledgedAt"] is None

    feed = await client.get("/cap/policies.atom")
    assert feed.status_code == 200
    assert b"Nogales opens" in feed.content
