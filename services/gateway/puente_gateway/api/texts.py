"""translationCoverage: per language, which messages of the catalogues it lacks. The figures
are `puente_texts.coverage()`, the same that `make i18n-coverage` prints."""

from __future__ import annotations

import puente_texts
import strawberry

__all__ = ["LanguageCoverage", "translation_coverage"]


@strawberry.type(description="How far one language (ISO 639-3) is translated.")
class LanguageCoverage:
    language: str
    translated: int
    total: int
    missing: list[str] = strawberry.field(description="The message ids it has no text for.")
    served_in: str | None = strawberry.field(
        description="For an Indigenous language without a catalogue: the language its readers "
        "get instead (Spanish), with the offer of an interpreter."
    )


def translation_coverage() -> list[LanguageCoverage]:
    return [
        LanguageCoverage(
            language=entry.language,
            translated=entry.translated,
            total=entry.total,
            missing=list(entry.missing),
            served_in=entry.served_in,
        )
        for entry in puente_texts.coverage()
    ]
