"""Processing's message handlers: find the case, let the use case decide, answer.

An event about a family processing has not heard of yet waits for it (NotYet); a command about
one is refused, naming the field.
"""

from __future__ import annotations

from puente_runtime import Context, Handlers, NotYet
from puente_schemas.commands import (
    CompleteProcessing,
    ConfirmShelterArrival,
    ReleaseFamily,
    RequestAttorneyAccess,
    UpdateShelterCapacity,
)
from puente_schemas.common import Channel, FieldError
from puente_schemas.events import (
    ArrivedAtPort,
    AttorneyAccessDecided,
    Event,
    Registered,
    RegistrationUpdated,
    Rescheduled,
    ScheduleCancelled,
    Scheduled,
    ShelterArrivalConfirmed,
)

from puente_processing import cases, store
from puente_processing.domain import shelters, steps
from puente_processing.outcome import Outcome, rejected
from puente_processing.tables import AttorneyRequestRow, BedHoldRow, CaseFileRow, ShelterRow

NO_CASE = [FieldError(field="family_unit_id", message="no case file for this family")]


def open_case_file(event: Registered, ctx: Context) -> list[Event]:
    if ctx.session.get(CaseFileRow, event.family_unit_id) is not None:
        return []
    attorney = event.organisation_id if event.channel == Channel.ATTORNEY else None
    case = CaseFileRow(
        family_unit_id=event.family_unit_id,
        members=store.dump_members(event.members),
        channel=event.channel,
        attorney_of_record=attorney,
        city=event.current_location.city,
        country=event.current_location.country,
    )
    ctx.session.add(case)
    out = Outcome()
    cases.start_in_us(ctx.session, case, ctx.clock.now(), out)
    return out.finish(ctx.session)


def update_case_file(event: RegistrationUpdated, ctx: Context) -> list[Event]:
    case = _waited_for(ctx, event.family_unit_id)
    if case.step == steps.RELEASED:
        return []
    return cases.update(
        ctx.session, case, event.members, event.current_location, now=ctx.clock.now()
    )


def schedule(event: Scheduled | Rescheduled, ctx: Context) -> list[Event]:
    """Documents start, beds are held and a court is chosen; a move changes what it must.
    A family inside the US, or already at the port, keeps its course."""
    case = _waited_for(ctx, event.family_unit_id)
    if case.in_us or case.step not in (steps.REGISTERED, steps.SCHEDULED):
        return []
    if (case.appointment_id, case.site, case.appointment_at) == (
        event.appointment_id,
        event.site,
        event.appointment_at,
    ):
        return []
    return cases.schedule(
        ctx.session,
        case,
        appointment_id=event.appointment_id,
        site=event.site,
        at=event.appointment_at,
        now=ctx.clock.now(),
    )


def cancel(event: ScheduleCancelled, ctx: Context) -> list[Event]:
    case = _waited_for(ctx, event.family_unit_id)
    if case.step != steps.SCHEDULED or case.appointment_id != event.appointment_id:
        return []  # an older appointment, or the family is already at the port
    return cases.cancel(ctx.session, case, ctx.clock.now())


def check_in(event: ArrivedAtPort, ctx: Context) -> list[Event]:
    case = _waited_for(ctx, event.family_unit_id)
    if case.step in (*steps.IN_PROCESSING, steps.RELEASED):
        return []  # the same arrival reported twice
    reason = steps.arrival_wait(step=case.step, scheduled_site=case.site, site=event.site)
    if reason:
        raise NotYet(reason)
    return cases.check_in(ctx.session, case, site=event.site, at=event.arrived_at)


def complete_processing(command: CompleteProcessing, ctx: Context) -> list[Event]:
    case = ctx.session.get(CaseFileRow, command.family_unit_id)
    if case is None:
        return rejected(command.TYPE, command.family_unit_id, NO_CASE)
    return cases.complete(ctx.session, case, command=command.TYPE, now=ctx.clock.now())


def release(command: ReleaseFamily, ctx: Context) -> list[Event]:
    case = ctx.session.get(CaseFileRow, command.family_unit_id)
    if case is None:
        return rejected(command.TYPE, command.family_unit_id, NO_CASE)
    return cases.release(
        ctx.session, case, command=command.TYPE, sponsor=command.destination, now=ctx.clock.now()
    )


def request_attorney_access(command: RequestAttorneyAccess, ctx: Context) -> list[Event]:
    if ctx.session.get(AttorneyRequestRow, command.request_id) is not None:
        return []  # already decided
    case = ctx.session.get(CaseFileRow, command.family_unit_id)
    if case is None:
        return rejected(command.TYPE, command.family_unit_id, NO_CASE)
    granted, reason = steps.attorney_access(
        attorney_of_record=case.attorney_of_record,
        organisation=command.attorney_organisation_id,
        step=case.step,
    )
    ctx.session.add(
        AttorneyRequestRow(
            **command.model_dump(), granted=granted, reason=reason, decided_at=ctx.clock.now()
        )
    )
    return [AttorneyAccessDecided(**command.model_dump(), granted=granted, reason=reason)]


def update_shelter_capacity(command: UpdateShelterCapacity, ctx: Context) -> list[Event]:
    row = ctx.session.get(ShelterRow, command.shelter_id)
    errors = steps.capacity_errors(known=row is not None, beds=command.beds)
    if errors or row is None:
        return rejected(command.TYPE, None, errors)
    row.beds = command.beds
    ctx.session.add(row)
    return [store.shelter_updated(ctx.session, row.id)]


def confirm_shelter_arrival(command: ConfirmShelterArrival, ctx: Context) -> list[Event]:
    case = ctx.session.get(CaseFileRow, command.family_unit_id)
    if case is None:
        return rejected(command.TYPE, command.family_unit_id, NO_CASE)
    hold = ctx.session.get(BedHoldRow, command.family_unit_id)
    errors = steps.shelter_arrival_errors(
        step=case.step,
        expected_at=hold.shelter_id if hold else None,
        shelter_id=command.shelter_id,
        known=ctx.session.get(ShelterRow, command.shelter_id) is not None,
        confirmed=hold is not None and hold.arrived_at is not None,
    )
    if errors or hold is None or case.released_at is None:
        return rejected(command.TYPE, command.family_unit_id, errors)
    now = ctx.clock.now()
    hold.arrived_at = now
    hold.ends_at = shelters.stay_ends(arrived_at=now, released_at=case.released_at)
    ctx.session.add(hold)
    return [ShelterArrivalConfirmed(**command.model_dump(), confirmed_at=now)]


def _waited_for(ctx: Context, family_unit_id: str) -> CaseFileRow:
    case = ctx.session.get(CaseFileRow, family_unit_id)
    if case is None:  # `registered` travels on another topic and is behind
        raise NotYet(f"no case file yet for family unit {family_unit_id}")
    return case


HANDLERS: Handlers = {
    Registered: open_case_file,
    RegistrationUpdated: update_case_file,
    Scheduled: schedule,
    Rescheduled: schedule,
    ScheduleCancelled: cancel,
    ArrivedAtPort: check_in,
    CompleteProcessing: complete_processing,
    ReleaseFamily: release,
    RequestAttorneyAccess: request_attorney_access,
    UpdateShelterCapacity: update_shelter_capacity,
    ConfirmShelterArrival: confirm_shelter_arrival,
}
