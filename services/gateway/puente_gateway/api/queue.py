"""The fair queue, in the open: sites, place in line with an estimated date, the fairness
audit anyone can run, and per-site aggregates for analysts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Annotated

import strawberry
from puente_schemas import fairness
from puente_schemas.places import SITE_PLACES
from sqlmodel import Session, select
from strawberry.extensions import FieldExtension
from strawberry.types import Info

from puente_gateway import positions, queueing, records
from puente_gateway.access import RecordAccess
from puente_gateway.api.families import Appointment, require_follow
from puente_gateway.api.permissions import MaySeeRecord, Needs, engine, guarded
from puente_gateway.roles import CASE_ROLES
from puente_gateway.standing import Standing
from puente_gateway.tables import QueueEntry

StandingEnum = strawberry.enum(Standing, name="Standing")


@strawberry.type
class Site:
    id: strawberry.ID
    name: str
    kind: str = strawberry.field(description="`port` of entry or US `consulate`.")
    latitude: float
    longitude: float
    capacity_per_day: int = strawberry.field(description="People processed per open day.")
    open_weekdays: list[int] = strawberry.field(description="Monday is 0, Sunday is 6.")
    open: bool
    reason: str
    updated_at: dt.datetime


def sites(info: Info) -> list[Site]:
    with Session(engine(info)) as session:
        return [
            Site(
                id=strawberry.ID(row.id),
                name=row.name,
                kind=row.kind,
                latitude=row.latitude,
                longitude=row.longitude,
                capacity_per_day=row.capacity_per_day,
                open_weekdays=list(row.open_weekdays),
                open=row.open,
                reason=row.reason,
                updated_at=row.updated_at,
            )
            for row in queueing.sites(session)
        ]


@strawberry.type
class QueuePosition:
    family_unit_id: strawberry.ID
    standing: StandingEnum  # type: ignore[valid-type]
    place: int | None = strawberry.field(
        description="Place in line at its site: the eligible families waiting there ahead of "
        "it in key order (granted expedites by grant time, then earliest MPP enrollment, then "
        "registration time), plus one. Null unless waiting at a site."
    )
    site: str | None
    estimated_date: dt.date | None = strawberry.field(
        description="An ESTIMATE, not a booking: the first day the family would fit if every "
        "family ahead were booked first, from the site's last booked day on, at its capacity "
        "per day and open weekdays, never sooner than the minimum notice. Cancellations, "
        "expedites, closures and capacity changes move it. Null when the site is closed or "
        "cannot take the family."
    )
    appointment: Appointment | None


def queue_position(info: Info, family_unit_id: strawberry.ID) -> QueuePosition | None:
    require_follow(info, family_unit_id)
    with Session(engine(info)) as session:
        status = positions.status_of(session, family_unit_id)
    if status is None:
        return None
    appointment = None
    if status.appointment_at is not None and status.site is not None:
        appointment = Appointment(site=status.site, date=status.appointment_at)
    return QueuePosition(
        family_unit_id=family_unit_id,
        standing=status.standing,
        place=status.place,
        site=status.site,
        estimated_date=status.estimated_date,
        appointment=appointment,
    )


# Who may see which family an audited appointment is: a case role, and (as for a duplicate
# A-number's family) an organisation that may see that family's record. Anyone else, the
# anonymous auditor included, gets null and the refusal; the audit itself stays public.
_FAMILY_VISIBLE: list[FieldExtension] = guarded(Needs(*CASE_ROLES), MaySeeRecord())


def _family(root: strawberry.Parent[AuditedAppointment]) -> strawberry.ID | None:
    return strawberry.ID(root.family_unit_id)


@strawberry.type(
    description="One appointment as the audit sees it: its day and its place in line. "
    "`appointmentId` is the audit's handle for it: a random id, made of nothing about the "
    "family."
)
class AuditedAppointment:
    appointment_id: strawberry.ID
    day: dt.date
    earliest_enrollment: dt.date | None
    registered_at: dt.datetime
    expedite_granted_at: dt.datetime | None
    queued_at: dt.datetime
    decided_at: dt.datetime
    family_unit_id: strawberry.Private[str]
    access: strawberry.Private[RecordAccess | None]
    family: strawberry.ID | None = strawberry.field(
        name="familyUnitId",
        resolver=_family,
        extensions=_FAMILY_VISIBLE,
        description="Which family: null unless the caller holds a case role and its "
        "organisation may see that family's record (every such read is audited).",
    )


@strawberry.type(description="B (`behind`) got an earlier day than A (`ahead`), who was ahead.")
class Inversion:
    ahead: AuditedAppointment
    behind: AuditedAppointment


@strawberry.type
class FairnessAudit:
    site: str
    from_: dt.date = strawberry.field(name="from")
    to: dt.date
    checked: int = strawberry.field(
        description="Appointments at the site with a day in [from, to] and a known place."
    )
    inversions: list[Inversion] = strawberry.field(
        description="Every inversion whose `behind` has a day in [from, to]: a family enrolled "
        "later (by the fair order), at this site, given an earlier day while the other was "
        "already in this line, without a granted expedite (puente_schemas.fairness)."
    )


def _audited(
    appointment: fairness.Appointment, access: Mapping[str, RecordAccess]
) -> AuditedAppointment:
    return AuditedAppointment(
        appointment_id=strawberry.ID(appointment.appointment_id),
        day=appointment.day,
        earliest_enrollment=appointment.earliest_enrollment,
        registered_at=appointment.registered_at,
        expedite_granted_at=appointment.expedite_granted_at,
        queued_at=appointment.queued_at,
        decided_at=appointment.decided_at,
        family_unit_id=appointment.family_unit_id,
        access=access.get(appointment.family_unit_id),
    )


def fairness_audit(
    info: Info,
    site: str,
    from_: Annotated[dt.date, strawberry.argument(name="from")],
    to: dt.date,
) -> FairnessAudit:
    """Every inversion among the site's current appointments whose `behind` has a day in
    [from, to]; those ahead of it may have any day."""
    if from_ > to:
        raise ValueError(f"`from` ({from_}) is after `to` ({to})")
    with Session(engine(info)) as session:
        if site not in SITE_PLACES and queueing.site(session, site) is None:
            raise ValueError(f"unknown site '{site}'")
        every = queueing.appointments(session, site)
        found = [i for i in fairness.inversions(every) if from_ <= i.behind.day <= to]
        named = {a.family_unit_id for i in found for a in (i.ahead, i.behind)}
        access = records.access_many(session, named)
    return FairnessAudit(
        site=site,
        from_=from_,
        to=to,
        checked=sum(from_ <= a.day <= to for a in every),
        inversions=[
            Inversion(ahead=_audited(i.ahead, access), behind=_audited(i.behind, access))
            for i in found
        ],
    )


@strawberry.type(description="How many wait and how many are booked at a site: no one named.")
class SiteQueue:
    site: str | None = strawberry.field(description="Null: not yet placed at a site.")
    waiting_families: int
    waiting_people: int
    waiting_for_eligibility: int
    scheduled_families: int
    scheduled_people: int


def queue_summary(info: Info) -> list[SiteQueue]:
    families: Counter[tuple[str | None, str]] = Counter()
    people: Counter[tuple[str | None, str]] = Counter()
    with Session(engine(info)) as session:
        for row in session.exec(select(QueueEntry)):
            kind = row.status if row.eligible else "ineligible"
            families[(row.site, kind)] += 1
            people[(row.site, kind)] += row.people
    return [
        SiteQueue(
            site=site,
            waiting_families=families[(site, queueing.WAITING)],
            waiting_people=people[(site, queueing.WAITING)],
            waiting_for_eligibility=families[(site, "ineligible")],
            scheduled_families=families[(site, queueing.SCHEDULED)],
            scheduled_people=people[(site, queueing.SCHEDULED)],
        )
        for site in sorted({site for site, _ in families}, key=lambda site: site or "")
    ]
