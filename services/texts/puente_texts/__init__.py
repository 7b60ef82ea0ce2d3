"""Puente's texts: every message a person or partner reads, from gettext catalogues (one `.po`
file per language, read with Babel), chosen along a fallback chain of languages.

A caller asks for a message by id and parameters, in the languages its reader prefers (ISO
639-3, preferred first). The chain is those languages in order, then Spanish, then English;
the first with a catalogue answers. An Indigenous language has no catalogue by rule: its
reader gets Spanish with the offer of an interpreter (so does the reader of another language
without the text who does not read Spanish: `Text.offering`). Imported by services,
never run alone (except `python -m puente_texts` for the coverage report).
"""

from puente_texts.catalogues import (
    FALLBACK,
    INDIGENOUS,
    SPANISH_NAMES,
    Coverage,
    Text,
    chain,
    choose,
    coverage,
    language_name,
    languages,
    render,
    text,
)

__all__ = [
    "FALLBACK",
    "INDIGENOUS",
    "SPANISH_NAMES",
    "Coverage",
    "Text",
    "chain",
    "choose",
    "coverage",
    "language_name",
    "languages",
    "render",
    "text",
]
