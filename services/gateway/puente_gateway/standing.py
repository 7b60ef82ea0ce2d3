"""Where a family stands, from what the read model knows, and how to tell the registrant:
pure functions shared by queuePosition and registrantStatus. The words are messages of the
catalogues (`puente_texts`, ids `registrant.*`); dates are written YYYY-MM-DD in every
language, so no month name needs translating."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import puente_texts

__all__ = ["Standing", "Status", "message", "standing"]


class Standing(StrEnum):
    NO_MATCH = "no_match"
    REGISTERED = "registered"
    WAITING_FOR_ELIGIBILITY = "waiting_for_eligibility"
    WAITING = "waiting"
    SCHEDULED = "scheduled"
    TRAVELLING = "travelling"
    AT_PORT = "at_port"
    RELEASED = "released"
    COURT_TRANSFER = "court_transfer"


_BY_STAGE = {
    "RELEASED": Standing.RELEASED,
    "PROCESSED": Standing.AT_PORT,
    "ARRIVED": Standing.AT_PORT,
    "TRANSPORT_BOOKED": Standing.TRAVELLING,
}


def standing(
    *, stage: str, has_appointment: bool, inside_us: bool, waiting: bool, eligible: bool
) -> Standing:
    if stage in _BY_STAGE:
        return _BY_STAGE[stage]
    if stage == "SCHEDULED" and has_appointment:
        return Standing.SCHEDULED
    if inside_us:
        return Standing.COURT_TRANSFER
    if waiting and not eligible:
        return Standing.WAITING_FOR_ELIGIBILITY
    if waiting:
        return Standing.WAITING
    return Standing.REGISTERED


@dataclass(frozen=True)
class Status:
    standing: Standing
    place: int | None = None
    site: str | None = None
    site_name: str | None = None
    estimated_date: dt.date | None = None
    appointment_at: dt.datetime | None = None


def message(status: Status, language: str) -> tuple[str, str]:
    """(the language used, the text): the requested one if its catalogue has the text, else
    Spanish with a line saying an interpreter can help (the catalogues' fallback chain)."""
    name = status.standing.value
    if status.standing is Standing.WAITING and status.estimated_date is None:
        name = "waiting_no_estimate"
    day = status.appointment_at.date() if status.appointment_at else status.estimated_date
    text = puente_texts.text(
        "registrant." + name.replace("_", "-"),
        [language],
        place=status.place,
        site=status.site_name or status.site,
        date=day.isoformat() if day else "",
    )
    return text.language, text.offering("registrant.interpreter-offer")
