"""Composition root of the processing service."""

from __future__ import annotations

from puente_runtime import Bus, Clock, Service, Settings

from puente_processing.handlers import HANDLERS
from puente_processing.tables import CaseFileRow, DocumentRow


def create_app(*, settings: Settings, bus: Bus, clock: Clock) -> Service:
    return Service(
        name="processing",
        settings=settings,
        bus=bus,
        clock=clock,
        tables=[CaseFileRow, DocumentRow],
        handlers=HANDLERS,
    )
