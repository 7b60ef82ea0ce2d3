"""Puente's texts: every message a person or partner reads, from gettext catalogues (one `.po`
file per language, read with Babel), chosen along a fallback chain of languages.

A caller asks for a message by id and parameters, in the languages its reader prefers (ISO
639-3, preferred first). The chain is those languages in order, then Spanish, then English;
the first with a catalogue answers. An Indigenous language has no catalogue by rule: its
reader gets Spanish with the offer of an interpreter. Imported by services, never run alone
(except `python -m puente_texts` for the coverage report).
"""

from puente_texts.catalogues import (
    FALLBACK,
    INDIGENOUS,
    Coverage,
    Text,
    chain,
    choose,
    coverage,
    languages,
    render,
    text,
)

__all__ = [
    "FALLBACK",
    "INDIGENOUS",
    "Coverage",
    "Text",
    "chain",
    "choose",
    "coverage",
    "languages",
    "render",
    "text",
]
