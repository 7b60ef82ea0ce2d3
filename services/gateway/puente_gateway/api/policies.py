"""announcePolicy, amendPolicy, cancelPolicy: a policy officer announces a change with its
effective time, changes it or withdraws it before it takes effect; the notifications service
decides (24 hours' notice, nothing after it took effect), tells every partner and makes it
effective. A refused amendment or cancellation is an error naming the field."""

from __future__ import annotations

import datetime as dt

import strawberry
from puente_schemas import commands, common
from puente_schemas.places import SITE_PLACES
from sqlmodel import Session
from strawberry.types import Info

from puente_gateway import compliance
from puente_gateway.api.permissions import engine, gateway
from puente_gateway.api.sending import send, send_or_refuse
from puente_gateway.api.types import CaseCategory, CommandAnswer, camel_path


@strawberry.input
class SiteChangeInput:
    site: str
    open: bool | None = None
    capacity_per_day: int | None = None


@strawberry.input
class PolicyChangesInput:
    sites: list[SiteChangeInput] = strawberry.field(default_factory=list)
    eligible_categories: list[CaseCategory] | None = None
    min_notice_hours: float | None = None


@strawberry.type
class PolicyAnswer(CommandAnswer):
    policy_id: strawberry.ID


def _changes(given: PolicyChangesInput) -> common.PolicyChanges:
    """Bad input is refused here, before anything is sent."""
    changes = common.PolicyChanges(
        sites=[
            common.SiteChange(site=c.site, open=c.open, capacity_per_day=c.capacity_per_day)
            for c in given.sites
        ],
        eligible_categories=[common.CaseCategory(c.value) for c in given.eligible_categories]
        if given.eligible_categories is not None
        else None,
        min_notice_hours=given.min_notice_hours,
    )
    errors = changes.errors(SITE_PLACES)
    if errors:
        raise ValueError("; ".join(f"{camel_path(e.field)}: {e.message}" for e in errors))
    return changes


def _check(title: str, effective_at: dt.datetime) -> None:
    if not title.strip():
        raise ValueError("a policy needs a title")
    if effective_at.tzinfo is None:
        raise ValueError("`effectiveAt` needs a time zone (e.g. 2021-06-01T00:00:00Z)")


def _answer(answer: CommandAnswer, policy_id: str) -> PolicyAnswer:
    return PolicyAnswer(
        status=answer.status,
        command_id=answer.command_id,
        outcome=answer.outcome,
        errors=answer.errors,
        policy_id=strawberry.ID(policy_id),
    )


async def announce_policy(
    info: Info,
    title: str,
    effective_at: dt.datetime,
    changes: PolicyChangesInput | None = None,
) -> PolicyAnswer:
    _check(title, effective_at)
    policy_id = gateway(info).new_id()
    command = commands.AnnouncePolicy(
        policy_id=policy_id,
        title=title.strip(),
        effective_at=effective_at,
        changes=_changes(changes or PolicyChangesInput()),
    )
    answer, _ = await send(info, command, accepted=frozenset({"policy-announced"}))
    return _answer(answer, policy_id)


def _known(info: Info, policy_id: str) -> None:
    with Session(engine(info)) as session:
        if compliance.policy(session, policy_id) is None:
            raise ValueError(f"policyId: unknown policy '{policy_id}'")


async def amend_policy(
    info: Info,
    policy_id: strawberry.ID,
    title: str,
    effective_at: dt.datetime,
    changes: PolicyChangesInput | None = None,
) -> PolicyAnswer:
    """The whole policy as it now stands: title, effective time and changes."""
    _check(title, effective_at)
    _known(info, policy_id)
    command = commands.AmendPolicy(
        policy_id=policy_id,
        title=title.strip(),
        effective_at=effective_at,
        changes=_changes(changes or PolicyChangesInput()),
    )
    answer, _ = await send_or_refuse(info, command, accepted=frozenset({"policy-amended"}))
    return _answer(answer, policy_id)


async def cancel_policy(info: Info, policy_id: strawberry.ID, reason: str) -> PolicyAnswer:
    if not reason.strip() or len(reason.strip()) > 500:
        raise ValueError("reason: needs 1 to 500 characters")
    _known(info, policy_id)
    command = commands.CancelPolicy(policy_id=policy_id, reason=reason.strip())
    answer, _ = await send_or_refuse(info, command, accepted=frozenset({"policy-cancelled"}))
    return _answer(answer, policy_id)
