"""Policies: announced, amended or cancelled to every recipient 24 hours ahead; in effect on
time unless cancelled; escalated on the platform clock while organisations have not
acknowledged them.

Each announcement, amendment and cancellation is a notice of its own to everyone; a later
one supersedes the earlier notices of the same policy (they no longer escalate).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from puente_runtime import Context, Timed
from puente_runtime.storage import lock
from puente_schemas.commands import AmendPolicy, AnnouncePolicy, CancelPolicy
from puente_schemas.common import FieldError, PolicyChanges
from puente_schemas.events import (
    Event,
    NotificationsCommandRejected,
    PolicyAmended,
    PolicyAnnounced,
    PolicyAtRisk,
    PolicyCancelled,
    PolicyEffective,
)
from sqlmodel import Session, col, select, update
from sqlmodel.sql.expression import SelectOfScalar

from puente_notifications import domain, inbox
from puente_notifications.tables import NoticeRow, PolicyRow

# Held while policies are announced to the recipients known, or a new recipient told of them.
POLICY_NOTICES = "notifications policy notices"


def _upcoming(session: Session) -> list[PolicyRow]:
    query = select(PolicyRow).where(
        col(PolicyRow.effective).is_(False), col(PolicyRow.cancelled).is_(False)
    )
    return list(session.exec(query.order_by(col(PolicyRow.effective_at), col(PolicyRow.id))))


def tell_of_upcoming(
    session: Session, recipient: domain.Recipient, *, now: dt.datetime
) -> list[Event]:
    """A recipient new to notifications hears of every policy not yet in effect."""
    lock(session, POLICY_NOTICES)
    told: list[Event] = []
    for policy in _upcoming(session):
        effective_at = domain.as_utc(policy.effective_at)
        notice = domain.policy_notice(recipient, policy.title, effective_at)
        told += inbox.issue(session, notice, now=now, policy=policy.id, effective_at=effective_at)
    return told


def _tell_everyone(
    session: Session,
    policy: PolicyRow,
    draft: Callable[[domain.Recipient], domain.Notice],
    *,
    now: dt.datetime,
    effective_at: dt.datetime | None,
) -> list[Event]:
    """A new notice about `policy` to every recipient, superseding the ones they had."""
    session.exec(
        update(NoticeRow).where(col(NoticeRow.policy_id) == policy.id).values(superseded=True)
    )
    told: list[Event] = []
    for recipient in inbox.everyone(session):
        told += inbox.issue(
            session, draft(recipient), now=now, policy=policy.id, effective_at=effective_at
        )
    return told


def _rejected(
    command: type[AnnouncePolicy | AmendPolicy | CancelPolicy], errors: list[FieldError]
) -> list[Event]:
    return [NotificationsCommandRejected(command=command.TYPE, errors=errors)]


def announce(command: AnnouncePolicy, ctx: Context, *, notice: dt.timedelta) -> list[Event]:
    now = ctx.clock.now()
    errors = domain.policy_errors(
        title=command.title,
        effective_at=command.effective_at,
        changes=command.changes,
        now=now,
        notice=notice,
    )
    lock(ctx.session, POLICY_NOTICES)
    if ctx.session.get(PolicyRow, command.policy_id) is not None:
        errors.append(FieldError(field="policy_id", message="is already announced"))
    if errors:
        return _rejected(AnnouncePolicy, errors)
    policy = PolicyRow(
        id=command.policy_id,
        title=command.title,
        effective_at=command.effective_at,
        changes=command.changes.model_dump(mode="json"),
        announced_at=now,
    )
    ctx.session.add(policy)
    announced = PolicyAnnounced(
        policy_id=command.policy_id,
        title=command.title,
        effective_at=command.effective_at,
        changes=command.changes,
    )

    def draft(recipient: domain.Recipient) -> domain.Notice:
        return domain.policy_notice(recipient, command.title, command.effective_at)

    told = _tell_everyone(ctx.session, policy, draft, now=now, effective_at=command.effective_at)
    return [announced, *told]


def _changeable(session: Session, policy_id: str) -> tuple[PolicyRow | None, list[FieldError]]:
    lock(session, POLICY_NOTICES)
    policy = session.get(PolicyRow, policy_id)
    errors = domain.change_errors(
        known=policy is not None,
        effective=policy is not None and policy.effective,
        cancelled=policy is not None and policy.cancelled,
    )
    return policy, errors


def amend(command: AmendPolicy, ctx: Context, *, notice: dt.timedelta) -> list[Event]:
    """New values and a new time, announced again at least `notice` ahead of the new time."""
    now = ctx.clock.now()
    policy, errors = _changeable(ctx.session, command.policy_id)
    if policy is None or errors:
        return _rejected(AmendPolicy, errors)
    errors = domain.policy_errors(
        title=command.title,
        effective_at=command.effective_at,
        changes=command.changes,
        now=now,
        notice=notice,
    )
    if errors:
        return _rejected(AmendPolicy, errors)
    policy.title = command.title
    policy.effective_at = command.effective_at
    policy.changes = command.changes.model_dump(mode="json")
    policy.at_risk_at = None
    ctx.session.add(policy)
    amended = PolicyAmended(
        policy_id=policy.id,
        title=command.title,
        effective_at=command.effective_at,
        changes=command.changes,
    )

    def draft(recipient: domain.Recipient) -> domain.Notice:
        return domain.amendment_notice(recipient, command.title, command.effective_at)

    told = _tell_everyone(ctx.session, policy, draft, now=now, effective_at=command.effective_at)
    return [amended, *told]


def cancel(command: CancelPolicy, ctx: Context) -> list[Event]:
    """Withdrawn before it takes effect: it never will. A cancellation has no deadline, so
    its notice does not escalate."""
    policy, errors = _changeable(ctx.session, command.policy_id)
    if policy is None or errors:
        return _rejected(CancelPolicy, errors)
    policy.cancelled = True
    ctx.session.add(policy)
    cancelled = PolicyCancelled(policy_id=policy.id, reason=command.reason)

    def draft(recipient: domain.Recipient) -> domain.Notice:
        return domain.cancellation_notice(recipient, policy.title, command.reason)

    told = _tell_everyone(ctx.session, policy, draft, now=ctx.clock.now(), effective_at=None)
    return [cancelled, *told]


def put_policies_in_effect(session: Session, now: dt.datetime) -> list[Event]:
    """Timed: every announced policy whose time has come takes effect, in time order; a
    cancelled one never does."""
    due = session.exec(
        select(PolicyRow)
        .where(
            col(PolicyRow.effective).is_(False),
            col(PolicyRow.cancelled).is_(False),
            col(PolicyRow.effective_at) <= now,
        )
        .order_by(col(PolicyRow.effective_at))
    ).all()
    effective: list[Event] = []
    for policy in due:
        policy.effective = True
        session.add(policy)
        changes = PolicyChanges.model_validate(policy.changes)
        effective.append(PolicyEffective(policy_id=policy.id, title=policy.title, changes=changes))
    return effective


def escalation(deadlines: domain.Deadlines) -> Timed:
    """Timed: chase organisations that have not acknowledged a policy notice. Close to the
    effective time the notice is sent again through every channel (`notice-escalated`);
    closer still, the policy is raised as at risk, naming them. Each happens once: the rows
    record it, so a restart neither loses nor repeats one."""

    def escalate_notices(session: Session, now: dt.datetime) -> list[Event]:
        return _escalate(session, now, deadlines) + _raise_at_risk(session, now, deadlines)

    return escalate_notices


def _unacknowledged() -> SelectOfScalar[NoticeRow]:
    return select(NoticeRow).where(
        col(NoticeRow.organisation_id).is_not(None),
        col(NoticeRow.effective_at).is_not(None),
        col(NoticeRow.acknowledged_at).is_(None),
        col(NoticeRow.superseded).is_(False),
    )


def _escalate(session: Session, now: dt.datetime, deadlines: domain.Deadlines) -> list[Event]:
    pending = session.exec(
        _unacknowledged()
        .where(col(NoticeRow.escalated_at).is_(None), col(NoticeRow.effective_at) > now)
        .order_by(col(NoticeRow.effective_at), col(NoticeRow.id))
    ).all()
    escalated: list[Event] = []
    for notice in pending:
        if notice.effective_at is None or not deadlines.escalates(notice.effective_at, now):
            continue
        notice.escalated_at = now
        session.add(notice)
        escalated += inbox.escalate(session, notice)
    return escalated


def _raise_at_risk(session: Session, now: dt.datetime, deadlines: domain.Deadlines) -> list[Event]:
    raised: list[Event] = []
    for policy in _upcoming(session):
        if policy.at_risk_at is not None or not deadlines.at_risk_now(policy.effective_at, now):
            continue
        policy.at_risk_at = now
        session.add(policy)
        late = session.exec(_unacknowledged().where(NoticeRow.policy_id == policy.id)).all()
        organisations = sorted({n.organisation_id for n in late if n.organisation_id})
        if organisations:
            raised.append(
                PolicyAtRisk(
                    policy_id=policy.id,
                    effective_at=domain.as_utc(policy.effective_at),
                    organisation_ids=organisations,
                )
            )
    return raised
