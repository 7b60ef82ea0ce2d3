"""Composition root of the scheduling service."""

from __future__ import annotations

import datetime as dt

from puente_runtime import Bus, Clock, Service, Settings

from puente_scheduling.domain import Policy
from puente_scheduling.handlers import handlers, timed_passes
from puente_scheduling.store import Store
from puente_scheduling.tables import HISTORY, TABLES

# How often (on the service's clock) the passes run, so that a day coming into the booking
# horizon is given to the families waiting for it within the hour.
PASS_EVERY = dt.timedelta(hours=1)


def create_app(*, settings: Settings, bus: Bus, clock: Clock) -> Service:
    # The notice a first start begins with; after that the policy in the database rules.
    store = Store(defaults=Policy(min_notice=dt.timedelta(hours=settings.min_notice_hours)))
    service = Service(
        name="scheduling",
        settings=settings,
        bus=bus,
        clock=clock,
        tables=TABLES,
        history=HISTORY,
        handlers=handlers(store),
    )
    service.every(PASS_EVERY, timed_passes(store))
    return service
