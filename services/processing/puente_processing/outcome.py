"""What a use case decided: the events to publish, and the shelters whose beds changed (each
told once, at the end, with its beds as they stand after the whole change)."""

from __future__ import annotations

from dataclasses import dataclass, field

from puente_schemas.common import FieldError
from puente_schemas.events import Event, ProcessingCommandRejected
from sqlmodel import Session

from puente_processing import store


@dataclass
class Outcome:
    """Events decided so far, and the shelters whose beds changed (told once, at the end)."""

    events: list[Event] = field(default_factory=list)
    shelters: set[str] = field(default_factory=set)

    def finish(self, session: Session) -> list[Event]:
        updates = [store.shelter_updated(session, s) for s in sorted(self.shelters)]
        return [*self.events, *updates]


def rejected(command: str, family_unit_id: str | None, errors: list[FieldError]) -> list[Event]:
    return [
        ProcessingCommandRejected(command=command, family_unit_id=family_unit_id, errors=errors)
    ]
