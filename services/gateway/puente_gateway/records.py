"""Registration events in the read model: who may see each family and how it is looked up,
expedite requests and call-backs; and the reads the API makes of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from puente_runtime import Context
from puente_schemas import Event
from puente_schemas.common import PartnerKind
from puente_schemas.events import (
    CallbackBooked,
    CallbackMissed,
    CallbackRecorded,
    ExpediteAwaitingSecondApproval,
    ExpediteDecided,
    ExpediteRequested,
    Registered,
    RegistrationUpdated,
)
from sqlmodel import Session, col, select

from puente_gateway import ports, sheltering, travel
from puente_gateway.access import RecordAccess
from puente_gateway.tables import CallbackRow, ExpediteRow, FamilyRecord, TimelineEntry

__all__ = [
    "access",
    "access_many",
    "apply",
    "by_code_hash",
    "callback",
    "callbacks_due",
    "expedite",
    "expedites",
    "record",
]


def _registered(event: Registered, ctx: Context) -> None:
    ctx.session.merge(
        FamilyRecord(
            family_unit_id=event.family_unit_id,
            organisation_id=event.organisation_id,
            consent=[kind.value for kind in event.consent],
            channel=event.channel.value,
            registration_code_hash=event.registration_code_hash,
            registered_at=event.registered_at,
            inside_us=event.current_location.inside_us,
        )
    )


def _updated(event: RegistrationUpdated, ctx: Context) -> None:
    record = ctx.session.get(FamilyRecord, event.family_unit_id)
    if record is not None:
        record.inside_us = event.current_location.inside_us
        ctx.session.add(record)


def _expedite_requested(event: ExpediteRequested, ctx: Context) -> None:
    ctx.session.merge(
        ExpediteRow(
            request_id=event.request_id,
            family_unit_id=event.family_unit_id,
            criterion=event.criterion,
            note=event.note,
            requested_by=event.requested_by,
            requested_at=event.requested_at,
            status="requested",
        )
    )


def _expedite_awaiting(event: ExpediteAwaitingSecondApproval, ctx: Context) -> None:
    row = ctx.session.get(ExpediteRow, event.request_id)
    if row is not None:
        row.status, row.approved_by = "awaiting-second-approval", [event.approved_by]
        ctx.session.add(row)


def _expedite_decided(event: ExpediteDecided, ctx: Context) -> None:
    row = ctx.session.get(ExpediteRow, event.request_id) if event.request_id else None
    if row is not None:
        row.status = "granted" if event.granted else "denied"
        row.approved_by, row.reason = list(event.decided_by), event.reason
        row.decided_at = event.decided_at or ctx.envelope.time
        ctx.session.add(row)


def _callback_booked(event: CallbackBooked, ctx: Context) -> None:
    ctx.session.merge(
        CallbackRow(
            callback_id=event.callback_id,
            family_unit_id=event.family_unit_id,
            operator=event.operator,
            due_at=event.due_at,
            status="booked",
            rebooked_from=event.rebooked_from,
        )
    )
    if event.rebooked_from:
        _set_callback(ctx.session, event.rebooked_from, status="rebooked")


def _callback_recorded(event: CallbackRecorded, ctx: Context) -> None:
    _set_callback(
        ctx.session,
        event.callback_id,
        status="made",
        outcome=event.outcome,
        made_at=event.made_at,
    )


def _callback_missed(event: CallbackMissed, ctx: Context) -> None:
    row = ctx.session.get(CallbackRow, event.callback_id)
    if row is not None and row.status == "rebooked":
        row.missed = True  # the rebooking came first: keep it, count the miss
        ctx.session.add(row)
    else:
        _set_callback(ctx.session, event.callback_id, status="missed", missed=True)


def _set_callback(session: Session, callback_id: str, **changes: Any) -> None:
    row = session.get(CallbackRow, callback_id)
    if row is None:
        return
    for name, value in changes.items():
        setattr(row, name, value)
    session.add(row)


_APPLY: Mapping[type[Event], Callable[[Any, Context], None]] = {
    Registered: _registered,
    RegistrationUpdated: _updated,
    ExpediteRequested: _expedite_requested,
    ExpediteAwaitingSecondApproval: _expedite_awaiting,
    ExpediteDecided: _expedite_decided,
    CallbackBooked: _callback_booked,
    CallbackRecorded: _callback_recorded,
    CallbackMissed: _callback_missed,
}


def apply(event: Event, ctx: Context) -> None:
    handler = _APPLY.get(type(event))
    if handler is not None:
        handler(event, ctx)
        ctx.session.flush()


PENDING = ("requested", "awaiting-second-approval")


def access(session: Session, family_unit_id: str) -> RecordAccess | None:
    return access_many(session, [family_unit_id]).get(family_unit_id)


def access_many(session: Session, family_unit_ids: Iterable[str]) -> dict[str, RecordAccess]:
    """What decides who follows each family and sees its record (access.RecordAccess)."""
    wanted = set(family_unit_ids)
    if not wanted:
        return {}
    query = select(FamilyRecord).where(col(FamilyRecord.family_unit_id).in_(wanted))
    shelters = sheltering.assigned_shelters(session, wanted)
    sites = ports.sites_of(session, wanted)
    routes = travel.routes_of(session, wanted)
    callers: dict[str, set[str]] = {}
    calls = select(CallbackRow).where(col(CallbackRow.family_unit_id).in_(wanted))
    for call in session.exec(calls):
        callers.setdefault(call.family_unit_id, set()).add(call.operator)
    requests = session.exec(
        select(ExpediteRow).where(col(ExpediteRow.family_unit_id).in_(wanted))
    ).all()
    pending = {row.family_unit_id for row in requests if row.status in PENDING}
    deciders: dict[str, set[str]] = {}
    for row in requests:
        deciders.setdefault(row.family_unit_id, set()).update(row.approved_by)
    found = {
        r.family_unit_id: RecordAccess(
            family_unit_id=r.family_unit_id,
            organisation_id=r.organisation_id,
            consent=frozenset(PartnerKind(kind) for kind in r.consent),
            shelter_id=shelters.get(r.family_unit_id),
            site=sites.get(r.family_unit_id),
            routes=frozenset(routes.get(r.family_unit_id, ())),
            callers=frozenset(callers.get(r.family_unit_id, ())),
            expedite_pending=r.family_unit_id in pending,
            expedite_deciders=frozenset(deciders.get(r.family_unit_id, ())),
        )
        for r in session.exec(query)
    }
    return found | _rejected(session, wanted - set(found))


def _rejected(session: Session, family_unit_ids: set[str]) -> dict[str, RecordAccess]:
    """A rejected registration has no record: the organisation that sent it follows it."""
    if not family_unit_ids:
        return {}
    query = select(TimelineEntry).where(
        col(TimelineEntry.family_unit_id).in_(family_unit_ids),
        TimelineEntry.type == "registration-rejected",
    )
    return {
        row.family_unit_id: RecordAccess(
            family_unit_id=row.family_unit_id,
            organisation_id=row.data.get("organisation_id"),
            consent=frozenset(),
        )
        for row in session.exec(query)
        if row.family_unit_id is not None
    }


def record(session: Session, family_unit_id: str) -> FamilyRecord | None:
    return session.get(FamilyRecord, family_unit_id)


def by_code_hash(session: Session, code_hash: str) -> FamilyRecord | None:
    query = select(FamilyRecord).where(FamilyRecord.registration_code_hash == code_hash)
    return session.exec(query).first()


def callback(session: Session, callback_id: str) -> CallbackRow | None:
    return session.get(CallbackRow, callback_id)


def expedite(session: Session, request_id: str) -> ExpediteRow | None:
    return session.get(ExpediteRow, request_id)


def expedites(session: Session, statuses: Iterable[str]) -> Sequence[ExpediteRow]:
    query = select(ExpediteRow).where(col(ExpediteRow.status).in_(list(statuses)))
    return session.exec(query.order_by(col(ExpediteRow.requested_at))).all()


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    return start, start + dt.timedelta(days=1)


def callbacks_due(session: Session, day: dt.date, operator: str | None) -> Sequence[CallbackRow]:
    start, end = _day_bounds(day)
    query = select(CallbackRow).where(
        col(CallbackRow.due_at) >= start, col(CallbackRow.due_at) < end
    )
    if operator is not None:
        query = query.where(CallbackRow.operator == operator)
    return session.exec(query.order_by(col(CallbackRow.due_at), col(CallbackRow.callback_id))).all()
