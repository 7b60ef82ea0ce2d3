"""Composition root of the notifications service."""

from __future__ import annotations

import datetime as dt

from puente_runtime import Bus, Clock, Service, Settings
from puente_runtime.sealing import Sealer, load_platform_key

from puente_notifications.handlers import handlers, put_policies_in_effect
from puente_notifications.tables import HISTORY, TABLES
from puente_notifications.webhook_delivery import Deliverer
from puente_notifications.webhooks import Resolve, resolve, webhook_handlers

# How often announced policies are checked for their effective time, in service-clock time.
POLICY_CHECK = dt.timedelta(minutes=5)


def create_app(
    *, settings: Settings, bus: Bus, clock: Clock, resolver: Resolve = resolve
) -> Service:
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
    _add_webhooks(service, resolver)
    return service


def _add_webhooks(service: Service, resolver: Resolve) -> None:
    """Webhooks: their own consumer group (commands and notices) and their deliverer."""
    settings = service.settings
    sealer = Sealer(load_platform_key(settings.platform_key, settings.var_dir))
    allow_private = settings.webhook_allow_private
    deliverer = Deliverer(
        service=service, sealer=sealer, allow_private=allow_private, resolver=resolver
    )
    webhooks = webhook_handlers(
        sealer=sealer, allow_private=allow_private, wake=deliverer.wake, resolver=resolver
    )
    service.consume(f"{settings.group_prefix}.notifications-webhooks", webhooks)
    service.also_run(deliverer.run)
