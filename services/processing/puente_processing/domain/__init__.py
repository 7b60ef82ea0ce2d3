"""Processing rules, pure (no I/O, no clock: time is passed in): the documents each person
needs and when they are ready, the court nearest the destination, the shelter that expects
the family, the target time per site, attorney access, and what refuses each step."""

from puente_processing.domain.cities import find_city
from puente_processing.domain.courts import COURTS, Court, nearest_court
from puente_processing.domain.documents import (
    COURT_TRANSFER,
    MOTION_TO_REOPEN,
    MOTION_TO_RESCIND,
    NEW_NTA,
    PAROLE,
    Document,
    documents_for,
)
from puente_processing.domain.release_notice import after_release, family_language
from puente_processing.domain.shelters import SHELTERS, Shelter, choose_shelter
from puente_processing.domain.steps import STEPS, OutOfOrder, advance
from puente_processing.domain.targets import target_hours

__all__ = [
    "COURTS",
    "COURT_TRANSFER",
    "MOTION_TO_REOPEN",
    "MOTION_TO_RESCIND",
    "NEW_NTA",
    "PAROLE",
    "SHELTERS",
    "STEPS",
    "Court",
    "Document",
    "OutOfOrder",
    "Shelter",
    "advance",
    "after_release",
    "choose_shelter",
    "documents_for",
    "family_language",
    "find_city",
    "nearest_court",
    "target_hours",
]
