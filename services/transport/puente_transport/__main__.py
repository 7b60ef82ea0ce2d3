from puente_runtime.run import main

from puente_transport.app import create_app

main("transport", create_app)
