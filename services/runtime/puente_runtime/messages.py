"""A message as the bus carries it, and its conversion to and from an envelope."""

from __future__ import annotations

from dataclasses import dataclass, field

from puente_schemas import Envelope


@dataclass(frozen=True)
class Message:
    topic: str
    key: str
    value: bytes
    headers: dict[str, str] = field(default_factory=dict)
    partition: int = 0
    offset: int = -1


def to_message(envelope: Envelope, topic: str, trace_headers: dict[str, str]) -> Message:
    return Message(
        topic=topic,
        key=envelope.subject,
        value=envelope.body(),
        headers={**envelope.headers(), **trace_headers},
    )
