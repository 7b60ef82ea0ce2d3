"""What a feed shows of each event: its type, checked against the contracts, and its content,
redacted for the caller by the one rule (redaction.py). Showing a family's record or legal
history is a read of personal data, written to the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from puente_schemas.events import FEED_TYPES
from sqlmodel import Session
from strawberry.types import Info

from puente_gateway import records
from puente_gateway.api.permissions import audit_read, engine, principal
from puente_gateway.redaction import personal, redact

if TYPE_CHECKING:
    from puente_gateway.api.families import FamilyEvent

__all__ = ["EVENT_TYPES", "event_data", "known_types"]

EVENT_TYPES = FEED_TYPES


def known_types(types: list[str] | None) -> frozenset[str] | None:
    """The types asked for (None: every type); an unknown one is refused by name."""
    if types is None:
        return None
    unknown = sorted(set(types) - EVENT_TYPES)
    if unknown:
        raise ValueError(f"types: unknown event type {', '.join(repr(t) for t in unknown)}")
    return frozenset(types)


def event_data(root: FamilyEvent, info: Info) -> Any:
    caller = principal(info)
    assert caller is not None
    family_unit_id = root.family_unit_id
    record = None
    if family_unit_id is not None:
        with Session(engine(info)) as session:
            record = records.access(session, family_unit_id)
    shown = redact(caller, root.type, root.content, record)
    if family_unit_id is not None and personal(root.type, shown):
        audit_read(info, caller, [family_unit_id], allowed=True)
    return shown
