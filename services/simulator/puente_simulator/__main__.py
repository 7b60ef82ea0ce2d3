from puente_runtime.run import main

from puente_simulator.app import create_app
from puente_simulator.settings import SimulatorSettings

main("simulator", create_app, SimulatorSettings)
