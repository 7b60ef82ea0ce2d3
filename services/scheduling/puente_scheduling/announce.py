"""What scheduling tells the others about a change, as events."""

from __future__ import annotations

from puente_schemas.common import Location
from puente_schemas.events import (
    AppointmentEstimated,
    Event,
    QueuePlace,
    Rescheduled,
    ScheduleCancelled,
    Scheduled,
    SiteUpdated,
    Waitlisted,
)
from puente_schemas.events import Site as SiteContract
from puente_schemas.places import city

from puente_scheduling.domain import Changes, Family, FamilyChange, Notice, Site


def events(changes: Changes) -> list[Event]:
    """Sites first (a family's move may follow from a site's change), then families."""
    sites: list[Event] = [site_event(site, why) for site, why in changes.sites]
    return sites + [e for change in changes.families for e in family_events(change)]


def family_events(change: FamilyChange) -> list[Event]:
    return [_event(change, notice) for notice in change.notices()]


def _event(change: FamilyChange, notice: Notice) -> Event:
    family, reason = change.family, change.reason
    if notice is Notice.CANCELLED:
        assert change.before.appointment is not None
        return ScheduleCancelled(
            family_unit_id=family.id,
            appointment_id=change.before.appointment.id,
            reason=reason or "appointment cancelled",
        )
    if notice is Notice.ESTIMATED:
        return AppointmentEstimated(
            family_unit_id=family.id, site=family.site, estimated_date=family.estimate
        )
    if notice in (Notice.WAITLISTED, Notice.HELD):
        return Waitlisted(
            family_unit_id=family.id,
            site=family.site if notice is Notice.WAITLISTED else None,
            people=family.people,
            eligible=notice is Notice.WAITLISTED,
            place=place_of(family),
            reason="; ".join(filter(None, [reason, _why_waiting(family, notice)])),
            estimated_date=family.estimate,
        )
    appointment = family.appointment
    assert appointment is not None
    facts = {
        "family_unit_id": family.id,
        "appointment_id": appointment.id,
        "site": appointment.site,
        "appointment_at": appointment.at,
        "people": appointment.people,
        "origin": Location(city=family.city, country=family.country),
        "place": place_of(family),
        "decided_at": appointment.decided_at,
    }
    if notice is Notice.RESCHEDULED:
        return Rescheduled(**facts, reason=reason or "rescheduled")
    return Scheduled(**facts)


def place_of(family: Family) -> QueuePlace:
    return QueuePlace(
        earliest_enrollment=family.earliest_enrollment,
        registered_at=family.registered_at,
        expedite_granted_at=family.expedite_granted_at,
        queued_at=family.queued_at,
    )


def _why_waiting(family: Family, notice: Notice) -> str:
    if notice is Notice.HELD:
        return "no member's case category is eligible in the current phase"
    if family.site is None and city(family.city) is None:
        return (
            f"no transport from {family.city}, {family.country}: routes start in the Mexican "
            "cities Puente serves; the family joins a line when its location is updated to one"
        )
    if family.site is None:
        return f"no open site can take a family of {family.people}"
    return "waits in line: no day with room inside the booking horizon yet"


def site_event(site: Site, reason: str) -> SiteUpdated:
    return SiteUpdated(
        site=SiteContract(
            id=site.id,
            name=site.name,
            kind=site.kind,
            latitude=site.latitude,
            longitude=site.longitude,
            capacity_per_day=site.capacity_per_day,
            open_weekdays=sorted(site.open_weekdays),
            open=site.open,
        ),
        reason=reason,
    )
