"""Expedite requests and their decisions (DOMAIN.md, rule 3). Pure: no I/O.

A request names a published criterion (puente_schemas.criteria) and carries a note. The
gateway checks that the caller's role may decide; this module keeps the rule between
organisations: a grant by the organisation that asked needs a second approver from another
organisation. A denial is final at once, whoever makes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from puente_schemas.commands import DecideExpedite, RequestExpedite
from puente_schemas.common import FieldError
from puente_schemas.criteria import EXPEDITE_CRITERIA


class Status(StrEnum):
    PENDING = "pending"
    AWAITING_SECOND_APPROVAL = "awaiting_second_approval"
    GRANTED = "granted"
    DENIED = "denied"


OPEN = frozenset({Status.PENDING, Status.AWAITING_SECOND_APPROVAL})


@dataclass(frozen=True)
class Request:
    requested_by: str
    status: Status
    approved_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    status: Status
    decided_by: tuple[str, ...]

    @property
    def final(self) -> bool:
        return self.status not in OPEN


def request_errors(command: RequestExpedite) -> list[FieldError]:
    errors = []
    if command.criterion not in EXPEDITE_CRITERIA:
        known = ", ".join(EXPEDITE_CRITERIA)
        errors.append(
            _error("criterion", f"unknown criterion {command.criterion!r}; one of {known}")
        )
    if not command.note.strip():
        errors.append(_error("note", "a note explaining the request is required"))
    if not command.organisation_id.strip():
        errors.append(_error("organisation_id", "the requesting organisation is required"))
    if not command.request_id.strip():
        errors.append(_error("request_id", "is required"))
    return errors


def decide(request: Request, command: DecideExpedite) -> Decision | list[FieldError]:
    """The request's next state, or what forbids this decision."""
    errors = []
    if not command.reason.strip():
        errors.append(_error("reason", "a reason for the decision is required"))
    organisation = command.organisation_id.strip()
    if not organisation:
        errors.append(_error("organisation_id", "the deciding organisation is required"))
    if request.status not in OPEN:
        errors.append(_error("request_id", f"is already decided ({request.status})"))
    elif command.granted and organisation in request.approved_by:
        errors.append(
            _error(
                "organisation_id",
                "has already approved this request: the second approver must be "
                "from another organisation",
            )
        )
    if errors:
        return errors
    if not command.granted:
        return Decision(Status.DENIED, (organisation,))
    approved_by = (*request.approved_by, organisation)
    if approved_by == (request.requested_by,):
        return Decision(Status.AWAITING_SECOND_APPROVAL, approved_by)
    return Decision(Status.GRANTED, approved_by)


def _error(field: str, message: str) -> FieldError:
    return FieldError(field=field, message=message)
