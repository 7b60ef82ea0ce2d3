"""What a released person is told about life after release (DOMAIN.md, rule 10): they may be
eligible for work authorization, through a pending asylum application or through parole, with
fee waivers; and their case is at the court named.

The words are the message `release.after-release` of the catalogues (`puente_texts`), in the
family's language along the fallback chain. Many MPP cases speak an Indigenous language with
little written use (Mam, K'iche', Q'eqchi'...): for those, and any other language without a
text, the family receives the Spanish text with a line saying that an interpreter will explain
it in their language. That is a fallback, not a translation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import puente_texts
from puente_schemas.common import Member


@dataclass(frozen=True)
class Notice:
    text: str
    language: str  # the language `text` is written in


def family_language(members: Sequence[Member]) -> str:
    """The language the family is addressed in: that of its first member in MPP (the person
    whose case brought the family), else of its first member."""
    principal = next((m for m in members if m.in_mpp), members[0])
    return principal.language


def after_release(language: str, court: str) -> Notice:
    text = puente_texts.text("release.after-release", [language], court=court)
    return Notice(text.offering("release.interpreter-offer"), text.language)
