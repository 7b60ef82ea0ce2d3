"""The runtime every Puente service shares: settings, bus, database, outbox relay, inbox,
retries and dead letters, tracing, clock, health. Imported by services, never run alone."""

from puente_runtime import metrics
from puente_runtime.bus import Bus, EmbeddedBus, KafkaBus
from puente_runtime.clock import AcceleratedClock, Clock, FakeClock, SystemClock
from puente_runtime.consumer import Consumer, Context, Handlers, NotYet, describe
from puente_runtime.messages import Message
from puente_runtime.service import Service, Timed
from puente_runtime.settings import Settings

__all__ = [
    "AcceleratedClock",
    "Bus",
    "Clock",
    "Consumer",
    "Context",
    "EmbeddedBus",
    "FakeClock",
    "Handlers",
    "KafkaBus",
    "Message",
    "NotYet",
    "Service",
    "Settings",
    "SystemClock",
    "Timed",
    "describe",
    "metrics",
]
