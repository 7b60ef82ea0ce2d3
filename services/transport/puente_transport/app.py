"""Composition root of the transport service."""

from __future__ import annotations

from puente_runtime import Bus, Clock, Service, Settings

from puente_transport.handlers import handlers
from puente_transport.routes import ROUTES, Routes, check_routes
from puente_transport.tables import HISTORY, TABLES


def create_app(*, settings: Settings, bus: Bus, clock: Clock, routes: Routes = ROUTES) -> Service:
    """`routes` is the route table (the built-in one unless a test or a deployment gives
    another); a table with a bad route stops the service here, naming the route."""
    return Service(
        name="transport",
        settings=settings,
        bus=bus,
        clock=clock,
        tables=TABLES,
        history=HISTORY,
        handlers=handlers(check_routes(routes)),
    )
