"""Notification rules: who hears about a family, and what they are told. Pure: no I/O.

Shelters learn what they need to receive a family (size, languages, interpreter, when), never
names or legal history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from puente_schemas.common import Member
from puente_schemas.places import RECEIVING_SHELTERS


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


def expected_arrival(site: str, at: dt.datetime, needs: FamilyNeeds) -> Notice:
    interpreter = ", interpreter needed" if needs.needs_interpreter else ""
    return Notice(
        recipient=RECEIVING_SHELTERS.get(site, site),
        kind="expected-arrival",
        text=(
            f"A family of {needs.people} is expected at {site} on {at:%Y-%m-%d %H:%M} UTC; "
            f"languages: {', '.join(needs.languages)}{interpreter}."
        ),
    )


def released_to(destination: str, site: str, needs: FamilyNeeds) -> Notice:
    return Notice(
        recipient=destination,
        kind="released",
        text=f"A family of {needs.people} was released on parole at {site} and is on its way.",
    )
