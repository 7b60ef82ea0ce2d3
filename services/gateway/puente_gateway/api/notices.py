"""An organisation's own notices: read them (query, or live and resumable like familyEvents)
and acknowledge them. Another organisation's notice is refused exactly like an unknown one, so
a caller learns nothing of notices that are not its own. The first time a notice is returned
to its organisation is recorded as when it was first read (policyCompliance shows it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator

import strawberry
from puente_schemas import commands
from sqlmodel import Session
from strawberry.types import Info

from puente_gateway import notices
from puente_gateway.api.permissions import engine, gateway, principal
from puente_gateway.api.sending import send_or_refuse
from puente_gateway.api.types import CommandAnswer
from puente_gateway.tables import NoticeRow

__all__ = ["Notice", "NoticeAnswer", "acknowledge_notice", "notice_feed", "own_notices"]


@strawberry.type(description="A notice in the caller's organisation's inbox.")
class Notice:
    id: strawberry.ID
    kind: str
    title: str
    text: str
    language: str = strawberry.field(description="ISO 639-3: the language it is written in.")
    created_at: dt.datetime
    delivered_via: list[str] = strawberry.field(
        description="The channels it reached the organisation through (inbox, email, webhook)."
    )
    acknowledged_at: dt.datetime | None
    policy_id: strawberry.ID | None
    family_unit_id: strawberry.ID | None
    effective_at: dt.datetime | None = strawberry.field(
        description="When the policy it is about takes effect (policy notices only)."
    )
    cursor: str = strawberry.field(description="Resume `subscription notices` after this one.")


@strawberry.type
class NoticeAnswer(CommandAnswer):
    acknowledged_at: dt.datetime | None


def _notice(row: NoticeRow, cursor: int) -> Notice:
    return Notice(
        id=strawberry.ID(row.notice_id),
        kind=row.kind,
        title=row.title,
        text=row.text,
        language=row.language,
        created_at=row.created_at,
        delivered_via=list(row.delivered_via),
        acknowledged_at=row.acknowledged_at,
        policy_id=strawberry.ID(row.policy_id) if row.policy_id else None,
        family_unit_id=strawberry.ID(row.family_unit_id) if row.family_unit_id else None,
        effective_at=row.effective_at,
        cursor=str(cursor),
    )


def _organisation(info: Info) -> str:
    caller = principal(info)
    if caller is None or caller.organisation_id is None:
        raise ValueError("notices belong to an organisation: this token has none")
    return caller.organisation_id


def _cursor(after: str | None) -> int:
    if after is None:
        return 0
    if not after.isdigit():
        raise ValueError("after: must be a cursor received from notices")
    return int(after)


def _read(
    info: Info,
    organisation_id: str,
    after: int,
    unacknowledged_only: bool,
    notice_id: str | None = None,
) -> list[Notice]:
    """The notices, recorded as read by their organisation if this is the first time."""
    with Session(engine(info)) as session:
        rows = notices.inbox(
            session,
            organisation_id,
            after=after,
            unacknowledged_only=unacknowledged_only,
            notice_id=notice_id,
        )
        found = [_notice(row, cursor) for row, cursor in rows]
        notices.mark_read(session, [row.notice_id for row, _ in rows], gateway(info).clock.now())
    return found


def own_notices(
    info: Info,
    after: str | None = None,
    unacknowledged_only: bool | None = False,
    id: strawberry.ID | None = None,
) -> list[Notice]:
    """`id`: that notice alone (none if it is not the organisation's: as an unknown one)."""
    return _read(info, _organisation(info), _cursor(after), bool(unacknowledged_only), id)


async def notice_feed(info: Info, after: str | None = None) -> AsyncGenerator[Notice, None]:
    """The organisation's notices after `after`, then live as they are issued, each once."""
    organisation_id, last = _organisation(info), _cursor(after)
    caller = principal(info)
    assert caller is not None
    with gateway(info).hub.listen(caller) as listener:
        listener.live = True  # listen first: nothing committed is missed
        while True:
            for notice in _read(info, organisation_id, last, False):
                last = int(notice.cursor)
                yield notice
            entry = await listener.queue.get()
            while entry is not None and (
                entry.cursor <= last
                or not _issued_to(entry.type, entry.organisation_id, organisation_id)
            ):
                entry = await listener.queue.get()
            if entry is None:
                raise ValueError(f"{listener.stopped} (last cursor: {last})")


def _issued_to(kind: str, addressee: str | None, organisation_id: str) -> bool:
    return kind == "notice-issued" and addressee == organisation_id


async def acknowledge_notice(info: Info, notice_id: strawberry.ID) -> NoticeAnswer:
    """Sends acknowledge-notice; notifications records it and stops escalating."""
    organisation_id = _organisation(info)
    with Session(engine(info)) as session:
        row = notices.notice(session, notice_id)
    if row is None or row.organisation_id != organisation_id:
        raise ValueError(f"noticeId: unknown notice '{notice_id}'")
    command = commands.AcknowledgeNotice(notice_id=notice_id, organisation_id=organisation_id)
    answer, outcome = await send_or_refuse(
        info, command, accepted=frozenset({"notice-acknowledged"})
    )
    acknowledged = outcome.data.get("acknowledged_at") if outcome else None
    return NoticeAnswer(
        status=answer.status,
        command_id=answer.command_id,
        outcome=answer.outcome,
        errors=answer.errors,
        acknowledged_at=dt.datetime.fromisoformat(acknowledged) if acknowledged else None,
    )
