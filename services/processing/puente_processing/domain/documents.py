"""The documents each person needs, and how their preparation takes time.

CBP already holds these people's data (DOMAIN.md, rule 5), so documents are prepared from the
moment a family is scheduled, before it travels: each one is `pending` until `ready_at`, then
`ready`. The times below are this project's assumption, not a published figure: forms filled
from data CBP holds take half a day, a change of venue a day, a motion a day and a half.

A family that checks in while a document is still pending is not turned away: the document is
finished at the port within `AT_PORT` (the family waits; processing may run overdue, which is
visible). Nobody is processed or released while any of the family's documents is pending.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from puente_schemas.common import CaseCategory, Member

PAROLE = "parole"
NEW_NTA = "new notice to appear"
COURT_TRANSFER = "court transfer"
MOTION_TO_RESCIND = "motion to rescind in absentia order"
MOTION_TO_REOPEN = "motion to reopen"

PENDING = "pending"
READY = "ready"

_BY_CATEGORY = {
    CaseCategory.ACTIVE: (COURT_TRANSFER,),
    CaseCategory.IN_ABSENTIA: (MOTION_TO_RESCIND, NEW_NTA),
    CaseCategory.DENIED: (MOTION_TO_REOPEN,),
    CaseCategory.TERMINATED: (NEW_NTA,),
    CaseCategory.INACTIVE: (NEW_NTA,),
}

PREPARATION = {
    PAROLE: dt.timedelta(hours=12),
    NEW_NTA: dt.timedelta(hours=12),
    COURT_TRANSFER: dt.timedelta(hours=24),
    MOTION_TO_RESCIND: dt.timedelta(hours=36),
    MOTION_TO_REOPEN: dt.timedelta(hours=36),
}
AT_PORT = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Document:
    """`ready_at` None: the document cannot be prepared yet (a court transfer with no court)."""

    member_id: str
    kind: str
    status: str = PENDING
    ready_at: dt.datetime | None = None


def documents_for(member: Member) -> tuple[str, ...]:
    """Parole is the presumption for everyone; the case category adds the legal action.
    A relative never in MPP gets a new NTA so the family goes forward together."""
    if not member.in_mpp or member.case_category is None:
        return (NEW_NTA, PAROLE)
    return (*_BY_CATEGORY[member.case_category], PAROLE)


def documents_in_us(member: Member) -> tuple[str, ...]:
    """Someone already inside the US has the case moved to the court nearest home (DOMAIN.md):
    a court transfer for everyone in MPP, whatever the category, besides its own action."""
    kinds = documents_for(member)
    if member.in_mpp and COURT_TRANSFER not in kinds:
        return (COURT_TRANSFER, *kinds)
    return kinds


def prepare(
    members: Iterable[Member], *, since: dt.datetime, in_us: bool = False, court_known: bool = True
) -> list[Document]:
    """Every member's documents, pending, each ready once its preparation time has passed."""
    needed = documents_in_us if in_us else documents_for
    return [
        Document(member.member_id, kind, ready_at=_ready_at(kind, since, court_known))
        for member in members
        for kind in needed(member)
    ]


def _ready_at(kind: str, since: dt.datetime, court_known: bool) -> dt.datetime | None:
    if kind == COURT_TRANSFER and not court_known:
        return None
    return since + PREPARATION[kind]


def court_found(documents: Sequence[Document], *, since: dt.datetime) -> list[Document]:
    """A court is known now: court transfers waiting for one start their preparation."""
    return [
        replace(d, ready_at=since + PREPARATION[d.kind])
        if d.kind == COURT_TRANSFER and d.status == PENDING and d.ready_at is None
        else d
        for d in documents
    ]


def finish_at_port(documents: Sequence[Document], *, checked_in_at: dt.datetime) -> list[Document]:
    """What is still pending when the family checks in is finished at the port, within AT_PORT."""
    deadline = checked_in_at + AT_PORT
    return [
        replace(d, ready_at=deadline)
        if d.status == PENDING and (d.ready_at is None or d.ready_at > deadline)
        else d
        for d in documents
    ]


def come_due(documents: Sequence[Document], now: dt.datetime) -> list[Document]:
    """The documents with their status at `now`."""
    return [
        replace(d, status=READY)
        if d.status == PENDING and d.ready_at is not None and d.ready_at <= now
        else d
        for d in documents
    ]


def progress(documents: Sequence[Document], now: dt.datetime) -> list[list[Document]]:
    """The documents after each moment up to `now` at which some came ready, in order: one
    state per moment, however late the caller looks, so the record does not depend on when."""
    moments = sorted(
        {d.ready_at for d in documents if d.status == PENDING and d.ready_at and d.ready_at <= now}
    )
    states, current = [], list(documents)
    for moment in moments:
        current = come_due(current, moment)
        states.append(current)
    return states


def pending(documents: Iterable[Document]) -> list[Document]:
    return [d for d in documents if d.status != READY]
