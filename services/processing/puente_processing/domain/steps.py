"""The order of a family's steps in processing, and what refuses a step.

At the border: registered, scheduled, checked-in, processed, released. A family already inside
the US skips the appointment and the check-in: registered, processed, released. A refused
command names the offending field and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from puente_schemas.common import FieldError

from puente_processing.domain.documents import Document, pending

REGISTERED = "registered"
SCHEDULED = "scheduled"
CHECKED_IN = "checked-in"
PROCESSED = "processed"
RELEASED = "released"
STEPS = (REGISTERED, SCHEDULED, CHECKED_IN, PROCESSED, RELEASED)
IN_PROCESSING = (CHECKED_IN, PROCESSED)


class OutOfOrder(Exception):
    """A step reported before the one it depends on."""


def advance(current: str, step: str) -> str:
    """The family's next step, or OutOfOrder when `step` does not follow `current`."""
    if STEPS.index(step) != STEPS.index(current) + 1:
        raise OutOfOrder(f"cannot record {step} for a family that is {current}")
    return step


def arrival_wait(*, step: str, scheduled_site: str | None, site: str) -> str | None:
    """Why a family's arrival at `site` cannot be checked in yet, or None.

    An arrival is an event, reported after the fact: it is never refused. When processing
    knows of no appointment at that site, the appointment (or its move) travels on another
    topic and may simply be behind, so the arrival waits for it; if none comes within the
    runtime's patience it is dead-lettered with this reason.
    """
    if step != SCHEDULED:
        return f"site: no appointment for the family at {site!r} (it is {step})"
    if scheduled_site != site:
        return f"site: the family's appointment is at {scheduled_site!r}, not {site!r}"
    return None


def not_ready(documents: Iterable[Document]) -> list[FieldError]:
    return [
        FieldError(field="documents", message=f"{d.kind} for member {d.member_id} is not ready")
        for d in pending(documents)
    ]


def completion_errors(step: str, documents: Iterable[Document]) -> list[FieldError]:
    """Processing ends for a checked-in family whose every document is ready."""
    if step != CHECKED_IN:
        return [FieldError(field="family_unit_id", message=f"is {step}, not checked in")]
    return not_ready(documents)


def release_errors(step: str, documents: Iterable[Document]) -> list[FieldError]:
    """Release follows processing; nobody leaves with a document not ready."""
    if step != PROCESSED:
        message = f"is {step}: release comes after processing"
        return [FieldError(field="family_unit_id", message=message)]
    return not_ready(documents)


def capacity_errors(*, known: bool, beds: int) -> list[FieldError]:
    errors = []
    if not known:
        errors.append(FieldError(field="shelter_id", message="unknown shelter"))
    if beds < 0:
        errors.append(FieldError(field="beds", message="cannot be negative"))
    return errors


def shelter_arrival_errors(
    *, step: str, expected_at: str | None, shelter_id: str, known: bool, confirmed: bool
) -> list[FieldError]:
    """A shelter confirms the arrival of a released family it was expecting, once."""
    if not known:
        return [FieldError(field="shelter_id", message="unknown shelter")]
    if expected_at != shelter_id:
        where = f"is expected at {expected_at!r}" if expected_at else "is expected at no shelter"
        return [FieldError(field="shelter_id", message=f"the family {where}")]
    if step != RELEASED:
        return [FieldError(field="family_unit_id", message=f"is {step}, not released yet")]
    if confirmed:
        return [FieldError(field="family_unit_id", message="arrival already confirmed")]
    return []


def attorney_access(
    *, attorney_of_record: str | None, organisation: str, step: str
) -> tuple[bool, str]:
    """An attorney of record may reach the client while the family is in processing.

    The attorney of record is the organisation that registered the family through the
    attorney channel (its G-28); the platform records no other G-28s yet.
    """
    if attorney_of_record is None:
        return False, "the family has no attorney of record"
    if organisation != attorney_of_record:
        return False, "not the family's attorney of record"
    if step == RELEASED:
        return False, "the family has been released"
    if step not in IN_PROCESSING:
        return False, f"the family is not in processing yet (it is {step})"
    return True, "attorney of record; the family is in processing"
