"""Notifications' message handlers: every notice is stored in the recipient's inbox, and
announced policies take effect on time.

Replicas share the database. Announcing a policy (which reads the shelters known) and
meeting a new shelter (which reads the policies announced) take one lock, held until commit
(`puente_runtime.storage.lock`): each reads what the other committed, so a shelter that
appears while a policy is announced still hears of it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from functools import partial

from puente_runtime import Context, Handlers, NotYet
from puente_runtime.storage import lock
from puente_schemas.commands import AnnouncePolicy
from puente_schemas.common import FieldError, PolicyChanges
from puente_schemas.events import (
    AttorneyAccessDecided,
    Event,
    NoticeDelivered,
    NotificationsCommandRejected,
    PolicyAnnounced,
    PolicyEffective,
    Registered,
    Released,
    ShelterAssigned,
    ShelterUpdated,
)
from sqlmodel import Session, col, select

from puente_notifications import domain, webhooks
from puente_notifications.tables import FamilyNeedsRow, NoticeRow, PolicyRow, ShelterRow

# Held while policies are announced to the shelters known, or a new shelter told of them.
POLICY_NOTICES = "notifications policy notices"


def remember_needs(event: Registered, ctx: Context) -> list[Event]:
    needs = domain.needs_of(event.members)
    ctx.session.merge(
        FamilyNeedsRow(
            family_unit_id=event.family_unit_id,
            people=needs.people,
            languages=",".join(needs.languages),
            needs_interpreter=needs.needs_interpreter,
        )
    )
    return []


def notify_expected_arrival(event: ShelterAssigned, ctx: Context) -> list[Event]:
    notice = domain.expected_arrival(
        event.shelter_id,
        event.site,
        event.expected_at,
        _needs(ctx, event.family_unit_id),
        event.needs,
    )
    return [_deliver(ctx.session, notice, now=ctx.clock.now(), family=event.family_unit_id)]


def notify_release(event: Released, ctx: Context) -> list[Event]:
    """The shelter expecting the family hears it is on its way; a family going to a sponsor
    or already home in the US has no shelter to tell."""
    if event.shelter_id is None:
        return []
    notice = domain.released_to(event.shelter_id, event.site, _needs(ctx, event.family_unit_id))
    return [_deliver(ctx.session, notice, now=ctx.clock.now(), family=event.family_unit_id)]


def notify_attorney(event: AttorneyAccessDecided, ctx: Context) -> list[Event]:
    notice = domain.attorney_access(event.attorney_organisation_id, event.granted, event.reason)
    return [_deliver(ctx.session, notice, now=ctx.clock.now(), family=event.family_unit_id)]


def remember_shelter(event: ShelterUpdated, ctx: Context) -> list[Event]:
    """A shelter new to notifications hears at once of every policy not yet in effect."""
    known = ctx.session.get(ShelterRow, event.shelter.id) is not None
    ctx.session.merge(ShelterRow(id=event.shelter.id, name=event.shelter.name))
    if known:
        return []
    lock(ctx.session, POLICY_NOTICES)
    upcoming = ctx.session.exec(select(PolicyRow).where(col(PolicyRow.effective).is_(False)))
    return [
        _deliver(
            ctx.session,
            domain.policy_notice(event.shelter.id, policy.title, policy.effective_at),
            now=ctx.clock.now(),
            policy=policy.id,
        )
        for policy in upcoming
    ]


def announce_policy(command: AnnouncePolicy, ctx: Context, *, notice: dt.timedelta) -> list[Event]:
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
        return [NotificationsCommandRejected(command=AnnouncePolicy.TYPE, errors=errors)]
    ctx.session.add(
        PolicyRow(
            id=command.policy_id,
            title=command.title,
            effective_at=command.effective_at,
            changes=command.changes.model_dump(mode="json"),
            announced_at=now,
        )
    )
    shelters = ctx.session.exec(select(ShelterRow).order_by(col(ShelterRow.id))).all()
    notices: list[Event] = [
        _deliver(
            ctx.session,
            domain.policy_notice(shelter.id, command.title, command.effective_at),
            now=now,
            policy=command.policy_id,
        )
        for shelter in shelters
    ]
    announced = PolicyAnnounced(
        policy_id=command.policy_id,
        title=command.title,
        effective_at=command.effective_at,
        changes=command.changes,
    )
    return [announced, *notices]


def put_policies_in_effect(session: Session, now: dt.datetime) -> list[Event]:
    """Timed: every announced policy whose time has come takes effect, in time order."""
    due = session.exec(
        select(PolicyRow)
        .where(col(PolicyRow.effective).is_(False), col(PolicyRow.effective_at) <= now)
        .order_by(col(PolicyRow.effective_at))
    ).all()
    effective: list[Event] = []
    for policy in due:
        policy.effective = True
        session.add(policy)
        changes = PolicyChanges.model_validate(policy.changes)
        effective.append(PolicyEffective(policy_id=policy.id, title=policy.title, changes=changes))
    return effective


def _needs(ctx: Context, family_unit_id: str) -> domain.FamilyNeeds:
    row = ctx.session.get(FamilyNeedsRow, family_unit_id)
    if row is None:
        raise NotYet(f"family unit {family_unit_id} not registered here yet")
    return domain.FamilyNeeds(
        people=row.people,
        languages=tuple(row.languages.split(",")),
        needs_interpreter=row.needs_interpreter,
    )


def _deliver(
    session: Session,
    notice: domain.Notice,
    *,
    now: dt.datetime,
    family: str | None = None,
    policy: str | None = None,
) -> NoticeDelivered:
    row = NoticeRow(
        id=str(uuid.uuid4()),
        family_unit_id=family,
        policy_id=policy,
        recipient=notice.recipient,
        kind=notice.kind,
        text=notice.text,
        created_at=now,
    )
    session.add(row)
    return NoticeDelivered(
        notice_id=row.id,
        family_unit_id=family,
        policy_id=policy,
        recipient=notice.recipient,
        channel="inbox",
        kind=notice.kind,
    )


def handlers(*, notice: dt.timedelta) -> Handlers:
    return {
        Registered: remember_needs,
        ShelterUpdated: remember_shelter,
        ShelterAssigned: notify_expected_arrival,
        Released: notify_release,
        AttorneyAccessDecided: notify_attorney,
        AnnouncePolicy: partial(announce_policy, notice=notice),
    }


# With the webhooks' own consumer group (app.py): what the service consumes, for the catalog.
HANDLERS: Handlers = {**handlers(notice=dt.timedelta(hours=24)), **webhooks.HANDLERS}
