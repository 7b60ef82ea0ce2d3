"""Composition root of the scheduling service."""

from __future__ import annotations

import datetime as dt
from functools import partial

from puente_runtime import Bus, Clock, Handlers, Service, Settings
from puente_schemas.events import Registered

from puente_scheduling.handlers import schedule_family
from puente_scheduling.tables import AppointmentRow


def create_app(*, settings: Settings, bus: Bus, clock: Clock) -> Service:
    min_notice = dt.timedelta(hours=settings.min_notice_hours)
    handlers: Handlers = {Registered: partial(schedule_family, min_notice=min_notice)}
    return Service(
        name="scheduling",
        settings=settings,
        bus=bus,
        clock=clock,
        tables=[AppointmentRow],
        handlers=handlers,
    )
