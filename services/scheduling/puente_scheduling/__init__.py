"""Scheduling: processing sites, the queue and appointments."""

from puente_scheduling.app import create_app

__all__ = ["create_app"]
