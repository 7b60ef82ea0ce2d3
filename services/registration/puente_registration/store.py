"""Reading and writing registration's tables: what the handlers and the call-back loop share.

Replicas of the service share the database. A read that a decision rests on first takes the
lock of what it decides about (`puente_runtime.storage.lock`, held until commit), so two
replicas deciding about the same thing take turns, each reading what the one before committed:
the hotline's calls (one lock: every call-back competes for the same operators), and a
person's A-number and birth date (the scopes of an A-number already registered and of a
likely duplicate). A transaction takes them in one order (A-numbers, then birth dates, each
sorted, then call-backs), so two never wait for each other in a circle.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Iterable

from puente_runtime.storage import lock
from puente_schemas.common import Channel, Location, Member
from puente_schemas.events import CallbackBooked, Registered
from sqlmodel import Session, col, select

from puente_registration import callbacks, duplicates
from puente_registration.tables import CallbackRow, ExpediteRow, FamilyRow, PersonRow

# Held while call-backs are booked, recorded, missed or cancelled.
CALLBACKS = "registration call-backs"


def registered_a_numbers(session: Session, a_numbers: Collection[str]) -> dict[str, str]:
    """Which of these A-numbers are registered already, and in which family; until commit,
    no other replica registers them."""
    if not a_numbers:
        return {}
    _lock_each(session, "registration a-number", a_numbers)
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
    """Everyone registered with one of these birth dates (an indexed lookup); until commit,
    no other replica registers anyone born on them (a likely duplicate is born the same day)."""
    _lock_each(session, "registration birth date", [date.isoformat() for date in dates])
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
    """Book the family's next call-back: a rebooking goes ahead of new call-backs. The calls
    read as taken are the calls taken: no other replica books until this one commits."""
    lock(session, CALLBACKS)
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


def callback(session: Session, callback_id: str) -> CallbackRow | None:
    """A call-back, to record: no other replica misses or cancels it until this one commits."""
    lock(session, CALLBACKS)
    return session.get(CallbackRow, callback_id)


def overdue_callbacks(session: Session, *, now: dt.datetime) -> list[CallbackRow]:
    """Booked call-backs whose time and grace period have passed, oldest first; no other
    replica records or cancels them until this one commits."""
    lock(session, CALLBACKS)
    query = select(CallbackRow).where(
        CallbackRow.status == callbacks.Status.BOOKED,
        col(CallbackRow.due_at) <= now - callbacks.GRACE,
    )
    return list(session.exec(query.order_by(col(CallbackRow.due_at), col(CallbackRow.id))).all())


def booked_callbacks(session: Session, family_unit_id: str) -> list[CallbackRow]:
    """The family's call-backs still to be made, to cancel: no other replica records, misses
    or rebooks them until this one commits."""
    lock(session, CALLBACKS)
    query = select(CallbackRow).where(
        CallbackRow.family_unit_id == family_unit_id,
        CallbackRow.status == callbacks.Status.BOOKED,
    )
    return list(session.exec(query).all())


def _lock_each(session: Session, scope: str, keys: Iterable[str]) -> None:
    """One lock per key, sorted: two registrations never wait for each other in a circle."""
    for key in sorted(set(keys)):
        lock(session, f"{scope} {key}")


def expedites_of(session: Session, family_unit_id: str) -> list[ExpediteRow]:
    query = select(ExpediteRow).where(ExpediteRow.family_unit_id == family_unit_id)
    return list(session.exec(query).all())
