from puente_runtime.run import main

from puente_notifications.app import create_app

main("notifications", create_app)
