"""Partners stay coordinated with every service its own process on Kafka and PostgreSQL: a
policy announced 30 hours ahead reaches every organisation's inbox (GraphQL `notices`), each
contact's e-mail (an `.eml` under var/mail) and each organisation's webhook (a real receiver
on 127.0.0.1 verifying with `standardwebhooks`), all a day or more before it takes effect,
and policyCompliance shows every channel."""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import json

import pytest
from puente_runtime.sealing import load_platform_key
from puente_schemas.events import NoticeIssued

from tests.kafka.journey import GraphQL
from tests.kafka.processes import SERVICES, Platform
from tests.polling import eventually
from tests.webhooks import Receiver, running
from tests.wiring.test_partners import ANNOUNCE, COMPLIANCE, ISSUE, NOTICES

pytestmark = pytest.mark.servers

CREATE = """
mutation($name: String!, $kind: PartnerKind!, $languages: [String!], $email: String!) {
  createOrganisation(name: $name, kind: $kind, languages: $languages,
                     contacts: [{name: "Rosa Díaz", email: $email}]) { id }
}"""
ENDPOINT = """
mutation($url: String!, $types: [String!]!) {
  createWebhookEndpoint(url: $url, eventTypes: $types) { status secret errors { message } }
}"""
PARTNERS = {  # name: (kind, languages, role, contact's e-mail)
    "Casa del Migrante": ("SHELTER", ["spa"], "SHELTER", "rosa@casa.example.org"),
    "Al Otro Lado": ("LEGAL_PROVIDER", ["eng", "spa"], "LEGAL_PROVIDER", "rosa@aol.example.org"),
    "CBP Field Operations": ("DHS", ["eng"], "POLICY_OFFICER", "rosa@cbp.example.org"),
}


async def partners(platform: Platform) -> dict[str, GraphQL]:
    """Each partner organisation made through the gateway, with a token of its own; and the
    operator's organisation (the admin token's), which no contact reads by e-mail."""
    admin = GraphQL(platform.gateway_url, platform.admin_token)
    callers = {"Puente operations": admin}
    for name, (kind, languages, role, address) in PARTNERS.items():
        made = await admin.execute(CREATE, name=name, kind=kind, languages=languages, email=address)
        issued = await admin.execute(ISSUE, id=made["createOrganisation"]["id"], roles=[role])
        callers[name] = GraphQL(platform.gateway_url, issued["issueToken"]["token"])
    return callers


async def endpoint(caller: GraphQL, receiver: Receiver) -> None:
    created = (await caller.execute(ENDPOINT, url=receiver.url, types=[NoticeIssued.TYPE]))[
        "createWebhookEndpoint"
    ]
    assert created["status"] == "ACCEPTED", created
    receiver.secrets.append(created["secret"])


def emails(platform: Platform) -> dict[str, email.message.EmailMessage]:
    found = {}
    for path in (platform.var_dir / "mail").glob("*.eml"):
        parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(parsed, email.message.EmailMessage)
        found[str(parsed["To"])] = parsed
    return found


async def test_a_policy_30_hours_ahead_reaches_every_inbox_email_and_webhook(platform: Platform):
    platform.clock_speed = 60.0  # a minute a second: 30 hours ahead is half an hour away
    load_platform_key(None, platform.var_dir)  # one key for the gateway and notifications
    field = [name for name in SERVICES if name != "simulator"]
    await platform.start(*field, webhook_allow_private="true")
    callers = await partners(platform)

    with contextlib.ExitStack() as stack:
        receivers = {name: stack.enter_context(running(Receiver())) for name in callers}
        for name, caller in callers.items():
            await endpoint(caller, receivers[name])
        effective = platform.now() + dt.timedelta(hours=30)
        announced = await callers["CBP Field Operations"].execute(
            ANNOUNCE, at=effective.isoformat()
        )
        policy_id = announced["announcePolicy"]["policyId"]

        async def inbox(caller: GraphQL) -> list[dict]:
            found = (await caller.execute(NOTICES))["notices"]
            return [n for n in found if n["policyId"] == policy_id]

        notices = {
            name: await eventually(lambda c=caller: inbox(c), timeout=60, what=f"{name}'s inbox")
            for name, caller in callers.items()
        }
        await eventually(
            lambda: all(r.successes() for r in receivers.values()), timeout=60, what="webhooks"
        )

        async def delivered_everywhere() -> bool:  # as policyCompliance will show
            channels = [set((await inbox(callers[name]))[0]["deliveredVia"]) for name in PARTNERS]
            return all({"inbox", "email", "webhook"} <= found for found in channels)

        await eventually(delivered_everywhere, timeout=60, what="every channel reported")
        mail = await eventually(
            lambda: (found := emails(platform)) and len(found) >= len(PARTNERS) and found,
            timeout=60,
            what="an e-mail to every contact",
        )
        assert platform.now() < effective - dt.timedelta(hours=24)

    languages = {name: found[0]["language"] for name, found in notices.items()}
    assert {name: languages[name] for name in PARTNERS} == {
        "Casa del Migrante": "spa",
        "Al Otro Lado": "eng",
        "CBP Field Operations": "eng",
    }
    assert all("inbox" in found[0]["deliveredVia"] for found in notices.values())
    report = await callers["CBP Field Operations"].execute(COMPLIANCE, id=policy_id)
    rows = {row["name"]: row for row in report["policyCompliance"]["organisations"]}
    assert set(rows) == set(callers)
    for name in PARTNERS:
        assert set(rows[name]["deliveredVia"]) == {"inbox", "email", "webhook"}, name
        assert rows[name]["hoursAhead"] >= 24, name
    assert sorted(mail) == sorted(address for *_, address in PARTNERS.values())
    for name, (*_, address) in PARTNERS.items():  # in its language, with its notice's link
        assert mail[address]["Content-Language"] == languages[name]
        assert f"/notices/{notices[name][0]['id']}" in mail[address].get_content()
    for name, receiver in receivers.items():
        (delivery,) = receiver.received
        assert delivery.verified_with == frozenset(receiver.secrets), name
        event = json.loads(delivery.body)
        assert (event["type"], event["data"]["policy_id"]) == (NoticeIssued.TYPE, policy_id)
        assert event["data"]["notice_id"] == notices[name][0]["id"], name
