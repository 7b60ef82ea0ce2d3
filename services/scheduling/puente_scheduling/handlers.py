"""Scheduling's message handlers."""

from __future__ import annotations

import datetime as dt
import uuid

from puente_runtime import Context
from puente_schemas.events import Event, Registered, Scheduled
from sqlalchemy import func
from sqlmodel import col, select

from puente_scheduling import domain
from puente_scheduling.tables import AppointmentRow


def schedule_family(event: Registered, ctx: Context, *, min_notice: dt.timedelta) -> list[Event]:
    session = ctx.session
    if session.exec(
        select(AppointmentRow).where(AppointmentRow.family_unit_id == event.family_unit_id)
    ).first():
        return []  # already scheduled: a second delivery makes no second appointment
    people = len(event.members)
    slot = domain.choose_slot(
        people=people,
        origin_city=event.current_location.city,
        now=ctx.clock.now(),
        min_notice=min_notice,
        sites=domain.SITES,
        booked=_booked(ctx),
    )
    enrolled = [m.mpp_enrollment_date for m in event.members if m.mpp_enrollment_date]
    appointment = AppointmentRow(
        id=str(uuid.uuid4()),
        family_unit_id=event.family_unit_id,
        site=slot.site,
        day=slot.at.date(),
        at=slot.at,
        people=people,
        origin_city=event.current_location.city,
        origin_country=event.current_location.country,
        enrolled_on=min(enrolled, default=None),
    )
    session.add(appointment)
    return [
        Scheduled(
            family_unit_id=event.family_unit_id,
            appointment_id=appointment.id,
            site=slot.site,
            appointment_at=slot.at,
            people=people,
            origin=event.current_location,
        )
    ]


def _booked(ctx: Context) -> dict[tuple[str, dt.date], int]:
    query = select(
        col(AppointmentRow.site), col(AppointmentRow.day), func.sum(AppointmentRow.people)
    )
    query = query.where(AppointmentRow.status == "scheduled")
    rows = ctx.session.exec(query.group_by(col(AppointmentRow.site), col(AppointmentRow.day))).all()
    return {(site, day): int(total) for site, day, total in rows}
