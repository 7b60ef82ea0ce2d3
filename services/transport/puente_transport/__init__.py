"""Transport: routes, seats, bookings and travel documents to the port."""

from puente_transport.app import create_app

__all__ = ["create_app"]
