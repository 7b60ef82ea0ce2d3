"""The read model: every event moves a family's stage and adds to its timeline; events also
fill the tables their queries read: registration (records.py), scheduling (queueing.py),
transport (travel.py), processing (ports.py), shelters (sheltering.py), notices
(notices.py) and policies (compliance.py).

Handlers run in the consumer's transaction (inbox and all); what they announce to live
subscribers and waiting requests is announced only after that transaction commits.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence

from puente_runtime import Context, NotYet
from puente_runtime.consumer import HandlerFn
from puente_runtime.outbox import PUBLISHED_AT
from puente_runtime.tracing import trace_id_of
from puente_schemas import EVENTS, Event
from puente_schemas.commands import DeliverWebhookEvent
from puente_schemas.events import (
    AppointmentEstimated,
    ArrivedAtPort,
    AttorneyAccessDecided,
    BookingCancelled,
    CheckedIn,
    CommandRejected,
    CourtAssigned,
    DocumentsPrepared,
    Processed,
    ProcessingOverdue,
    Registered,
    RegistrationRejected,
    RegistrationUpdated,
    Released,
    Rescheduled,
    ScheduleCancelled,
    Scheduled,
    ShelterAssigned,
    ShelterAssignmentWithdrawn,
    TransportBooked,
    TransportFailed,
    Waitlisted,
    short_type,
)
from puente_schemas.topics import GATEWAY_EVENTS
from sqlmodel import Session, col, select

from puente_gateway import (
    compliance,
    family_hooks,
    notices,
    ports,
    queueing,
    records,
    sheltering,
    travel,
    webhooking,
)
from puente_gateway.access import RecordAccess
from puente_gateway.live import Entry, Hub, Outcome, Outcomes
from puente_gateway.tables import FamilyView, TimelineEntry

STAGES: Mapping[type[Event], str] = {
    Registered: "REGISTERED",
    RegistrationRejected: "REJECTED",
    Waitlisted: "WAITING",
    Scheduled: "SCHEDULED",
    Rescheduled: "SCHEDULED",
    ScheduleCancelled: "WAITING",
    TransportBooked: "TRANSPORT_BOOKED",
    ArrivedAtPort: "ARRIVED",
    Processed: "PROCESSED",
    Released: "RELEASED",
}
# Events of different topics may arrive out of order; a stage only moves forward, except
# that a rescheduled appointment really does send the family back to SCHEDULED.
_RANK = {
    "REJECTED": 1,
    "REGISTERED": 1,
    "WAITING": 2,  # in line with no appointment: for a day, its phase or a new site
    "SCHEDULED": 2,
    "TRANSPORT_BOOKED": 3,
    "ARRIVED": 4,
    "PROCESSED": 5,
    "RELEASED": 6,
}


# The step each event records follows another: an event that arrives before the event of its
# preceding step (they travel on different topics) waits, so timelines and live feeds keep the
# order of the journey. Events that follow one of their own topic (a departure, a cancelled
# booking, a confirmed arrival) need no rule: the runtime keeps each topic's order, parked
# messages included.
_FOLLOWS: Mapping[type[Event], str] = {
    Waitlisted: "REGISTERED",
    AppointmentEstimated: "REGISTERED",
    Scheduled: "REGISTERED",
    Rescheduled: "REGISTERED",
    ScheduleCancelled: "REGISTERED",
    TransportBooked: "SCHEDULED",
    TransportFailed: "SCHEDULED",
    ArrivedAtPort: "TRANSPORT_BOOKED",
    DocumentsPrepared: "REGISTERED",
    CourtAssigned: "REGISTERED",
    AttorneyAccessDecided: "REGISTERED",
    ShelterAssigned: "SCHEDULED",
    ShelterAssignmentWithdrawn: "REGISTERED",
    CheckedIn: "ARRIVED",
    ProcessingOverdue: "ARRIVED",
    Processed: "ARRIVED",
    Released: "PROCESSED",
}
# A transport that failed or a booking given back leaves the family with its appointment and
# no transport: back to SCHEDULED until the next booking.
_UNBOOKED = (TransportFailed, BookingCancelled)


def project(
    event: Event, ctx: Context, *, hub: Hub, outcomes: Outcomes
) -> list[DeliverWebhookEvent]:
    family_unit_id = getattr(event, "family_unit_id", None)
    # A refused command changes nothing, not even a family it names that does not exist.
    if family_unit_id is not None and not isinstance(event, CommandRejected):
        _wait_for_preceding_step(ctx.session, family_unit_id, event)
        _update_view(ctx.session, family_unit_id, event, ctx)
    for area in (records, queueing, travel, ports, sheltering, webhooking, notices, compliance):
        area.apply(event, ctx)
    row = TimelineEntry(
        event_id=ctx.envelope.id,
        family_unit_id=family_unit_id,
        type=short_type(ctx.envelope.type),
        occurred_at=ctx.envelope.time,
        data=event.model_dump(mode="json"),
        source=ctx.envelope.source.removeprefix("/puente/"),
        causation_id=ctx.envelope.causation_id,
        trace_id=trace_id_of(dict(ctx.headers)),
        published_at=_published_at(ctx.headers),
        applied_at=ctx.clock.now(),
    )
    ctx.session.add(row)
    ctx.session.flush()
    # To webhooks, by who follows the family now that the event is projected (webhooking.py).
    deliveries = []
    if family_unit_id is not None:
        deliveries = family_hooks.family_deliveries(
            ctx.session, ctx.envelope, family_unit_id, row.data
        )
    # Who follows the family, read once here for every live subscriber (access.py).
    access = None
    if family_unit_id is not None and hub.listening:
        access = records.access(ctx.session, family_unit_id)
    entry = _entry(row, access)
    outcome = Outcome(type=entry.type, data=row.data)
    ctx.after_commit.append(functools.partial(hub.publish, entry))
    ctx.after_commit.append(
        functools.partial(outcomes.settle, ctx.envelope.correlation_id, outcome)
    )
    return deliveries


def _published_at(headers: Mapping[str, str]) -> dt.datetime | None:
    """When the producer's relay published it (a header the relay adds; absent before)."""
    published = headers.get(PUBLISHED_AT)
    try:
        return dt.datetime.fromisoformat(published) if published else None
    except ValueError:
        return None  # a producer outside Puente's runtime: the flow shows no publish time


def _preceding(session: Session, family_unit_id: str, event: Event) -> str | None:
    if isinstance(event, Processed):
        record = records.record(session, family_unit_id)
        if record is not None and record.inside_us:
            return "REGISTERED"  # already in the US: processed where it lives, no port
    return _FOLLOWS.get(type(event))


def _wait_for_preceding_step(session: Session, family_unit_id: str, event: Event) -> None:
    preceding = _preceding(session, family_unit_id, event)
    view = session.get(FamilyView, family_unit_id)
    reached = _RANK.get(view.stage, 0) if view else 0
    if preceding and reached < _RANK[preceding]:
        raise NotYet(f"{type(event).__name__} before {preceding} for {family_unit_id}")


def _update_view(session: Session, family_unit_id: str, event: Event, ctx: Context) -> None:
    view = session.get(FamilyView, family_unit_id)
    stage = STAGES.get(type(event))
    if view is None:
        view = FamilyView(id=family_unit_id, stage=stage or "UNKNOWN", updated_at=ctx.clock.now())
    elif stage and (_moves_back(session, event) or _RANK[stage] >= _RANK.get(view.stage, 0)):
        view.stage = stage
    elif isinstance(event, _UNBOOKED) and view.stage == "TRANSPORT_BOOKED":
        view.stage = "SCHEDULED"
    if isinstance(event, Registered | RegistrationUpdated):
        view.members = [m.model_dump(mode="json") for m in event.members]
    if isinstance(event, Scheduled | Rescheduled):
        view.site, view.appointment_at = event.site, event.appointment_at
    if isinstance(event, ScheduleCancelled | Waitlisted):
        view.site, view.appointment_at = None, None
    view.updated_at = ctx.clock.now()
    session.add(view)


def _moves_back(session: Session, event: Event) -> bool:
    """A new appointment sends the family back to SCHEDULED, unless transport (another
    topic) already booked the family for that very appointment before it got here; a
    cancelled appointment, if it is the family's current one, sends it back to WAITING."""
    if isinstance(event, ScheduleCancelled):
        entry = queueing.entry(session, event.family_unit_id)  # not yet updated by this event
        return entry is not None and entry.appointment_id == event.appointment_id
    if not isinstance(event, Rescheduled):
        return False
    booked = travel.bookings_of(session, event.family_unit_id)
    return all(b.appointment_id != event.appointment_id for b in booked)


def handlers(*, hub: Hub, outcomes: Outcomes) -> dict[type[Event], HandlerFn]:
    """Every other service's events (the gateway's own, about organisations, it already
    knows: they hold contacts, which no family's timeline should carry)."""
    handler = functools.partial(project, hub=hub, outcomes=outcomes)
    return {model: handler for model in EVENTS if model.TOPIC != GATEWAY_EVENTS}


def family(session: Session, family_unit_id: str) -> FamilyView | None:
    return session.get(FamilyView, family_unit_id)


def timeline(session: Session, family_unit_id: str) -> Sequence[TimelineEntry]:
    query = select(TimelineEntry).where(TimelineEntry.family_unit_id == family_unit_id)
    return session.exec(query.order_by(col(TimelineEntry.cursor))).all()


def entries_after(
    session: Session, cursor: int, family_unit_id: str | None, *, limit: int
) -> list[Entry]:
    """The next `limit` entries after `cursor` (of one family, or all), in order, each with
    what decides who follows its family."""
    query = select(TimelineEntry).where(col(TimelineEntry.cursor) > cursor)
    if family_unit_id is not None:
        query = query.where(TimelineEntry.family_unit_id == family_unit_id)
    rows = session.exec(query.order_by(col(TimelineEntry.cursor)).limit(limit)).all()
    access = records.access_many(session, {r.family_unit_id for r in rows if r.family_unit_id})
    return [_entry(row, access.get(row.family_unit_id or "")) for row in rows]


def _entry(row: TimelineEntry, access: RecordAccess | None) -> Entry:
    assert row.cursor is not None
    return Entry(
        cursor=row.cursor,
        event_id=row.event_id,
        family_unit_id=row.family_unit_id,
        type=row.type,
        occurred_at=row.occurred_at,
        organisation_id=row.data.get("organisation_id"),
        data=row.data,
        access=access,
    )
