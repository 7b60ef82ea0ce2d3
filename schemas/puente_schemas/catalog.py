"""Who publishes and who consumes each contract: the map of the system, as data.

A test holds every service's handlers to this map, and the AsyncAPI documents are made from it.
"""

from __future__ import annotations

from puente_schemas import commands as c
from puente_schemas import events as e
from puente_schemas.commands import COMMANDS, Command
from puente_schemas.events import EVENTS, Event
from puente_schemas.topics import EVENT_SOURCES, events_topic

Contract = type[Command] | type[Event]

CONSUMES: dict[str, tuple[Contract, ...]] = {
    "registration": (c.RegisterFamily, e.Released),
    "scheduling": (e.Registered,),
    "transport": (e.Scheduled, c.RecordDeparture, c.RecordArrival),
    "processing": (
        e.Registered,
        e.Scheduled,
        e.ArrivedAtPort,
        c.CompleteProcessing,
        c.ReleaseFamily,
    ),
    "notifications": (e.Registered, e.Scheduled, e.Released),
    "gateway": EVENTS,
}


def publishes(service: str) -> tuple[Contract, ...]:
    """Services publish the events on their own topic; the gateway sends the commands."""
    if service == "gateway":
        return COMMANDS
    if service in EVENT_SOURCES:
        return tuple(m for m in EVENTS if events_topic(service) == m.TOPIC)
    raise KeyError(service)
