"""Composition root of the registration service."""

from __future__ import annotations

from puente_runtime import Bus, Clock, Service, Settings

from puente_registration.handlers import HANDLERS
from puente_registration.tables import FamilyRow, PersonRow


def create_app(*, settings: Settings, bus: Bus, clock: Clock) -> Service:
    return Service(
        name="registration",
        settings=settings,
        bus=bus,
        clock=clock,
        tables=[FamilyRow, PersonRow],
        handlers=HANDLERS,
    )
