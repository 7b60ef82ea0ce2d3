"""Composition root of the notifications service."""

from __future__ import annotations

import datetime as dt

from puente_runtime import Bus, Clock, Service, Settings, Timed
from puente_runtime.sealing import Sealer, load_platform_key

from puente_notifications import domain
from puente_notifications.handlers import handlers
from puente_notifications.mail import mailer
from puente_notifications.policies import escalation, put_policies_in_effect
from puente_notifications.tables import HISTORY, TABLES
from puente_notifications.webhook_delivery import Deliverer
from puente_notifications.webhooks import Resolve, resolve, webhook_handlers

# How often the clock-driven work runs, in service-clock time.
TIMED_EVERY = dt.timedelta(minutes=1)


def timed_work(settings: Settings) -> list[Timed]:
    """What notifications does on the clock: policies take effect, notices escalate."""
    deadlines = domain.Deadlines(
        escalate=dt.timedelta(hours=settings.notice_escalation_hours),
        at_risk=dt.timedelta(hours=settings.policy_at_risk_hours),
    )
    return [put_policies_in_effect, escalation(deadlines)]


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
    for work in timed_work(settings):
        service.every(TIMED_EVERY, work)
    link_base = settings.public_url or f"http://{settings.gateway_host}:{settings.gateway_port}"
    mails = mailer(
        service, smtp_url=settings.smtp_url, sender=settings.mail_from, link_base=link_base
    )
    service.also_run(mails.run)
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
