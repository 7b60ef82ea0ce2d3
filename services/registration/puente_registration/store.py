"""Reading and writing registration's tables: what the handlers and the call-back loop share."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Iterable

from puente_schemas.common import Channel, Location, Member
from puente_schemas.events import CallbackBooked, Registered
from sqlmodel import Session, col, select

from puente_registration import callbacks, duplicates
from puente_registration.tables import CallbackRow, ExpediteRow, FamilyRow, PersonRow


def registered_a_numbers(session: Session, a_numbers: Collection[str]) -> dict[str, str]:
    """Which of these A-numbers are registered already, and in which family."""
    if not a_numbers:
        return {}
    query = select(PersonRow.a_number, PersonRow.family_unit_id).where(
        col(PersonRow.a_number).in_(a_numbers)
    )
    return {a_number: family for a_number, family in session.exec(query).all() if a_number}


def add_family(session: Session, registered: Registered) -> None:
    """Store the family as registered; an attorney who registers it is its attorney of record."""
    attorney = registered.channel is Channel.ATTORNEY
    session.add(
        FamilyRow(
            id=registered.family_unit_id,
            channel=registered.channel,
            city=registered.current_location.city,
            country=registered.current_location.country,
            registered_at=registered.registered_at,
            organisation_id=registered.organisation_id,
            attorney_organisation_id=registered.organisation_id if attorney else None,
            registration_code_hash=registered.registration_code_hash,
            consent=list(registered.consent),
            consent_recorded_at=registered.consent_recorded_at,
            consent_channel=registered.channel,
        )
    )
    session.flush()


def born_on(session: Session, dates: Collection[dt.date]) -> list[duplicates.Person]:
    """Everyone registered with one of these birth dates (an indexed lookup)."""
    query = select(PersonRow).where(col(PersonRow.birth_date).in_(dates))
    return [
        duplicates.Person(p.family_unit_id, p.given_name, p.family_name, p.birth_date)
        for p in session.exec(query).all()
    ]


def add_members(session: Session, family_unit_id: str, members: Iterable[Member]) -> None:
    start = len(members_of(session, family_unit_id))
    for position, member in enumerate(members, start=start):
        session.add(
            PersonRow(family_unit_id=family_unit_id, position=position, **member.model_dump())
        )
    session.flush()


def members_of(session: Session, family_unit_id: str) -> list[Member]:
    query = select(PersonRow).where(PersonRow.family_unit_id == family_unit_id)
    rows = session.exec(query.order_by(col(PersonRow.position))).all()
    return [
        Member.model_validate(row.model_dump(exclude={"family_unit_id", "position"}))
        for row in rows
    ]


def location_of(family: FamilyRow) -> Location:
    return Location(city=family.city, country=family.country)


def book_callback(
    session: Session,
    family_unit_id: str,
    *,
    now: dt.datetime,
    rebooked_from: CallbackRow | None = None,
    unanswered_before: int = 0,
) -> CallbackBooked:
    """Book the family's next call-back: a rebooking goes ahead of new call-backs."""
    booking = callbacks.book(
        after=now, taken=_taken_calls(session, after=now), rebooking=rebooked_from is not None
    )
    row = CallbackRow(
        id=str(uuid.uuid4()),
        family_unit_id=family_unit_id,
        operator=booking.operator,
        due_at=booking.due_at,
        booked_at=now,
        rebooked_from=rebooked_from.id if rebooked_from else None,
        unanswered_before=unanswered_before,
    )
    session.add(row)
    session.flush()
    return CallbackBooked(
        callback_id=row.id,
        family_unit_id=family_unit_id,
        due_at=row.due_at,
        operator=row.operator,
        rebooked_from=row.rebooked_from,
    )


def _taken_calls(session: Session, *, after: dt.datetime) -> set[tuple[dt.datetime, str]]:
    query = select(CallbackRow.due_at, CallbackRow.operator).where(
        col(CallbackRow.due_at) > after, CallbackRow.status != callbacks.Status.CANCELLED
    )
    return {(due_at, operator) for due_at, operator in session.exec(query).all()}


def overdue_callbacks(session: Session, *, now: dt.datetime) -> list[CallbackRow]:
    """Booked call-backs whose time and grace period have passed, oldest first."""
    query = select(CallbackRow).where(
        CallbackRow.status == callbacks.Status.BOOKED,
        col(CallbackRow.due_at) <= now - callbacks.GRACE,
    )
    return list(session.exec(query.order_by(col(CallbackRow.due_at), col(CallbackRow.id))).all())


def booked_callbacks(session: Session, family_unit_id: str) -> list[CallbackRow]:
    query = select(CallbackRow).where(
        CallbackRow.family_unit_id == family_unit_id,
        CallbackRow.status == callbacks.Status.BOOKED,
    )
    return list(session.exec(query).all())


def expedites_of(session: Session, family_unit_id: str) -> list[ExpediteRow]:
    query = select(ExpediteRow).where(ExpediteRow.family_unit_id == family_unit_id)
    return list(session.exec(query).all())
