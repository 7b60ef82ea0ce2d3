"""Policies in the read model: each as notifications announced, amended, cancelled or made it
effective, the organisations it named at risk, and one public alert per announcement,
amendment and cancellation (cap.py serves them). Notifications decides; the gateway shows."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from puente_runtime import Context, NotYet
from puente_schemas import Event
from puente_schemas.events import (
    PolicyAmended,
    PolicyAnnounced,
    PolicyAtRisk,
    PolicyCancelled,
    PolicyEffective,
)
from sqlmodel import Session, col, select

from puente_gateway.tables import PolicyAlertRow, PolicyRow

__all__ = [
    "alert",
    "alerts",
    "apply",
    "at_risk",
    "earlier_alerts",
    "latest",
    "next_alert",
    "policy",
]


def _alert(ctx: Context, policy: PolicyRow, message_type: str, reason: str = "") -> None:
    ctx.session.add(
        PolicyAlertRow(
            alert_id=ctx.envelope.id,
            policy_id=policy.policy_id,
            message_type=message_type,
            sent_at=ctx.envelope.time,
            title=policy.title,
            effective_at=policy.effective_at,
            changes=policy.changes,
            reason=reason,
        )
    )


def _announced(event: PolicyAnnounced, ctx: Context) -> None:
    if ctx.session.get(PolicyRow, event.policy_id) is not None:
        return
    policy = PolicyRow(
        policy_id=event.policy_id,
        title=event.title,
        effective_at=event.effective_at,
        status="announced",
        changes=event.changes.model_dump(mode="json"),
        announced_at=ctx.envelope.time,
    )
    ctx.session.add(policy)
    _alert(ctx, policy, "Alert")


def _announced_policy(session: Session, policy_id: str, what: str) -> PolicyRow:
    policy = session.get(PolicyRow, policy_id)
    if policy is None:
        raise NotYet(f"{what} before policy-announced for {policy_id}")
    return policy


def _amended(event: PolicyAmended, ctx: Context) -> None:
    policy = _announced_policy(ctx.session, event.policy_id, "policy-amended")
    policy.title, policy.effective_at = event.title, event.effective_at
    policy.changes, policy.status = event.changes.model_dump(mode="json"), "amended"
    policy.at_risk, policy.at_risk_at = [], None  # a new effective time: a new deadline
    ctx.session.add(policy)
    _alert(ctx, policy, "Update")


def _cancelled(event: PolicyCancelled, ctx: Context) -> None:
    policy = _announced_policy(ctx.session, event.policy_id, "policy-cancelled")
    policy.status, policy.cancel_reason = "cancelled", event.reason
    ctx.session.add(policy)
    _alert(ctx, policy, "Cancel", event.reason)


def _effective(event: PolicyEffective, ctx: Context) -> None:
    policy = _announced_policy(ctx.session, event.policy_id, "policy-effective")
    policy.status = "effective"
    ctx.session.add(policy)


def _at_risk(event: PolicyAtRisk, ctx: Context) -> None:
    policy = _announced_policy(ctx.session, event.policy_id, "policy-at-risk")
    policy.at_risk, policy.at_risk_at = list(event.organisation_ids), ctx.envelope.time
    ctx.session.add(policy)


_APPLY: Mapping[type[Event], Callable[[Any, Context], None]] = {
    PolicyAnnounced: _announced,
    PolicyAmended: _amended,
    PolicyCancelled: _cancelled,
    PolicyEffective: _effective,
    PolicyAtRisk: _at_risk,
}


def apply(event: Event, ctx: Context) -> None:
    handler = _APPLY.get(type(event))
    if handler is not None:
        handler(event, ctx)
        ctx.session.flush()


def policy(session: Session, policy_id: str) -> PolicyRow | None:
    return session.get(PolicyRow, policy_id)


def latest(session: Session, limit: int) -> Sequence[PolicyRow]:
    """The policies announced last, newest first."""
    query = select(PolicyRow).order_by(col(PolicyRow.announced_at).desc()).limit(limit)
    return session.exec(query).all()


def at_risk(session: Session) -> Sequence[PolicyRow]:
    """Policies that named organisations at risk and have not been cancelled or taken effect."""
    query = select(PolicyRow).where(
        col(PolicyRow.at_risk_at).is_not(None), col(PolicyRow.status).in_(["announced", "amended"])
    )
    return session.exec(query.order_by(col(PolicyRow.effective_at))).all()


def alerts(session: Session, *, limit: int = 100) -> Sequence[PolicyAlertRow]:
    """The latest public alerts, newest first."""
    query = select(PolicyAlertRow).order_by(col(PolicyAlertRow.id).desc()).limit(limit)
    return session.exec(query).all()


def alert(session: Session, alert_id: str) -> PolicyAlertRow | None:
    return session.exec(select(PolicyAlertRow).where(PolicyAlertRow.alert_id == alert_id)).first()


def earlier_alerts(session: Session, row: PolicyAlertRow) -> Sequence[PolicyAlertRow]:
    """The policy's alerts before this one (what a CAP Update or Cancel references)."""
    query = select(PolicyAlertRow).where(
        PolicyAlertRow.policy_id == row.policy_id, col(PolicyAlertRow.id) < row.id
    )
    return session.exec(query.order_by(col(PolicyAlertRow.id))).all()


def next_alert(session: Session, row: PolicyAlertRow) -> PolicyAlertRow | None:
    """The policy's alert after this one, if any (its notices are that alert's)."""
    query = select(PolicyAlertRow).where(
        PolicyAlertRow.policy_id == row.policy_id, col(PolicyAlertRow.id) > row.id
    )
    return session.exec(query.order_by(col(PolicyAlertRow.id))).first()
