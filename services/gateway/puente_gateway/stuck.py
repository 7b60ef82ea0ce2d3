"""Families whose journey has not moved for longer than expected, read from the read model.

The thresholds are settings (`PUENTE_STUCK_*`, Thresholds). Where a service decides that a
step is late it says so and the gateway shows it: processing's `processing-overdue` (against
the site's target), scheduling's reason for a waitlisted family, transport's reason for a
failed trip (a missed pick-up, a late vehicle). A family whose events the gateway holds back
(parked: an event that came before its cause) says that too.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterator
from dataclasses import dataclass

from puente_runtime.parking import ParkedRow
from puente_runtime.settings import Settings
from puente_schemas.common import SeatStatus
from sqlalchemy import func
from sqlmodel import Session, col, select

from puente_gateway import queueing
from puente_gateway.tables import (
    BookingRow,
    FamilyRecord,
    FamilyView,
    PortVisit,
    QueueEntry,
    TransportFailureRow,
)

__all__ = ["RULES", "Stuck", "Thresholds", "parked_reasons", "stuck", "transport_failures"]

PAGE = 200  # rows each rule's query reads at a time

# What each rule means, in the words the API and the console show.
RULES = {
    "not-scheduled": "registered, no appointment yet",
    "not-booked": "appointment given, no transport booked",
    "not-departed": "transport booked, not departed after its departure time",
    "not-arrived": "departed, not arrived after its expected arrival",
    "processing-overdue": "in processing past the site's target (reported by processing)",
    "not-released": "processed, not released",
}


@dataclass(frozen=True)
class Thresholds:
    """How long each step may take before its family counts as stuck (Settings.stuck_*)."""

    unscheduled: dt.timedelta
    unbooked: dt.timedelta
    departure_grace: dt.timedelta
    arrival_grace: dt.timedelta
    unreleased: dt.timedelta

    @classmethod
    def of(cls, settings: Settings) -> Thresholds:
        return cls(
            unscheduled=dt.timedelta(hours=settings.stuck_unscheduled_hours),
            unbooked=dt.timedelta(hours=settings.stuck_unbooked_hours),
            departure_grace=dt.timedelta(hours=settings.stuck_departure_grace_hours),
            arrival_grace=dt.timedelta(hours=settings.stuck_arrival_grace_hours),
            unreleased=dt.timedelta(hours=settings.stuck_unreleased_hours),
        )


@dataclass(frozen=True, order=True)
class Stuck:
    """One family: since when it stands at its stage, when it should have moved on, by which
    rule, and the reason a service gave, if any."""

    expected_by: dt.datetime
    family_unit_id: str
    stage: str
    rule: str
    since: dt.datetime
    site: str | None = None
    reason: str | None = None


def _not_scheduled(session: Session, now: dt.datetime, limits: Thresholds) -> Iterator[Stuck]:
    query = (
        select(FamilyView.id, FamilyView.stage, FamilyRecord.registered_at, QueueEntry)
        .join(FamilyRecord, col(FamilyRecord.family_unit_id) == col(FamilyView.id))
        .outerjoin(QueueEntry, col(QueueEntry.family_unit_id) == col(FamilyView.id))
        .where(
            col(FamilyView.stage).in_(["REGISTERED", "WAITING"]),
            col(FamilyRecord.registered_at) < now - limits.unscheduled,
        )
        .order_by(col(FamilyRecord.registered_at))
        .execution_options(yield_per=PAGE)
    )
    for family, stage, registered_at, entry in session.exec(query):
        waiting = entry is not None and entry.status != queueing.SCHEDULED and entry.reason
        yield Stuck(
            expected_by=registered_at + limits.unscheduled,
            family_unit_id=family,
            stage=stage,
            rule="not-scheduled",
            since=registered_at,
            site=entry.site if entry else None,
            reason=f"waitlisted: {entry.reason}" if waiting and entry else None,
        )


def _not_booked(session: Session, now: dt.datetime, limits: Thresholds) -> Iterator[Stuck]:
    query = (
        select(QueueEntry)
        .join(FamilyView, col(FamilyView.id) == col(QueueEntry.family_unit_id))
        .where(
            FamilyView.stage == "SCHEDULED",
            QueueEntry.status == queueing.SCHEDULED,
            col(QueueEntry.decided_at) < now - limits.unbooked,
        )
        .order_by(col(QueueEntry.decided_at))
        .execution_options(yield_per=PAGE)
    )
    for entry in session.exec(query):
        assert entry.decided_at is not None
        yield Stuck(
            expected_by=entry.decided_at + limits.unbooked,
            family_unit_id=entry.family_unit_id,
            stage="SCHEDULED",
            rule="not-booked",
            since=entry.decided_at,
            site=entry.site,
        )


def _trips(
    session: Session, status: str, column: object, grace: dt.timedelta, now: dt.datetime
) -> Iterator[BookingRow]:
    query = (
        select(BookingRow)
        .join(FamilyView, col(FamilyView.id) == col(BookingRow.family_unit_id))
        .where(
            FamilyView.stage == "TRANSPORT_BOOKED",
            BookingRow.status == status,
            col(column) < now - grace,
        )
        .order_by(col(column))
        .execution_options(yield_per=PAGE)
    )
    yield from session.exec(query)


def _not_departed(session: Session, now: dt.datetime, limits: Thresholds) -> Iterator[Stuck]:
    grace = limits.departure_grace
    for trip in _trips(session, SeatStatus.BOOKED, BookingRow.departure_at, grace, now):
        yield Stuck(
            expected_by=trip.departure_at + grace,
            family_unit_id=trip.family_unit_id,
            stage="TRANSPORT_BOOKED",
            rule="not-departed",
            since=trip.booked_at,
            site=trip.site,
            reason=trip.reason or None,
        )


def _not_arrived(session: Session, now: dt.datetime, limits: Thresholds) -> Iterator[Stuck]:
    grace = limits.arrival_grace
    for trip in _trips(session, SeatStatus.DEPARTED, BookingRow.expected_arrival_at, grace, now):
        assert trip.expected_arrival_at is not None and trip.departed_at is not None
        yield Stuck(
            expected_by=trip.expected_arrival_at + grace,
            family_unit_id=trip.family_unit_id,
            stage="TRANSPORT_BOOKED",
            rule="not-arrived",
            since=trip.departed_at,
            site=trip.site,
            reason=trip.reason or None,
        )


def _processing_overdue(session: Session, now: dt.datetime, limits: Thresholds) -> Iterator[Stuck]:
    """Processing decides when a family is overdue; it is stuck as long as it is unprocessed."""
    query = (
        select(PortVisit)
        .where(
            col(PortVisit.overdue_target_hours).is_not(None),
            col(PortVisit.checked_in_at).is_not(None),
            col(PortVisit.processed_at).is_(None),
        )
        .order_by(col(PortVisit.checked_in_at))
    )
    found = []
    for visit in session.exec(query):
        assert visit.checked_in_at is not None and visit.overdue_target_hours is not None
        target = visit.overdue_target_hours
        found.append(
            Stuck(
                expected_by=visit.checked_in_at + dt.timedelta(hours=target),
                family_unit_id=visit.family_unit_id,
                stage="ARRIVED",
                rule="processing-overdue",
                since=visit.checked_in_at,
                site=visit.site,
                reason=f"processing overdue: over the site's target of {target:g} h",
            )
        )
    yield from sorted(found)  # each site has its own target: ordered here, not by the query


def _not_released(session: Session, now: dt.datetime, limits: Thresholds) -> Iterator[Stuck]:
    query = (
        select(PortVisit)
        .where(
            col(PortVisit.processed_at) < now - limits.unreleased,
            col(PortVisit.released_at).is_(None),
        )
        .order_by(col(PortVisit.processed_at))
        .execution_options(yield_per=PAGE)
    )
    for visit in session.exec(query):
        assert visit.processed_at is not None
        yield Stuck(
            expected_by=visit.processed_at + limits.unreleased,
            family_unit_id=visit.family_unit_id,
            stage="PROCESSED",
            rule="not-released",
            since=visit.processed_at,
            site=visit.site,
        )


_FINDERS = (
    _not_scheduled,
    _not_booked,
    _not_departed,
    _not_arrived,
    _processing_overdue,
    _not_released,
)


def stuck(session: Session, now: dt.datetime, limits: Thresholds) -> Iterator[Stuck]:
    """Every stuck family, the longest overdue first (each rule's query streams its rows in
    that order, a page at a time: a caller that needs the first few reads only those)."""
    return heapq.merge(*(finder(session, now, limits) for finder in _FINDERS))


def transport_failures(session: Session, family_unit_ids: set[str]) -> dict[str, str]:
    """Each family's latest transport failure (a missed pick-up, a late vehicle)."""
    latest = (
        select(TransportFailureRow.family_unit_id, func.max(TransportFailureRow.id))
        .where(col(TransportFailureRow.family_unit_id).in_(family_unit_ids))
        .group_by(col(TransportFailureRow.family_unit_id))
    )
    ids = [row_id for _, row_id in session.exec(latest)]
    rows = session.exec(select(TransportFailureRow).where(col(TransportFailureRow.id).in_(ids)))
    return {row.family_unit_id: row.reason for row in rows}


def parked_reasons(session: Session, family_unit_ids: set[str]) -> dict[str, str]:
    """Why the gateway holds back one of each family's events, if it does (parking.py)."""
    query = (
        select(ParkedRow)
        .where(col(ParkedRow.subject).in_(family_unit_ids))
        .order_by(col(ParkedRow.id))
    )
    found: dict[str, str] = {}
    for row in session.exec(query):
        found.setdefault(row.subject, row.reason)
    return found
