"""Likely duplicates: the same person registered twice under another spelling of their name.

Only people born the same day are compared (the caller looks them up by birth date, which is
indexed), so the comparison may be generous: a flag is for a person to review, never a merge.
Names are compared as sets of words with accents and case removed, so `José Pérez García`,
`Jose Perez`, `PEREZ GARCIA Jose` and `Josee Peres Garcia` all match: swapped order, a missing
second surname and small spelling differences are all common in registrations made by phone.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Two words are the same word spelled differently from this similarity on (difflib's ratio).
SAME_WORD = 0.8
# Two whole names written without spaces are the same name from this similarity on.
SAME_RUN = 0.9
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Person:
    family_unit_id: str
    given_name: str
    family_name: str
    birth_date: dt.date


def name_words(given_name: str, family_name: str) -> tuple[str, ...]:
    """The words of a full name, without accents or case: `Ángel Núñez-Díaz` -> angel nunez diaz."""
    decomposed = unicodedata.normalize("NFKD", f"{given_name} {family_name}")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return tuple(_WORD.findall(plain))


def similar_names(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """Every word of the shorter name matches its own word of the longer one, in any order."""
    shorter, longer = sorted((first, second), key=len)
    if not shorter:
        return False
    unmatched = list(longer)
    for word in shorter:
        match = max(unmatched, key=lambda other: _ratio(word, other))
        if _ratio(word, match) < SAME_WORD:
            return _run_together(first, second)
        unmatched.remove(match)
    return True


def _run_together(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """`Mariajose Lopez` and `Maria Jose Lopez`: the same letters, split in other places."""
    as_given = _ratio("".join(first), "".join(second))
    in_order = _ratio("".join(sorted(first)), "".join(sorted(second)))
    return max(as_given, in_order) >= SAME_RUN


def _ratio(first: str, second: str) -> float:
    return 1.0 if first == second else difflib.SequenceMatcher(None, first, second).ratio()


def same_person(first: Person, second: Person) -> bool:
    return first.birth_date == second.birth_date and similar_names(
        name_words(first.given_name, first.family_name),
        name_words(second.given_name, second.family_name),
    )


def candidates(person: Person, others: Iterable[Person]) -> list[str]:
    """The other families in which this person may already be registered, in order."""
    return sorted(
        {
            other.family_unit_id
            for other in others
            if other.family_unit_id != person.family_unit_id and same_person(person, other)
        }
    )
