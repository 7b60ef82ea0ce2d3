"""What `make run` reads: every setting of the services it composes, and whether the field
simulator runs beside them."""

from __future__ import annotations

from typing import Literal

from puente_simulator.settings import SimulatorSettings


class PlatformSettings(SimulatorSettings):
    simulator: bool = False  # PUENTE_SIMULATOR: compose the field simulator (demos)
    demo_families: int = 300  # PUENTE_DEMO_FAMILIES: with the simulator, registered (0: none)
    # One process: recent spans stay in it, for the console's trace waterfall (api/flow.py).
    otel_exporter: Literal["none", "file", "otlp", "console", "memory"] = "memory"
