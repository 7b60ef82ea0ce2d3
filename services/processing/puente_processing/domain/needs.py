"""What a shelter or an onward-travel provider must know ahead of a family: how many people,
which languages, interpreters, young children. Never a name, an A-number or a case category:
shelters see needs, not legal history (ARCHITECTURE.md, security)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import puente_texts
from puente_schemas.common import Member, Need

CHILD_SEAT_AGE = 8  # children under this age travel in a child seat


def age(member: Member, on: dt.date) -> int:
    born = member.birth_date
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def languages(members: Sequence[Member]) -> list[str]:
    return sorted({m.language for m in members})


def interpreter_languages(members: Sequence[Member]) -> list[str]:
    return sorted({m.language for m in members if m.needs_interpreter})


def shelter_needs(members: Sequence[Member], on: dt.date) -> list[Need]:
    needs = [
        Need(id="need.interpreter", params={"language": language})
        for language in interpreter_languages(members)
    ]
    children = sum(1 for m in members if age(m, on) < 18)
    infants = sum(1 for m in members if age(m, on) < 2)
    if children:
        needs.append(Need(id="need.children", params={"count": children}))
    if infants:
        needs.append(Need(id="need.infants", params={"count": infants}))
    return needs


def onward_travel(
    members: Sequence[Member], *, from_city: str, to_city: str | None, on: dt.date
) -> list[Need]:
    """What the trip from the release site to the destination needs; nothing when the family
    stays where it was released."""
    if to_city is None or to_city.casefold() == from_city.casefold():
        return []
    needs = [
        Need(id="need.seats", params={"count": len(members), "from": from_city, "to": to_city})
    ]
    needs += [
        Need(id="need.interpreter", params={"language": language})
        for language in interpreter_languages(members)
    ]
    seats = sum(1 for m in members if age(m, on) < CHILD_SEAT_AGE)
    if seats:
        needs.append(Need(id="need.child-seats", params={"count": seats}))
    return needs


def in_english(needs: Sequence[Need]) -> list[str]:
    """The plain English lines events carried before the structured needs, for their old
    readers."""
    return [puente_texts.render(need.id, "eng", **need.params) for need in needs]
