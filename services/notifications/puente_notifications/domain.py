"""Notification rules: who hears about what, and what they are told. Pure: no I/O.

Shelters learn what they need to receive a family (size, languages, interpreter, when), never
names or legal history. A policy that changes operations is announced at least 24 hours before
it takes effect (DOMAIN.md, rule 6), to every shelter the platform knows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from puente_schemas.common import FieldError, Member, PolicyChanges
from puente_schemas.places import SITE_PLACES

# A policy's title is a line shelters read; its effect is planned, not years away.
MAX_TITLE_LENGTH = 200
FURTHEST_AHEAD = dt.timedelta(days=365)


@dataclass(frozen=True)
class FamilyNeeds:
    people: int
    languages: tuple[str, ...]
    needs_interpreter: bool


@dataclass(frozen=True)
class Notice:
    recipient: str
    kind: str
    text: str


def needs_of(members: list[Member]) -> FamilyNeeds:
    return FamilyNeeds(
        people=len(members),
        languages=tuple(sorted({m.language for m in members})),
        needs_interpreter=any(m.needs_interpreter for m in members),
    )


def expected_arrival(
    shelter_id: str, site: str, at: dt.datetime, needs: FamilyNeeds, extra: list[str]
) -> Notice:
    interpreter = ", interpreter needed" if needs.needs_interpreter else ""
    wanted = f"; needs: {', '.join(extra)}" if extra else ""
    return Notice(
        recipient=shelter_id,
        kind="expected-arrival",
        text=(
            f"A family of {needs.people} is expected from {site} on {at:%Y-%m-%d %H:%M} UTC; "
            f"languages: {', '.join(needs.languages)}{interpreter}{wanted}."
        ),
    )


def released_to(recipient: str, site: str, needs: FamilyNeeds) -> Notice:
    return Notice(
        recipient=recipient,
        kind="released",
        text=f"A family of {needs.people} was released on parole at {site} and is on its way.",
    )


def attorney_access(organisation_id: str, granted: bool, reason: str) -> Notice:
    outcome = "granted" if granted else "denied"
    return Notice(
        recipient=organisation_id,
        kind="attorney-access",
        text=f"Your request to reach your client during processing was {outcome}: {reason}.",
    )


def policy_notice(shelter_id: str, title: str, effective_at: dt.datetime) -> Notice:
    return Notice(
        recipient=shelter_id,
        kind="policy-announced",
        text=f"Policy change from {effective_at:%Y-%m-%d %H:%M} UTC: {title}.",
    )


def policy_errors(
    *,
    title: str,
    effective_at: dt.datetime,
    changes: PolicyChanges,
    now: dt.datetime,
    notice: dt.timedelta,
) -> list[FieldError]:
    """What is wrong with a policy announcement; empty when it may be announced."""
    errors = []
    if not title.strip():
        errors.append(FieldError(field="title", message="is required"))
    elif len(title) > MAX_TITLE_LENGTH:
        errors.append(
            FieldError(field="title", message=f"is longer than {MAX_TITLE_LENGTH} characters")
        )
    if effective_at.tzinfo is None:
        errors.append(FieldError(field="effective_at", message="needs a time zone"))
    elif effective_at > now + FURTHEST_AHEAD:
        errors.append(
            FieldError(field="effective_at", message="must be within a year of its announcement")
        )
    elif effective_at < now + notice:
        hours = notice.total_seconds() / 3600
        errors.append(
            FieldError(
                field="effective_at",
                message=f"must be at least {hours:g} hours ahead: shelters need the notice",
            )
        )
    errors.extend(changes.errors(SITE_PLACES))
    return errors
