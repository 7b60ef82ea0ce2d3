"""The published expedite criteria (DOMAIN.md, rule 3): written, public, the same for everyone.

A request names one criterion by id; the decision records its reason.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    description: str


EXPEDITE_CRITERIA: dict[str, Criterion] = {
    c.id: c
    for c in (
        Criterion(
            "urgent-medical",
            "Urgent medical need",
            "A member needs medical care that cannot safely wait for the family's place in line: "
            "pregnancy with complications, a chronic illness without treatment in Mexico, a "
            "serious injury or disability.",
        ),
        Criterion(
            "safety-threat",
            "Threat to safety",
            "A member has been kidnapped, assaulted, extorted or threatened where the family "
            "waits, or faces a specific, current danger there.",
        ),
        Criterion(
            "other-vulnerability",
            "Other vulnerability",
            "An unaccompanied child, a single parent with young children, an elderly person, "
            "LGBTQI+ people at risk, or another vulnerability described in the note.",
        ),
    )
}
