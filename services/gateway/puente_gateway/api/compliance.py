"""Proof that partners were told: per organisation, when a policy's notice was delivered and
through which channels, when it was first read and acknowledged, and how many hours ahead of
the effective time; and the policies notifications named at risk (organisations still
unacknowledged close to the effective time). For policy officers and admins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import strawberry
from sqlmodel import Session
from strawberry.types import Info

from puente_gateway import compliance, notices, organisations
from puente_gateway.api.permissions import engine
from puente_gateway.tables import NoticeRow, Organisation, PolicyRow

__all__ = [
    "OrganisationCompliance",
    "PolicyAtRisk",
    "PolicyCompliance",
    "policies",
    "policies_at_risk",
    "policy_compliance",
]

MAX_POLICIES = 50


@strawberry.type(description="What one organisation was told of a policy, and when.")
class OrganisationCompliance:
    organisation_id: strawberry.ID
    name: str
    notice_id: strawberry.ID | None = strawberry.field(
        description="Its latest notice of the policy; null: it has been sent none."
    )
    language: str | None
    delivered_at: dt.datetime | None = strawberry.field(description="First delivery.")
    delivered_via: list[str]
    first_read_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    hours_ahead: float | None = strawberry.field(
        description="Hours from the first delivery to the effective time (24 or more is on time)."
    )
    acknowledged_hours_ahead: float | None = strawberry.field(
        description="Hours from the acknowledgement to the effective time."
    )
    at_risk: bool = strawberry.field(
        description="Named by notifications as still unacknowledged close to the effective time."
    )


@strawberry.type
class PolicyCompliance:
    policy_id: strawberry.ID
    title: str
    effective_at: dt.datetime
    status: str = strawberry.field(description="announced, amended, cancelled or effective.")
    organisations: list[OrganisationCompliance]


@strawberry.type(description="A policy with organisations at risk of not having been told.")
class PolicyAtRisk:
    policy_id: strawberry.ID
    title: str
    effective_at: dt.datetime
    raised_at: dt.datetime
    organisations: list[OrganisationCompliance]


def _hours(earlier: dt.datetime | None, later: dt.datetime) -> float | None:
    return round((later - earlier).total_seconds() / 3600, 2) if earlier else None


def _entry(
    organisation: Organisation, notice: NoticeRow | None, policy: PolicyRow
) -> OrganisationCompliance:
    return OrganisationCompliance(
        organisation_id=strawberry.ID(organisation.id),
        name=organisation.name,
        notice_id=strawberry.ID(notice.notice_id) if notice else None,
        language=notice.language if notice else None,
        delivered_at=notice.delivered_at if notice else None,
        delivered_via=list(notice.delivered_via) if notice else [],
        first_read_at=notice.first_read_at if notice else None,
        acknowledged_at=notice.acknowledged_at if notice else None,
        hours_ahead=_hours(notice.delivered_at if notice else None, policy.effective_at),
        acknowledged_hours_ahead=_hours(
            notice.acknowledged_at if notice else None, policy.effective_at
        ),
        at_risk=organisation.id in policy.at_risk,
    )


def _entries(
    session: Session, policy: PolicyRow, chosen: Sequence[Organisation]
) -> list[OrganisationCompliance]:
    latest = {row.organisation_id: row for row in notices.of_policy(session, policy.policy_id)}
    return [_entry(o, latest.get(o.id), policy) for o in chosen]


def _compliance(
    session: Session, policy: PolicyRow, everyone: Sequence[Organisation]
) -> PolicyCompliance:
    return PolicyCompliance(
        policy_id=strawberry.ID(policy.policy_id),
        title=policy.title,
        effective_at=policy.effective_at,
        status=policy.status,
        organisations=_entries(session, policy, everyone),
    )


def policy_compliance(info: Info, policy_id: strawberry.ID) -> PolicyCompliance:
    """Every organisation on the platform: one sent no notice shows as such."""
    everyone = organisations.organisations(engine(info))
    with Session(engine(info)) as session:
        policy = compliance.policy(session, policy_id)
        if policy is None:
            raise ValueError(f"policyId: unknown policy '{policy_id}'")
        return _compliance(session, policy, everyone)


def policies(info: Info, limit: int = 10) -> list[PolicyCompliance]:
    """The `limit` (1 to 50) policies announced last, newest first, each as policyCompliance."""
    if not 1 <= limit <= MAX_POLICIES:
        raise ValueError(f"limit: must be between 1 and {MAX_POLICIES}")
    everyone = organisations.organisations(engine(info))
    with Session(engine(info)) as session:
        return [_compliance(session, p, everyone) for p in compliance.latest(session, limit)]


def policies_at_risk(info: Info) -> list[PolicyAtRisk]:
    everyone = {row.id: row for row in organisations.organisations(engine(info))}
    with Session(engine(info)) as session:
        return [
            PolicyAtRisk(
                policy_id=strawberry.ID(policy.policy_id),
                title=policy.title,
                effective_at=policy.effective_at,
                raised_at=policy.at_risk_at or policy.announced_at,
                organisations=_entries(
                    session, policy, [everyone[o] for o in policy.at_risk if o in everyone]
                ),
            )
            for policy in compliance.at_risk(session)
        ]
