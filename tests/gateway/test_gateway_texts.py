"""translationCoverage: per language, the messages its catalogue lacks, the same figures as
`make i18n-coverage` (puente_texts.coverage), for admins and policy officers."""

from __future__ import annotations

from collections.abc import Iterator

import puente_texts
import pytest
from puente_gateway.roles import ISSUABLE, Role
from puente_schemas.common import PartnerKind
from puente_texts.catalogues import SOURCE, _catalogues

from .support import Harness

COVERAGE = "{ translationCoverage { language translated total missing servedIn } }"


@pytest.fixture
def untranslated() -> Iterator[str]:
    """A message only the English catalogue has, for as long as the test runs."""
    catalogue = _catalogues()[SOURCE]
    catalogue.add("test.untranslated", "Only in English")
    yield "test.untranslated"
    catalogue.delete("test.untranslated")


async def test_a_message_missing_in_spanish_shows_in_its_coverage(
    harness: Harness, untranslated: str
) -> None:
    officer = harness.context_for(Role.POLICY_OFFICER, kind=PartnerKind.DHS)

    read = await harness.execute(COVERAGE, officer)

    assert read.errors is None and read.data is not None
    report = {entry["language"]: entry for entry in read.data["translationCoverage"]}
    assert report["spa"]["missing"] == [untranslated]
    assert report["spa"]["translated"] == report["spa"]["total"] - 1
    assert report["eng"]["missing"] == [] and report["eng"]["servedIn"] is None
    assert report["mam"]["servedIn"] == "spa" and report["mam"]["translated"] == 0
    assert [
        (e.language, e.translated, e.total, list(e.missing), e.served_in)
        for e in puente_texts.coverage()
    ] == [
        (e["language"], e["translated"], e["total"], e["missing"], e["servedIn"])
        for e in read.data["translationCoverage"]
    ]


async def test_only_admins_and_policy_officers_read_the_coverage(harness: Harness) -> None:
    admin = harness.context_for(Role.ADMIN, kind=PartnerKind.UNHCR)
    others = harness.context_for(*(ISSUABLE - {Role.ADMIN, Role.POLICY_OFFICER}))

    read = await harness.execute(COVERAGE, admin)
    refused = await harness.execute(COVERAGE, others)

    assert read.errors is None and read.data is not None
    assert {e["language"] for e in read.data["translationCoverage"]} >= {"eng", "spa", "mam"}
    assert [e.message for e in refused.errors or []] == [
        "not authorised: translationCoverage needs role admin or policy_officer"
    ]
    assert refused.data is None
