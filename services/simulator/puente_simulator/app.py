"""Composition root of the field simulator: its own service, database and consumer group."""

from __future__ import annotations

from puente_runtime import Bus, Clock, Service

from puente_simulator.handlers import Simulator
from puente_simulator.settings import SimulatorSettings
from puente_simulator.tables import HISTORY, TABLES


def create_app(*, settings: SimulatorSettings, bus: Bus, clock: Clock) -> Service:
    service = Service(
        name="simulator",
        settings=settings,
        bus=bus,
        clock=clock,
        tables=TABLES,
        history=HISTORY,
    )
    simulator = Simulator(
        service,
        late_every=settings.simulator_late_every,
        missed_every=settings.simulator_missed_every,
    )
    service.consume(f"{settings.group_prefix}.simulator", simulator.handlers())
    service.also_run(simulator.run)
    return service
