"""Processing's use cases, one per step of a family: a domain decision, the state it changes,
and the events that tell the others. The message handlers and the clock-driven work share them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from puente_schemas.common import Location, Member
from puente_schemas.events import (
    CheckedIn,
    Event,
    PreparedDocument,
    Processed,
    ProcessingOverdue,
    Released,
)
from puente_schemas.places import Place
from sqlmodel import Session, col, delete

from puente_processing import store
from puente_processing.domain import (
    cities,
    courts,
    needs,
    release_notice,
    shelters,
    steps,
    targets,
)
from puente_processing.domain import documents as docs
from puente_processing.outcome import Outcome, rejected
from puente_processing.placement import assign_court, place_family, release_hold, site_place
from puente_processing.tables import BedHoldRow, CaseFileRow, DocumentRow

# The `site` of a family already inside the US: processed where it lives, at no port.
INSIDE_US = "inside-us"


def home(case: CaseFileRow) -> str:
    return f"home in {case.city}"


def prepare_documents(session: Session, case: CaseFileRow, now: dt.datetime, out: Outcome) -> None:
    """Start every document the family's members need and do not have yet; forget those of
    anyone no longer in the family."""
    people = store.members(case)
    gone = session.exec(
        delete(DocumentRow).where(
            col(DocumentRow.family_unit_id) == case.family_unit_id,
            col(DocumentRow.member_id).not_in([m.member_id for m in people]),
        )
    ).rowcount
    have = {(d.member_id, d.kind) for d in store.documents(session, case.family_unit_id)}
    court_known = not case.in_us or case.court is not None
    new = [
        d
        for d in docs.prepare(people, since=now, in_us=case.in_us, court_known=court_known)
        if (d.member_id, d.kind) not in have
    ]
    if case.step in steps.IN_PROCESSING:
        new = docs.finish_at_port(new, checked_in_at=now)
    if store.save_documents(session, case.family_unit_id, new) or gone:
        current = store.documents(session, case.family_unit_id)
        out.events.append(store.documents_prepared(case.family_unit_id, current))


def documents_now(
    session: Session, family_unit_id: str, now: dt.datetime, out: Outcome
) -> list[docs.Document]:
    """The family's documents as they stand at `now`, stored, with an event for each moment
    at which some came ready."""
    current = store.documents(session, family_unit_id)
    for state in docs.progress(current, now):
        out.events.append(store.documents_prepared(family_unit_id, state))
        current = state
    store.save_documents(session, family_unit_id, current)
    return current


def schedule(
    session: Session,
    case: CaseFileRow,
    *,
    appointment_id: str,
    site: str,
    at: dt.datetime,
    now: dt.datetime,
) -> list[Event]:
    out = Outcome()
    case.step, case.appointment_id, case.site, case.appointment_at = (
        steps.SCHEDULED,
        appointment_id,
        site,
        at,
    )
    place_family(session, case, now, out)
    prepare_documents(session, case, now, out)
    session.add(case)
    return out.finish(session)


def cancel(session: Session, case: CaseFileRow, now: dt.datetime) -> list[Event]:
    out = Outcome()
    case.step, case.appointment_id, case.site, case.appointment_at = (
        steps.REGISTERED,
        None,
        None,
        None,
    )
    hold = session.get(BedHoldRow, case.family_unit_id)
    if hold is not None:
        release_hold(session, hold, out, withdrawn="appointment cancelled")
    start_in_us(session, case, now, out)
    session.add(case)
    return out.finish(session)


def start_in_us(session: Session, case: CaseFileRow, now: dt.datetime, out: Outcome) -> None:
    """A family already inside the US: no appointment, no transport; its case goes to the
    court nearest where it lives, and its documents are prepared from now."""
    if case.country != "US" or case.in_us or case.step != steps.REGISTERED:
        return
    case.in_us = True
    place = cities.find_city(case.city)
    assign_court(session, case, destination=home(case), place=place, now=now, out=out)
    prepare_documents(session, case, now, out)
    session.add(case)


def update(
    session: Session,
    case: CaseFileRow,
    members: Sequence[Member],
    location: Location,
    *,
    now: dt.datetime,
) -> list[Event]:
    """New members need documents (and maybe other beds); a family inside the US that moved
    goes to the court nearest its new home; one that has just reached the US starts that path."""
    out = Outcome()
    moved = (case.city, case.country) != (location.city, location.country)
    case.members = store.dump_members(members)
    case.city, case.country = location.city, location.country
    if case.in_us and moved:
        place = cities.find_city(case.city)
        assign_court(session, case, destination=home(case), place=place, now=now, out=out)
    start_in_us(session, case, now, out)
    if case.step in (steps.SCHEDULED, *steps.IN_PROCESSING):
        place_family(session, case, now, out)
    if case.in_us or case.step != steps.REGISTERED:
        prepare_documents(session, case, now, out)
    session.add(case)
    return out.finish(session)


def check_in(session: Session, case: CaseFileRow, *, site: str, at: dt.datetime) -> list[Event]:
    """The family is at the port: what is still pending is finished there."""
    case.step, case.checked_in_at = steps.CHECKED_IN, at
    session.add(case)
    finished = docs.finish_at_port(store.documents(session, case.family_unit_id), checked_in_at=at)
    store.save_documents(session, case.family_unit_id, finished)
    return [CheckedIn(family_unit_id=case.family_unit_id, site=site, checked_in_at=at)]


def complete(session: Session, case: CaseFileRow, *, command: str, now: dt.datetime) -> list[Event]:
    current = docs.come_due(store.documents(session, case.family_unit_id), now)
    errors = steps.completion_errors(case.step, current)
    if errors:
        return rejected(command, case.family_unit_id, errors)
    out = Outcome()
    processed(session, case, now, out)
    return out.finish(session)


def overdue(session: Session, case: CaseFileRow, now: dt.datetime) -> ProcessingOverdue | None:
    """The one overdue rule: a processing past its site's target is reported, once (by the
    clock while it runs, or when it ends if it ended between two ticks)."""
    site, checked_in_at = case.site or "", case.checked_in_at
    if case.overdue_reported or checked_in_at is None:
        return None
    if not targets.overdue(site, checked_in_at, now):
        return None
    case.overdue_reported = True
    session.add(case)
    return ProcessingOverdue(
        family_unit_id=case.family_unit_id,
        site=site,
        checked_in_at=checked_in_at,
        target_hours=targets.target_hours(site),
    )


def processed(session: Session, case: CaseFileRow, now: dt.datetime, out: Outcome) -> None:
    current = documents_now(session, case.family_unit_id, now, out)
    late = overdue(session, case, now)
    if late is not None:
        out.events.append(late)
    case.step, case.processed_at = steps.PROCESSED, now
    session.add(case)
    out.events.append(
        Processed(
            family_unit_id=case.family_unit_id,
            site=case.site or INSIDE_US,
            processed_at=now,
            documents=[PreparedDocument(member_id=d.member_id, kind=d.kind) for d in current],
        )
    )


def release(
    session: Session, case: CaseFileRow, *, command: str, sponsor: str | None, now: dt.datetime
) -> list[Event]:
    current = docs.come_due(store.documents(session, case.family_unit_id), now)
    errors = steps.release_errors(case.step, current)
    if errors:
        return rejected(command, case.family_unit_id, errors)
    out = Outcome()
    documents_now(session, case.family_unit_id, now, out)
    destination, place, shelter_id = _destination(session, case, sponsor, now, out)
    released(session, case, destination, place, shelter_id, now, out)
    return out.finish(session)


def _destination(
    session: Session, case: CaseFileRow, sponsor: str | None, now: dt.datetime, out: Outcome
) -> tuple[str, Place | None, str | None]:
    """A sponsor's address when the officer gives one (the shelter's beds go back), else the
    shelter holding beds for the family; a sponsor in no known city has no place."""
    hold = session.get(BedHoldRow, case.family_unit_id)
    if sponsor:
        if hold is not None:
            release_hold(session, hold, out)
        return sponsor, cities.find_city(sponsor), None
    if hold is None:
        near = site_place(case.site)
        return (
            f"no shelter bed held: arrangements at {near.name if near else case.site}",
            None,
            None,
        )
    hold.ends_at = shelters.stay_ends(arrived_at=hold.arrived_at, released_at=now)
    session.add(hold)
    chosen = store.shelter(session, hold.shelter_id)
    assert chosen is not None
    return chosen.name, chosen.place, chosen.id


def released(
    session: Session,
    case: CaseFileRow,
    destination: str,
    place: Place | None,
    shelter_id: str | None,
    now: dt.datetime,
    out: Outcome,
) -> None:
    """Released on parole, the court nearest the destination (or the release site), and what
    comes after release in the family's language."""
    origin = site_place(case.site) if not case.in_us else cities.find_city(case.city)
    fallback = place or origin
    assign_court(session, case, destination=destination, place=fallback, now=now, out=out)
    court = courts.COURTS_BY_ID[case.court] if case.court else None
    people = store.members(case)
    notice = release_notice.after_release(
        release_notice.family_language(people), court.name if court else "-"
    )
    from_city = origin.name if origin else case.city
    trip = needs.onward_travel(
        people, from_city=from_city, to_city=place.name if place else None, on=now.date()
    )
    case.step, case.released_at, case.destination = steps.RELEASED, now, destination
    session.add(case)
    out.events.append(
        Released(
            family_unit_id=case.family_unit_id,
            site=case.site or INSIDE_US,
            released_at=now,
            destination=destination,
            shelter_id=shelter_id,
            court=court.name if court else None,
            onward_travel=needs.in_english(trip),
            onward_travel_items=trip,
            after_release=notice.text,
            language=notice.language,
        )
    )


def release_in_us(session: Session, case: CaseFileRow, now: dt.datetime) -> list[Event]:
    """A family inside the US is processed and released as soon as its court is known and
    every document is ready (the same rule as at the port)."""
    current = docs.come_due(store.documents(session, case.family_unit_id), now)
    if case.court is None or steps.not_ready(current):
        return []
    out = Outcome()
    processed(session, case, now, out)
    released(session, case, home(case), cities.find_city(case.city), None, now, out)
    return out.finish(session)
