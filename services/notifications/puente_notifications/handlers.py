"""Notifications' message handlers: every notice is stored in the recipient's inbox."""

from __future__ import annotations

import uuid

from puente_runtime import Context, Handlers, NotYet
from puente_schemas.events import Event, NoticeDelivered, Registered, Released, Scheduled

from puente_notifications import domain
from puente_notifications.tables import FamilyNeedsRow, NoticeRow


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


def notify_expected_arrival(event: Scheduled, ctx: Context) -> list[Event]:
    notice = domain.expected_arrival(event.site, event.appointment_at, _needs(ctx, event))
    return [_deliver(ctx, event.family_unit_id, notice)]


def notify_release(event: Released, ctx: Context) -> list[Event]:
    notice = domain.released_to(event.destination, event.site, _needs(ctx, event))
    return [_deliver(ctx, event.family_unit_id, notice)]


def _needs(ctx: Context, event: Scheduled | Released) -> domain.FamilyNeeds:
    row = ctx.session.get(FamilyNeedsRow, event.family_unit_id)
    if row is None:
        raise NotYet(f"family unit {event.family_unit_id} not registered here yet")
    return domain.FamilyNeeds(
        people=row.people,
        languages=tuple(row.languages.split(",")),
        needs_interpreter=row.needs_interpreter,
    )


def _deliver(ctx: Context, family_unit_id: str, notice: domain.Notice) -> NoticeDelivered:
    row = NoticeRow(
        id=str(uuid.uuid4()),
        family_unit_id=family_unit_id,
        recipient=notice.recipient,
        kind=notice.kind,
        text=notice.text,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(row)
    return NoticeDelivered(
        notice_id=row.id,
        family_unit_id=family_unit_id,
        recipient=notice.recipient,
        channel="inbox",
        kind=notice.kind,
    )


HANDLERS: Handlers = {
    Registered: remember_needs,
    Scheduled: notify_expected_arrival,
    Released: notify_release,
}
