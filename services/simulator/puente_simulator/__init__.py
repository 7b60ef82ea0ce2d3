"""The field simulator (demos and benches only): plays the people in the field who report
departures, arrivals, processing and releases, and the hotline operators, through the same
commands a partner sends, marked as simulated (source `/puente/simulator`)."""

from puente_simulator.app import create_app

__all__ = ["create_app"]
