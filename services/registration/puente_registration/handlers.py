"""Registration's message handlers: decode, decide with the domain, store, answer.

An invalid command changes nothing and is answered by a rejection naming each bad field:
`RegistrationRejected` for a registration, `RegistrationCommandRejected` for the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pycountry
from puente_runtime import Context, Handlers
from puente_runtime.outbox import Contract
from puente_schemas.commands import (
    AddFamilyMember,
    Command,
    DecideExpedite,
    RecordCallback,
    RegisterFamily,
    RequestExpedite,
    UpdateLocation,
)
from puente_schemas.common import Channel, FieldError, Member
from puente_schemas.events import (
    CallbackMissed,
    CallbackRecorded,
    DuplicateFlagged,
    Event,
    ExpediteAwaitingSecondApproval,
    ExpediteDecided,
    ExpediteRequested,
    Registered,
    RegistrationCommandRejected,
    RegistrationRejected,
    RegistrationUpdated,
    Released,
)
from sqlmodel import Session

from puente_registration import callbacks, domain, duplicates, expedites, store
from puente_registration.tables import ExpediteRow, FamilyRow

COUNTRIES = frozenset(country.alpha_2 for country in pycountry.countries)
RELEASED = "released"


def register_family(command: RegisterFamily, ctx: Context) -> list[Event]:
    if ctx.session.get(FamilyRow, command.family_unit_id) is not None:
        return []  # the same command again: already decided
    if rejected := _rejection(command, ctx):
        return [rejected]
    registered = _registered(command, now=ctx.clock.now())
    store.add_family(ctx.session, registered)
    events: list[Event] = [
        registered,
        *_flag_duplicates(ctx.session, registered.family_unit_id, registered.members),
    ]
    store.add_members(ctx.session, registered.family_unit_id, registered.members)
    if command.channel is Channel.HOTLINE:
        events.append(store.book_callback(ctx.session, command.family_unit_id, now=ctx.clock.now()))
    return events


def _rejection(command: RegisterFamily, ctx: Context) -> RegistrationRejected | None:
    """Every error in the registration, with the family that holds a registered A-number."""
    a_numbers = [m.a_number for m in command.members if m.a_number]
    registered = store.registered_a_numbers(ctx.session, a_numbers)
    errors = domain.validate(
        command, today=ctx.clock.now().date(), countries=COUNTRIES, registered_a_numbers=registered
    )
    if not errors:
        return None
    return RegistrationRejected(
        family_unit_id=command.family_unit_id,
        errors=errors,
        existing_family_unit_id=next((registered[a] for a in a_numbers if a in registered), None),
        organisation_id=command.organisation_id,
    )


def _registered(command: RegisterFamily, *, now: dt.datetime) -> Registered:
    """The registration as decided: consent is recorded now, on the registration's channel."""
    return Registered(
        family_unit_id=command.family_unit_id,
        channel=command.channel,
        current_location=domain.location_of(command.current_location),
        members=domain.members_of(command),
        registered_at=now,
        registration_code_hash=command.registration_code_hash,
        organisation_id=command.organisation_id,
        consent=domain.consent_of(command),
        consent_recorded_at=now,
    )


def add_family_member(command: AddFamilyMember, ctx: Context) -> list[Event]:
    family, errors = _open_family(ctx.session, command.family_unit_id)
    members = store.members_of(ctx.session, command.family_unit_id) if family else []
    new = command.member
    errors += domain.member_errors("member", new, today=ctx.clock.now().date())
    if new.a_number and store.registered_a_numbers(ctx.session, [new.a_number]):
        errors.append(FieldError(field="member.a_number", message="is already registered"))
    elif len(members) >= domain.MAX_FAMILY_MEMBERS:
        errors.append(
            FieldError(
                field="member", message=f"a family has at most {domain.MAX_FAMILY_MEMBERS} members"
            )
        )
    elif any(domain.same_entry(new, member) for member in members):
        errors.append(
            FieldError(field="member", message="is already in this family (same name and birth)")
        )
    if family is None or errors:
        return [_rejected(command, errors)]
    member = domain.member_of(new)
    flags = _flag_duplicates(ctx.session, family.id, [member])
    store.add_members(ctx.session, family.id, [member])
    return [
        RegistrationUpdated(
            family_unit_id=family.id,
            current_location=store.location_of(family),
            members=[*members, member],
            reason="member added",
        ),
        *flags,
    ]


def update_location(command: UpdateLocation, ctx: Context) -> list[Event]:
    family, errors = _open_family(ctx.session, command.family_unit_id)
    errors += domain.location_errors("current_location", command.current_location, COUNTRIES)
    if family is None or errors:
        return [_rejected(command, errors)]
    location = domain.location_of(command.current_location)
    family.city, family.country = location.city, location.country
    ctx.session.add(family)
    return [
        RegistrationUpdated(
            family_unit_id=family.id,
            current_location=location,
            members=store.members_of(ctx.session, family.id),
            reason="location updated",
        )
    ]


def record_callback(command: RecordCallback, ctx: Context) -> list[Event]:
    callback = store.callback(ctx.session, command.callback_id)
    if callback is None or callback.family_unit_id != command.family_unit_id:
        return [_rejected(command, [_unknown("callback_id", "call-back")])]
    errors = callbacks.record_errors(
        status=callbacks.Status(callback.status),
        operator=command.operator,
        outcome=command.outcome,
    )
    if errors:
        return [_rejected(command, errors)]
    now = ctx.clock.now()
    outcome = callbacks.Outcome(command.outcome)
    callback.status = callbacks.Status.RECORDED
    callback.outcome, callback.made_by, callback.made_at = outcome, command.operator, now
    ctx.session.add(callback)
    events: list[Event] = [
        CallbackRecorded(
            callback_id=callback.id,
            family_unit_id=callback.family_unit_id,
            operator=command.operator,
            outcome=outcome,
            made_at=now,
        )
    ]
    if callbacks.calls_again(outcome, callback.unanswered_before):
        events.append(
            store.book_callback(
                ctx.session,
                callback.family_unit_id,
                now=now,
                rebooked_from=callback,
                unanswered_before=callback.unanswered_before + 1,
            )
        )
    return events


def request_expedite(command: RequestExpedite, ctx: Context) -> list[Event]:
    family, errors = _open_family(ctx.session, command.family_unit_id)
    errors += expedites.request_errors(command)
    if ctx.session.get(ExpediteRow, command.request_id) is not None:
        errors.append(FieldError(field="request_id", message="is already used by a request"))
    if family is not None:
        errors += _expedite_conflicts(ctx.session, family.id)
    if family is None or errors:
        return [_rejected(command, errors)]
    now = ctx.clock.now()
    requested_by = command.organisation_id.strip()
    ctx.session.add(
        ExpediteRow(
            id=command.request_id,
            family_unit_id=family.id,
            criterion=command.criterion,
            note=command.note.strip(),
            requested_by=requested_by,
            requested_at=now,
        )
    )
    return [
        ExpediteRequested(
            request_id=command.request_id,
            family_unit_id=family.id,
            criterion=command.criterion,
            note=command.note.strip(),
            requested_by=requested_by,
            requested_at=now,
        )
    ]


def decide_expedite(command: DecideExpedite, ctx: Context) -> list[Event]:
    row = ctx.session.get(ExpediteRow, command.request_id)
    if row is None or row.family_unit_id != command.family_unit_id:
        return [_rejected(command, [_unknown("request_id", "expedite request")])]
    request = expedites.Request(
        requested_by=row.requested_by,
        status=expedites.Status(row.status),
        approved_by=tuple(row.approved_by),
    )
    decision = expedites.decide(request, command)
    if isinstance(decision, list):
        return [_rejected(command, decision)]
    now = ctx.clock.now()
    row.status = decision.status
    row.reasons = [*row.reasons, command.reason.strip()]
    if command.granted:
        row.approved_by = list(decision.decided_by)
    if decision.final:
        row.decided_at = now
    ctx.session.add(row)
    if not decision.final:
        return [
            ExpediteAwaitingSecondApproval(
                request_id=row.id,
                family_unit_id=row.family_unit_id,
                approved_by=decision.decided_by[0],
            )
        ]
    return [_decided(row, decision, reason=command.reason.strip(), now=now)]


def _decided(
    row: ExpediteRow, decision: expedites.Decision, *, reason: str, now: dt.datetime
) -> ExpediteDecided:
    """A grant gives every approver's reason, in order; a denial its own."""
    granted = decision.status is expedites.Status.GRANTED
    return ExpediteDecided(
        family_unit_id=row.family_unit_id,
        criterion=row.criterion,
        granted=granted,
        reason="; ".join(row.reasons) if granted else reason,
        request_id=row.id,
        decided_by=list(decision.decided_by),
        decided_at=now,
    )


def mark_released(event: Released, ctx: Context) -> list[Event]:
    """The family's registration is closed: nobody calls it back any more."""
    family = ctx.session.get(FamilyRow, event.family_unit_id)
    if family is not None:
        family.status = RELEASED
        ctx.session.add(family)
        for callback in store.booked_callbacks(ctx.session, family.id):
            callback.status = callbacks.Status.CANCELLED
            ctx.session.add(callback)
    return []


def missed_callbacks(session: Session, now: dt.datetime) -> list[Contract]:
    """Clock-driven: each call-back not recorded by its time (and grace) is missed and
    rebooked ahead of new call-backs; state and events commit together."""
    events: list[Contract] = []
    for callback in store.overdue_callbacks(session, now=now):
        callback.status = callbacks.Status.MISSED
        session.add(callback)
        events.append(
            CallbackMissed(
                callback_id=callback.id,
                family_unit_id=callback.family_unit_id,
                operator=callback.operator,
                due_at=callback.due_at,
            )
        )
        events.append(
            store.book_callback(
                session,
                callback.family_unit_id,
                now=now,
                rebooked_from=callback,
                unanswered_before=callback.unanswered_before,
            )
        )
    return events


def _flag_duplicates(
    session: Session, family_unit_id: str, members: Sequence[Member]
) -> list[DuplicateFlagged]:
    """A flag per member who may already be registered in another family; never a merge."""
    others = store.born_on(session, {m.birth_date for m in members})
    flags = []
    for member in members:
        person = duplicates.Person(
            family_unit_id, member.given_name, member.family_name, member.birth_date
        )
        if found := duplicates.candidates(person, others):
            flags.append(
                DuplicateFlagged(
                    family_unit_id=family_unit_id,
                    member_id=member.member_id,
                    candidate_family_unit_ids=found,
                    reason="same birth date and a similar name",
                )
            )
    return flags


def _open_family(
    session: Session, family_unit_id: str
) -> tuple[FamilyRow | None, list[FieldError]]:
    family = session.get(FamilyRow, family_unit_id)
    if family is None:
        return None, [_unknown("family_unit_id", "family unit")]
    if family.status == RELEASED:
        return None, [
            FieldError(field="family_unit_id", message="was released: its registration is closed")
        ]
    return family, []


def _expedite_conflicts(session: Session, family_unit_id: str) -> list[FieldError]:
    """One expedite at a time: none while another is open, none after a grant."""
    rows = store.expedites_of(session, family_unit_id)
    if any(row.status == expedites.Status.GRANTED for row in rows):
        return [FieldError(field="family_unit_id", message="already has a granted expedite")]
    if any(row.status in expedites.OPEN for row in rows):
        return [FieldError(field="family_unit_id", message="already has an open expedite request")]
    return []


def _unknown(field: str, what: str) -> FieldError:
    return FieldError(field=field, message=f"unknown {what}")


def _rejected(command: Command, errors: list[FieldError]) -> RegistrationCommandRejected:
    return RegistrationCommandRejected(
        command=command.TYPE,
        family_unit_id=getattr(command, "family_unit_id", None),
        errors=errors,
    )


HANDLERS: Handlers = {
    RegisterFamily: register_family,
    AddFamilyMember: add_family_member,
    UpdateLocation: update_location,
    RecordCallback: record_callback,
    RequestExpedite: request_expedite,
    DecideExpedite: decide_expedite,
    Released: mark_released,
}
