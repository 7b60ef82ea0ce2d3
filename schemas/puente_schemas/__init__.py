"""Puente's contracts: every command and event as a versioned pydantic model, the envelope
they travel in, and the topic names. Services import contracts from here and nowhere else."""

from puente_schemas.commands import COMMANDS, Command
from puente_schemas.envelope import Envelope
from puente_schemas.events import EVENTS, Event

_ALL: tuple[type[Command] | type[Event], ...] = (*COMMANDS, *EVENTS)
CONTRACTS: dict[str, type[Command] | type[Event]] = {c.TYPE: c for c in _ALL}

__all__ = ["COMMANDS", "CONTRACTS", "EVENTS", "Command", "Envelope", "Event"]
