"""Composition root of the processing service."""

from __future__ import annotations

import datetime as dt

from puente_runtime import Bus, Clock, Service, Settings

from puente_processing.clockwork import seed_shelters, tick
from puente_processing.handlers import HANDLERS
from puente_processing.tables import HISTORY, TABLES

# How often, in service-clock time, documents, overdue processing, stays and waiting families
# are looked at: an overdue family is reported at most this late.
TICK = dt.timedelta(minutes=15)


def create_app(*, settings: Settings, bus: Bus, clock: Clock) -> Service:
    service = Service(
        name="processing",
        settings=settings,
        bus=bus,
        clock=clock,
        tables=TABLES,
        history=HISTORY,
        handlers=HANDLERS,
    )
    service.run_now(seed_shelters)
    service.every(TICK, tick)
    return service
