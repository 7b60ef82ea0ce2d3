from puente_runtime.run import main

from puente_scheduling.app import create_app

main("scheduling", create_app)
