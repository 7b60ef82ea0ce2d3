"""Notices in the read model: each organisation's inbox as notifications fills it (issued,
delivered through a channel, acknowledged), when the organisation first read each notice, and
the reads the API makes of it. Notifications decides; the gateway shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from puente_runtime import Context, NotYet
from puente_schemas import Event
from puente_schemas.events import NoticeAcknowledged, NoticeDelivered, NoticeIssued
from sqlmodel import Session, col, select, update

from puente_gateway.tables import NoticeRow, TimelineEntry

__all__ = ["apply", "inbox", "issued_between", "mark_read", "notice", "of_policy"]


def _issued(event: NoticeIssued, ctx: Context) -> None:
    if ctx.session.get(NoticeRow, event.notice_id) is not None:
        return  # issued again under a new event id: the first stays
    ctx.session.add(
        NoticeRow(
            notice_id=event.notice_id,
            issued_event_id=ctx.envelope.id,
            organisation_id=event.organisation_id,
            kind=event.kind,
            title=event.title,
            text=event.text,
            language=event.language,
            policy_id=event.policy_id,
            family_unit_id=event.family_unit_id,
            effective_at=event.effective_at,
            created_at=ctx.envelope.time,
        )
    )


def _issued_row(session: Session, notice_id: str, what: str) -> NoticeRow:
    row = session.get(NoticeRow, notice_id)
    if row is None:
        raise NotYet(f"{what} before notice-issued for {notice_id}")
    return row


def _delivered(event: NoticeDelivered, ctx: Context) -> None:
    if event.organisation_id is None:
        return  # a notice to a recipient that is no organisation's inbox
    row = _issued_row(ctx.session, event.notice_id, "notice-delivered")
    if event.channel not in row.delivered_via:
        row.delivered_via = [*row.delivered_via, event.channel]
    row.delivered_at = row.delivered_at or ctx.envelope.time
    ctx.session.add(row)


def _acknowledged(event: NoticeAcknowledged, ctx: Context) -> None:
    row = _issued_row(ctx.session, event.notice_id, "notice-acknowledged")
    row.acknowledged_at = row.acknowledged_at or event.acknowledged_at
    ctx.session.add(row)


_APPLY: Mapping[type[Event], Callable[[Any, Context], None]] = {
    NoticeIssued: _issued,
    NoticeDelivered: _delivered,
    NoticeAcknowledged: _acknowledged,
}


def apply(event: Event, ctx: Context) -> None:
    handler = _APPLY.get(type(event))
    if handler is not None:
        handler(event, ctx)
        ctx.session.flush()


def inbox(
    session: Session,
    organisation_id: str,
    *,
    after: int = 0,
    unacknowledged_only: bool = False,
    notice_id: str | None = None,
) -> list[tuple[NoticeRow, int]]:
    """The organisation's notices after a cursor, oldest first, each with its cursor."""
    query = (
        select(NoticeRow, TimelineEntry.cursor)
        .join(TimelineEntry, col(TimelineEntry.event_id) == col(NoticeRow.issued_event_id))
        .where(NoticeRow.organisation_id == organisation_id, col(TimelineEntry.cursor) > after)
    )
    if unacknowledged_only:
        query = query.where(col(NoticeRow.acknowledged_at).is_(None))
    if notice_id is not None:
        query = query.where(NoticeRow.notice_id == notice_id)
    return [
        (row, cursor or 0)
        for row, cursor in session.exec(query.order_by(col(TimelineEntry.cursor)))
    ]


def mark_read(session: Session, notice_ids: Sequence[str], now: dt.datetime) -> None:
    """The first time a notice is returned to its organisation is when it was first read."""
    session.exec(
        update(NoticeRow)
        .where(
            col(NoticeRow.notice_id).in_(list(notice_ids)), col(NoticeRow.first_read_at).is_(None)
        )
        .values(first_read_at=now)
    )
    session.commit()


def notice(session: Session, notice_id: str) -> NoticeRow | None:
    return session.get(NoticeRow, notice_id)


def of_policy(session: Session, policy_id: str) -> Sequence[NoticeRow]:
    query = select(NoticeRow).where(NoticeRow.policy_id == policy_id)
    return session.exec(query.order_by(col(NoticeRow.created_at), col(NoticeRow.notice_id))).all()


def issued_between(
    session: Session, policy_id: str, start: dt.datetime, end: dt.datetime | None
) -> Sequence[NoticeRow]:
    """The policy's notices issued from `start` until `end` (None: until now), oldest first."""
    query = select(NoticeRow).where(
        NoticeRow.policy_id == policy_id, col(NoticeRow.created_at) >= start
    )
    if end is not None:
        query = query.where(col(NoticeRow.created_at) < end)
    return session.exec(query.order_by(col(NoticeRow.created_at), col(NoticeRow.notice_id))).all()
