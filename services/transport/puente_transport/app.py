"""Composition root of the transport service."""

from __future__ import annotations

from puente_runtime import Bus, Clock, Service, Settings

from puente_transport.handlers import HANDLERS
from puente_transport.tables import BookingRow


def create_app(*, settings: Settings, bus: Bus, clock: Clock) -> Service:
    return Service(
        name="transport",
        settings=settings,
        bus=bus,
        clock=clock,
        tables=[BookingRow],
        handlers=HANDLERS,
    )
