"""Proof partners were told: policyCompliance per organisation, the policies at risk, and
amending or cancelling a policy (notifications decides; a refusal is an error by field)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from puente_gateway.roles import ISSUABLE, Role
from puente_schemas import Envelope, Event
from puente_schemas.common import FieldError, PartnerKind
from puente_schemas.events import (
    NoticeAcknowledged,
    NoticeDelivered,
    NoticeIssued,
    NotificationsCommandRejected,
    PolicyAmended,
    PolicyAnnounced,
    PolicyAtRisk,
    PolicyCancelled,
)
from puente_schemas.topics import NOTIFICATIONS_COMMANDS

from .support import T0, Harness, answer_commands

EFFECTIVE = T0 + dt.timedelta(hours=30)
COMPLIANCE = """
query($id: ID!) {
  policyCompliance(policyId: $id) {
    policyId title effectiveAt status
    organisations {
      organisationId name noticeId language deliveredAt deliveredVia firstReadAt
      acknowledgedAt hoursAhead acknowledgedHoursAhead atRisk
    }
  }
}"""
AT_RISK = "{ policiesAtRisk { policyId title raisedAt organisations { organisationId name } } }"
AMEND = """
mutation($id: ID!, $at: DateTime!) {
  amendPolicy(policyId: $id, title: "Nogales opens later", effectiveAt: $at) {
    status outcome policyId
  }
}"""
CANCEL = """
mutation($id: ID!) { cancelPolicy(policyId: $id, reason: "withdrawn") { status outcome } }"""


def announced() -> PolicyAnnounced:
    return PolicyAnnounced(policy_id="p-1", title="Nogales opens", effective_at=EFFECTIVE)


def issued(notice_id: str, organisation_id: str) -> NoticeIssued:
    return NoticeIssued(
        notice_id=notice_id,
        organisation_id=organisation_id,
        kind="policy",
        title="Nogales abre",
        text="El puerto de Nogales abre.",
        language="spa",
        policy_id="p-1",
        effective_at=EFFECTIVE,
    )


def delivered(notice_id: str, organisation_id: str, channel: str) -> NoticeDelivered:
    return NoticeDelivered(
        notice_id=notice_id,
        family_unit_id=None,
        recipient=organisation_id,
        channel=channel,
        kind="policy",
        policy_id="p-1",
        organisation_id=organisation_id,
    )


def officer(harness: Harness) -> dict[str, Any]:
    return harness.context_for(Role.POLICY_OFFICER, kind=PartnerKind.DHS)


async def test_compliance_shows_per_organisation_when_it_was_told_read_and_acknowledged(
    harness: Harness,
) -> None:
    _, casa = harness.token(Role.SHELTER, kind=PartnerKind.SHELTER)
    _, legal = harness.token(Role.LEGAL_PROVIDER, kind=PartnerKind.LEGAL_PROVIDER)
    await harness.publish_all(
        announced(),
        issued("n-casa", casa),
        issued("n-legal", legal),
        delivered("n-casa", casa, "inbox"),
        delivered("n-casa", casa, "email"),
        delivered("n-legal", legal, "webhook"),
    )
    harness.clock.advance(dt.timedelta(hours=1))
    shelter = harness.context_for(Role.SHELTER, organisation_id=casa)
    assert (await harness.execute("{ notices { id } }", shelter)).errors is None
    harness.clock.advance(dt.timedelta(hours=1))
    await harness.publish_all(
        NoticeAcknowledged(
            notice_id="n-casa",
            organisation_id=casa,
            policy_id="p-1",
            acknowledged_at=harness.clock.now(),
        ),
        PolicyAtRisk(policy_id="p-1", effective_at=EFFECTIVE, organisation_ids=[legal]),
    )

    result = await harness.execute(COMPLIANCE, officer(harness), id="p-1")

    assert result.errors is None, result.errors
    assert result.data is not None
    report = result.data["policyCompliance"]
    assert (report["title"], report["status"]) == ("Nogales opens", "announced")
    rows = {row["organisationId"]: row for row in report["organisations"]}
    assert rows[casa] == {
        "organisationId": casa,
        "name": "shelter test",
        "noticeId": "n-casa",
        "language": "spa",
        "deliveredAt": T0.isoformat(),
        "deliveredVia": ["inbox", "email"],
        "firstReadAt": (T0 + dt.timedelta(hours=1)).isoformat(),
        "acknowledgedAt": (T0 + dt.timedelta(hours=2)).isoformat(),
        "hoursAhead": 30.0,
        "acknowledgedHoursAhead": 28.0,
        "atRisk": False,
    }
    assert rows[legal]["deliveredVia"] == ["webhook"]
    assert rows[legal]["firstReadAt"] is None
    assert rows[legal]["acknowledgedAt"] is None
    assert rows[legal]["atRisk"] is True
    told_nothing = [row for row in rows.values() if row["name"] == "Puente operations"]
    assert told_nothing[0]["noticeId"] is None
    assert told_nothing[0]["deliveredVia"] == []


async def test_policy_officers_see_the_policies_at_risk_until_cancelled(harness: Harness) -> None:
    _, legal = harness.token(Role.LEGAL_PROVIDER, kind=PartnerKind.LEGAL_PROVIDER)
    await harness.publish_all(
        announced(),
        issued("n-legal", legal),
        PolicyAtRisk(policy_id="p-1", effective_at=EFFECTIVE, organisation_ids=[legal]),
    )

    before = await harness.execute(AT_RISK, officer(harness))
    await harness.publish_all(PolicyCancelled(policy_id="p-1", reason="withdrawn"))
    after = await harness.execute(AT_RISK, officer(harness))

    assert before.data is not None
    assert before.data["policiesAtRisk"] == [
        {
            "policyId": "p-1",
            "title": "Nogales opens",
            "raisedAt": T0.isoformat(),
            "organisations": [{"organisationId": legal, "name": "legal_provider test"}],
        }
    ]
    assert after.data == {"policiesAtRisk": []}


@pytest.mark.parametrize("query", [COMPLIANCE, AT_RISK])
async def test_compliance_is_for_policy_officers_and_admins(harness: Harness, query: str) -> None:
    others = harness.context_for(*(ISSUABLE - {Role.ADMIN, Role.POLICY_OFFICER}))

    result = await harness.execute(query, others, id="p-1")

    assert result.errors is not None
    assert "needs role admin or policy_officer" in result.errors[0].message


async def test_an_unknown_policy_is_refused_by_name_and_nothing_is_sent(harness: Harness) -> None:
    unknown = "policyId: unknown policy 'p-9'"
    policy_officer = harness.context_for(Role.POLICY_OFFICER)

    report = await harness.execute(COMPLIANCE, officer(harness), id="p-9")
    amend = await harness.execute(AMEND, policy_officer, id="p-9", at=EFFECTIVE.isoformat())
    cancel = await harness.execute(CANCEL, policy_officer, id="p-9")

    for result in (report, amend, cancel):
        assert [e.message for e in result.errors or []] == [unknown]
    assert harness.staged_commands() == []


class Notifications:
    """A stand-in: amends; cancels once and refuses a second cancellation."""

    def __init__(self) -> None:
        self.cancelled = False

    def __call__(self, command: Envelope) -> Event | None:
        data = command.data
        if command.type.endswith("amend-policy.v1"):
            return PolicyAmended(
                policy_id=data["policy_id"], title=data["title"], effective_at=data["effective_at"]
            )
        if self.cancelled:
            return NotificationsCommandRejected(
                command=command.type,
                errors=[FieldError(field="policy_id", message="already cancelled")],
            )
        self.cancelled = True
        return PolicyCancelled(policy_id=data["policy_id"], reason=data["reason"])


async def test_amending_and_cancelling_answer_with_the_outcome_or_the_refusal(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness()
    answer_commands(harness, NOTIFICATIONS_COMMANDS, Notifications())
    await harness.start()
    await harness.publish_all(announced())
    policy_officer = harness.context_for(Role.POLICY_OFFICER)
    later = EFFECTIVE + dt.timedelta(days=1)

    amended = await harness.execute(AMEND, policy_officer, id="p-1", at=later.isoformat())
    cancelled = await harness.execute(CANCEL, policy_officer, id="p-1")
    again = await harness.execute(CANCEL, policy_officer, id="p-1")

    assert amended.data == {
        "amendPolicy": {"status": "ACCEPTED", "outcome": "policy-amended", "policyId": "p-1"}
    }
    assert cancelled.data == {"cancelPolicy": {"status": "ACCEPTED", "outcome": "policy-cancelled"}}
    assert [e.message for e in again.errors or []] == ["policyId: already cancelled"]
    assert [kind for kind, _ in harness.staged_commands()] == [
        "amend-policy",
        "cancel-policy",
        "cancel-policy",
    ]
    report = await harness.execute(COMPLIANCE, officer(harness), id="p-1")
    assert report.data is not None
    assert report.data["policyCompliance"]["status"] == "cancelled"
    assert report.data["policyCompliance"]["effectiveAt"] == later.isoformat()
