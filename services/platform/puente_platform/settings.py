"""What `make run` reads: every setting of the services it composes, and whether the field
simulator runs beside them."""

from __future__ import annotations

from puente_simulator.settings import SimulatorSettings


class PlatformSettings(SimulatorSettings):
    simulator: bool = False  # PUENTE_SIMULATOR: compose the field simulator (demos)
    demo_families: int = 300  # PUENTE_DEMO_FAMILIES: with the simulator, registered (0: none)
