"""Composition of the whole platform on one bus and one clock."""

from __future__ import annotations

from dataclasses import dataclass

import puente_notifications
import puente_processing
import puente_registration
import puente_scheduling
import puente_simulator
import puente_transport
from puente_gateway import Gateway
from puente_gateway import create_app as create_gateway
from puente_runtime import Bus, Clock, Service

from puente_platform.settings import PlatformSettings

SERVICES = (
    puente_registration,
    puente_scheduling,
    puente_transport,
    puente_processing,
    puente_notifications,
)


@dataclass
class Platform:
    services: list[Service]
    gateway: Gateway

    @property
    def all_services(self) -> list[Service]:
        return [*self.services, self.gateway.service]


def create_platform(*, settings: PlatformSettings, bus: Bus, clock: Clock) -> Platform:
    """The services and the gateway; the field simulator too when `settings.simulator`."""
    services = [module.create_app(settings=settings, bus=bus, clock=clock) for module in SERVICES]
    if settings.simulator:
        services.append(puente_simulator.create_app(settings=settings, bus=bus, clock=clock))
    return Platform(
        services=services, gateway=create_gateway(settings=settings, bus=bus, clock=clock)
    )
