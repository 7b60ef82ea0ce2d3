"""Topic names and CloudEvents types: the one place they are spelled."""

from __future__ import annotations

SERVICES = (
    "registration",
    "scheduling",
    "transport",
    "processing",
    "notifications",
    "gateway",
    "simulator",  # demos and benches only: its commands say they are simulated
)
EVENT_SOURCES = (
    "registration",
    "scheduling",
    "transport",
    "processing",
    "notifications",
    "gateway",
)


def events_topic(service: str) -> str:
    return f"puente.{service}.events"


def commands_topic(service: str) -> str:
    return f"puente.{service}.commands"


def dead_letter_topic(topic: str) -> str:
    return f"{topic}.dlq"


def event_type(service: str, name: str, version: int = 1) -> str:
    return f"org.puente.{service}.{name}.v{version}"


REGISTRATION_EVENTS = events_topic("registration")
SCHEDULING_EVENTS = events_topic("scheduling")
TRANSPORT_EVENTS = events_topic("transport")
PROCESSING_EVENTS = events_topic("processing")
NOTIFICATIONS_EVENTS = events_topic("notifications")
GATEWAY_EVENTS = events_topic("gateway")
ALL_EVENT_TOPICS = tuple(events_topic(s) for s in EVENT_SOURCES)

REGISTRATION_COMMANDS = commands_topic("registration")
TRANSPORT_COMMANDS = commands_topic("transport")
PROCESSING_COMMANDS = commands_topic("processing")
NOTIFICATIONS_COMMANDS = commands_topic("notifications")
