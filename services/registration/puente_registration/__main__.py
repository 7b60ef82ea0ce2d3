from puente_runtime.run import main

from puente_registration.app import create_app

main("registration", create_app)
