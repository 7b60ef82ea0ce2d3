"""Composition root of the registration service."""

from __future__ import annotations

import datetime as dt

from puente_runtime import Bus, Clock, Service, Settings

from puente_registration.handlers import HANDLERS, missed_callbacks
from puente_registration.tables import HISTORY, TABLES

# How often (on the service's clock) call-backs past their time are looked for.
MISSED_CALLBACKS_EVERY = dt.timedelta(minutes=5)


def create_app(*, settings: Settings, bus: Bus, clock: Clock) -> Service:
    service = Service(
        name="registration",
        settings=settings,
        bus=bus,
        clock=clock,
        tables=TABLES,
        history=HISTORY,
        handlers=HANDLERS,
    )
    service.every(MISSED_CALLBACKS_EVERY, missed_callbacks)
    return service
