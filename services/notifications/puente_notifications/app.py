"""Composition root of the notifications service."""

from __future__ import annotations

import datetime as dt

from puente_runtime import Bus, Clock, Service, Settings

from puente_notifications.handlers import handlers
from puente_notifications.policies import put_policies_in_effect
from puente_notifications.tables import HISTORY, TABLES

# How often announced policies are checked for their effective time, in service-clock time.
POLICY_CHECK = dt.timedelta(minutes=5)


def create_app(*, settings: Settings, bus: Bus, clock: Clock) -> Service:
    service = Service(
        name="notifications",
        settings=settings,
        bus=bus,
        clock=clock,
        tables=TABLES,
        history=HISTORY,
        handlers=handlers(notice=dt.timedelta(hours=settings.policy_notice_hours)),
    )
    service.every(POLICY_CHECK, put_policies_in_effect)
    return service
