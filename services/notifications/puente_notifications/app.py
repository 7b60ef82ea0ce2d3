"""Composition root of the notifications service."""

from __future__ import annotations

from puente_runtime import Bus, Clock, Service, Settings

from puente_notifications.handlers import HANDLERS
from puente_notifications.tables import FamilyNeedsRow, NoticeRow


def create_app(*, settings: Settings, bus: Bus, clock: Clock) -> Service:
    return Service(
        name="notifications",
        settings=settings,
        bus=bus,
        clock=clock,
        tables=[FamilyNeedsRow, NoticeRow],
        handlers=HANDLERS,
    )
