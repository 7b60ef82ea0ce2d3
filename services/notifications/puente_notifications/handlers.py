"""Notifications' message handlers: partners known to notifications, family notices to the
organisation (or shelter) they concern, acknowledgements. Policies are in `policies`.

Replicas share the database. Announcing a policy (which reads the recipients known) and
meeting a new organisation or shelter (which reads the policies announced) take one lock,
held until commit (`puente_runtime.storage.lock`): each reads what the other committed, so a
recipient that appears while a policy is announced still hears of it.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from puente_runtime import Context, Handlers, NotYet
from puente_schemas.commands import AcknowledgeNotice, AmendPolicy, AnnouncePolicy, CancelPolicy
from puente_schemas.common import FieldError
from puente_schemas.events import (
    AttorneyAccessDecided,
    Event,
    NoticeAcknowledged,
    NotificationsCommandRejected,
    OrganisationRegistered,
    OrganisationUpdated,
    Registered,
    Released,
    ShelterAssigned,
    ShelterUpdated,
)

from puente_notifications import domain, inbox, policies, webhooks
from puente_notifications.tables import FamilyNeedsRow, NoticeRow, OrganisationRow, ShelterRow


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
        inbox.shelter(ctx.session, event.shelter_id),
        event.site,
        event.expected_at,
        _needs(ctx, event.family_unit_id),
        event.need_items or event.needs,
    )
    return inbox.issue(ctx.session, notice, now=ctx.clock.now(), family=event.family_unit_id)


def notify_release(event: Released, ctx: Context) -> list[Event]:
    """The shelter expecting the family hears it is on its way; a family going to a sponsor
    or already home in the US has no shelter to tell."""
    if event.shelter_id is None:
        return []
    recipient = inbox.shelter(ctx.session, event.shelter_id)
    notice = domain.released_to(recipient, event.site, _needs(ctx, event.family_unit_id))
    return inbox.issue(ctx.session, notice, now=ctx.clock.now(), family=event.family_unit_id)


def notify_attorney(event: AttorneyAccessDecided, ctx: Context) -> list[Event]:
    recipient = inbox.organisation_by_id(ctx.session, event.attorney_organisation_id)
    notice = domain.attorney_access(recipient, event.granted, event.reason)
    return inbox.issue(ctx.session, notice, now=ctx.clock.now(), family=event.family_unit_id)


def remember_shelter(event: ShelterUpdated, ctx: Context) -> list[Event]:
    """A shelter new to notifications hears at once of every policy not yet in effect (its
    organisation does, if notifications knows it)."""
    known = ctx.session.get(ShelterRow, event.shelter.id) is not None
    ctx.session.merge(ShelterRow(id=event.shelter.id, name=event.shelter.name))
    recipient = inbox.shelter(ctx.session, event.shelter.id)
    if known or recipient.organisation_id is not None:
        return []
    return policies.tell_of_upcoming(ctx.session, recipient, now=ctx.clock.now())


def remember_organisation(
    event: OrganisationRegistered | OrganisationUpdated, ctx: Context
) -> list[Event]:
    """An organisation new to notifications hears at once of every policy not yet in effect;
    later events only change its languages and contacts."""
    known = ctx.session.get(OrganisationRow, event.organisation_id) is not None
    row = OrganisationRow(
        id=event.organisation_id,
        name=event.name,
        kind=event.kind.value,
        languages=",".join(event.languages),
        contacts=[c.model_dump(mode="json") for c in event.contacts],
        shelter_id=event.shelter_id,
    )
    ctx.session.merge(row)
    if known:
        return []
    return policies.tell_of_upcoming(ctx.session, inbox.organisation(row), now=ctx.clock.now())


def acknowledge(command: AcknowledgeNotice, ctx: Context) -> list[Event]:
    """An organisation acknowledges its own notice, once. Another organisation's notice is
    refused exactly like an unknown one, so a refusal tells nothing about other inboxes."""
    notice = ctx.session.get(NoticeRow, command.notice_id)
    if notice is None or notice.organisation_id != command.organisation_id:
        error = FieldError(field="notice_id", message="is not a notice of your organisation")
        return [NotificationsCommandRejected(command=AcknowledgeNotice.TYPE, errors=[error])]
    if notice.acknowledged_at is not None:
        return []
    notice.acknowledged_at = ctx.clock.now()
    ctx.session.add(notice)
    return [
        NoticeAcknowledged(
            notice_id=notice.id,
            organisation_id=command.organisation_id,
            policy_id=notice.policy_id,
            acknowledged_at=notice.acknowledged_at,
        )
    ]


def _needs(ctx: Context, family_unit_id: str) -> domain.FamilyNeeds:
    row = ctx.session.get(FamilyNeedsRow, family_unit_id)
    if row is None:
        raise NotYet(f"family unit {family_unit_id} not registered here yet")
    return domain.FamilyNeeds(
        people=row.people,
        languages=tuple(row.languages.split(",")),
        needs_interpreter=row.needs_interpreter,
    )


def handlers(*, notice: dt.timedelta) -> Handlers:
    return {
        Registered: remember_needs,
        ShelterUpdated: remember_shelter,
        ShelterAssigned: notify_expected_arrival,
        Released: notify_release,
        AttorneyAccessDecided: notify_attorney,
        OrganisationRegistered: remember_organisation,
        OrganisationUpdated: remember_organisation,
        AnnouncePolicy: partial(policies.announce, notice=notice),
        AmendPolicy: partial(policies.amend, notice=notice),
        CancelPolicy: policies.cancel,
        AcknowledgeNotice: acknowledge,
    }


# With the webhooks' own consumer group (app.py): what the service consumes, for the catalog.
HANDLERS: Handlers = {**handlers(notice=dt.timedelta(hours=24)), **webhooks.HANDLERS}
