"""Processing: check-in at the port, documents, release on parole."""

from puente_processing.app import create_app

__all__ = ["create_app"]
