"""Where a family goes: beds held at the shelter nearest its site, and the court nearest its
destination. Used when a family is scheduled, moved, grows, waits for beds, or is released."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from puente_schemas.common import Member
from puente_schemas.events import CourtAssigned, ShelterAssigned, ShelterAssignmentWithdrawn
from puente_schemas.places import SITE_PLACES, Place
from sqlmodel import Session

from puente_processing import store
from puente_processing.domain import courts, needs, shelters
from puente_processing.domain import documents as docs
from puente_processing.domain.targets import target_hours
from puente_processing.outcome import Outcome
from puente_processing.tables import BedHoldRow, CaseFileRow


def site_place(site: str | None) -> Place | None:
    return SITE_PLACES.get(site) if site else None


def assign_court(
    session: Session,
    case: CaseFileRow,
    *,
    destination: str,
    place: Place | None,
    now: dt.datetime,
    out: Outcome,
) -> None:
    """The case goes to the court nearest the destination; nothing when it has no place."""
    if place is None:
        return
    court = courts.nearest_court(place)
    if court.id == case.court:
        return
    waited = case.court is None
    case.court = court.id
    out.events.append(
        CourtAssigned(family_unit_id=case.family_unit_id, court=court.name, destination=destination)
    )
    if waited:
        found = docs.court_found(store.documents(session, case.family_unit_id), since=now)
        store.save_documents(session, case.family_unit_id, found)


def release_hold(
    session: Session, hold: BedHoldRow, out: Outcome, *, withdrawn: str | None = None
) -> None:
    """Give the beds back; `withdrawn` says why the shelter no longer expects the family."""
    session.delete(hold)
    out.shelters.add(hold.shelter_id)
    if withdrawn is not None:
        out.events.append(
            ShelterAssignmentWithdrawn(
                family_unit_id=hold.family_unit_id, shelter_id=hold.shelter_id, reason=withdrawn
            )
        )


def place_family(session: Session, case: CaseFileRow, now: dt.datetime, out: Outcome) -> None:
    """Beds for the whole family at the shelter nearest its site, and the court nearest that
    shelter. A moved appointment moves the expected time; a new site or family size looks for
    the nearest shelter again."""
    people = store.members(case)
    near = site_place(case.site)
    if near is None or case.appointment_at is None:
        return
    expected_at = case.appointment_at + dt.timedelta(hours=target_hours(case.site or ""))
    hold = session.get(BedHoldRow, case.family_unit_id)
    if hold is not None and (hold.site, hold.people) == (case.site, len(people)):
        if hold.expected_at != expected_at:
            hold.expected_at = expected_at
            session.add(hold)
            out.events.append(shelter_assigned(hold, people))
    else:
        if hold is not None:
            release_hold(session, hold, out)
        hold = hold_beds(session, case, people, expected_at, out)
    chosen = store.shelter(session, hold.shelter_id) if hold else None
    destination = chosen.name if chosen else f"{near.name} (no shelter bed yet)"
    place = chosen.place if chosen else near
    assign_court(session, case, destination=destination, place=place, now=now, out=out)


def hold_beds(
    session: Session,
    case: CaseFileRow,
    people: Sequence[Member],
    expected_at: dt.datetime,
    out: Outcome,
) -> BedHoldRow | None:
    near = site_place(case.site)
    assert near is not None and case.site is not None
    chosen = shelters.choose_shelter(store.shelters(session), near, len(people))
    if chosen is None:
        return None
    hold = BedHoldRow(
        family_unit_id=case.family_unit_id,
        shelter_id=chosen.id,
        site=case.site,
        people=len(people),
        expected_at=expected_at,
    )
    session.add(hold)
    out.shelters.add(chosen.id)
    out.events.append(shelter_assigned(hold, people))
    return hold


def shelter_assigned(hold: BedHoldRow, people: Sequence[Member]) -> ShelterAssigned:
    """What the shelter is told: size, languages and needs; never names or legal history."""
    wanted = needs.shelter_needs(people, hold.expected_at.date())
    return ShelterAssigned(
        family_unit_id=hold.family_unit_id,
        shelter_id=hold.shelter_id,
        site=hold.site,
        expected_at=hold.expected_at,
        people=hold.people,
        languages=needs.languages(people),
        needs_interpreter=any(m.needs_interpreter for m in people),
        needs=needs.in_english(wanted),
        need_items=wanted,
    )
