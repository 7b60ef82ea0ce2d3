"""The catalogues, the fallback chain and the coverage of each language."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

SOURCE = "eng"  # the catalogue every other one translates: its ids are all the messages
FALLBACK = ("spa", "eng")  # after a reader's own languages, in this order

# Indigenous languages of the MPP caseload (ISO 639-3) and their names. None has a catalogue:
# by rule its reader is answered in Spanish with the offer of an interpreter.
INDIGENOUS: dict[str, str] = {
    "mam": "Mam",
    "quc": "K'iche'",
    "kek": "Q'eqchi'",
    "cak": "Kaqchikel",
    "kjb": "Q'anjob'al",
    "ixl": "Ixil",
    "acr": "Achi",
    "tzh": "Tseltal",
    "tzo": "Tsotsil",
    "nhe": "Náhuatl",
    "zap": "Zapoteco",
    "mix": "Mixteco",
    "miq": "Miskito",
    "cab": "Garífuna",
    "knj": "akateko",
    "cac": "chuj",
}
# Other languages of the caseload, named in Spanish: the offer of an interpreter is only ever
# made in Spanish (it comes with a Spanish text).
SPANISH_NAMES: dict[str, str] = {
    "eng": "inglés",
    "por": "portugués",
    "fra": "francés",
    "hat": "criollo haitiano",
    "arb": "árabe",
    "rus": "ruso",
    "tur": "turco",
    "ben": "bengalí",
    "hin": "hindi",
    "cmn": "chino mandarín",
}


@dataclass(frozen=True)
class Text:
    """A message as a reader gets it: its words, their language, and the Indigenous language
    an interpreter is offered in when the reader's own had no catalogue."""

    language: str
    string: str
    interpreter_for: str | None = None

    def offering(self, offer_id: str) -> str:
        """The words, and when the reader's own language had none, the offer of an
        interpreter in it: message `offer_id` (its `{language}` the language's name)."""
        if self.interpreter_for is None:
            return self.string
        offer = render(offer_id, self.language, language=language_name(self.interpreter_for))
        return f"{self.string}\n{offer}"


@dataclass(frozen=True)
class Coverage:
    """How far one language is translated: the message ids it lacks, or, for an Indigenous
    language, the language it is served in instead."""

    language: str
    translated: int
    total: int
    missing: tuple[str, ...]
    served_in: str | None = None


@functools.cache
def _catalogues() -> dict[str, Catalog]:
    folder = resources.files(__package__)
    found = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".po"):
            with entry.open("rb") as po:
                found[entry.name.removesuffix(".po")] = read_po(po)
    return found


def languages() -> tuple[str, ...]:
    """The languages with a catalogue."""
    return tuple(sorted(_catalogues()))


def chain(preferred: Sequence[str]) -> tuple[str, ...]:
    """The languages tried in order: the reader's own, then the fallback, each once."""
    return tuple(dict.fromkeys([*preferred, *FALLBACK]))


def _translation(language: str, message_id: str) -> str | None:
    catalogue = _catalogues().get(language)
    message = catalogue.get(message_id) if catalogue is not None else None
    return message.string if message is not None and message.string else None  # type: ignore[return-value]


def render(message_id: str, language: str, /, **params: object) -> str:
    """The message in `language` (which must have it), its `{name}` parameters filled."""
    template = _translation(language, message_id)
    if template is None:
        raise KeyError(f"no message {message_id!r} in the {language} catalogue")
    return template.format(**params)


def language_name(language: str) -> str:
    """A language's name in Spanish (its code when it has none here)."""
    return INDIGENOUS.get(language) or SPANISH_NAMES.get(language) or language


def choose(message_id: str, preferred: Sequence[str]) -> tuple[str, str | None]:
    """The first language of the chain that has the message, and, when Spanish answers, the
    language an interpreter is offered in (`interpreter_for`)."""
    order = chain(preferred)
    for index, language in enumerate(order):
        if _translation(language, message_id) is not None:
            offered = interpreter_for(order[:index], preferred) if language == "spa" else None
            return language, offered
    raise KeyError(f"no message {message_id!r} in any catalogue")


def interpreter_for(skipped: Sequence[str], preferred: Sequence[str]) -> str | None:
    """Who is offered an interpreter with a Spanish text: a reader of an Indigenous language,
    always; a reader of another language that had no text, unless they read Spanish too."""
    indigenous = [language for language in skipped if language in INDIGENOUS]
    others = [language for language in skipped if language and "spa" not in preferred]
    return next(iter(indigenous + others), None)


def text(message_id: str, preferred: Sequence[str], /, **params: object) -> Text:
    """The message in the first language of the chain that has it."""
    language, interpreter_for = choose(message_id, preferred)
    return Text(language, render(message_id, language, **params), interpreter_for)


def coverage(extra: Sequence[str] = tuple(INDIGENOUS)) -> list[Coverage]:
    """Per language (every catalogue, and `extra` languages without one), the message ids of
    the source catalogue it lacks."""
    ids = tuple(sorted(str(m.id) for m in _catalogues()[SOURCE] if m.id))
    report = []
    for language in dict.fromkeys([*languages(), *extra]):
        missing = tuple(i for i in ids if _translation(language, i) is None)
        served_in = "spa" if language in INDIGENOUS and language not in _catalogues() else None
        report.append(Coverage(language, len(ids) - len(missing), len(ids), missing, served_in))
    return report
