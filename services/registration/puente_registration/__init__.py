"""Registration: people, family units, MPP cases and their category, registrations."""

from puente_registration.app import create_app

__all__ = ["create_app"]
