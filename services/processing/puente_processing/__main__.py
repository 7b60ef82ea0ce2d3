from puente_runtime.run import main

from puente_processing.app import create_app

main("processing", create_app)
