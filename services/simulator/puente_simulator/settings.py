"""The simulator's own settings, beside the runtime's: how often a family plays a mishap."""

from __future__ import annotations

from puente_runtime import Settings


class SimulatorSettings(Settings):
    simulator_late_every: int = 7  # one family in n has a late vehicle (0: never)
    simulator_missed_every: int = 11  # and one in n misses its pick-up (0: never)
