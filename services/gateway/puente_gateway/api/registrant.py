"""registrantStatus: a person with their registration code and a birth date learns their
family's status, place in line and estimated date, in their language, and nothing else.

A wrong birth date gets exactly the answer an unknown code gets, so the code cannot be
confirmed without the date. Lookups are limited per client address and per code.
"""

from __future__ import annotations

import datetime as dt

import strawberry
from sqlmodel import Session
from strawberry.types import Info

from puente_gateway import audit, codes, positions, projection, records
from puente_gateway.access import ANONYMOUS
from puente_gateway.api.permissions import engine, gateway, principal
from puente_gateway.api.queue import StandingEnum
from puente_gateway.standing import Standing, Status, message

TOO_MANY = "too many attempts, try again later"
NO_MATCH = Status(standing=Standing.NO_MATCH)


@strawberry.type(description="What a registrant may know of their own family, no more.")
class RegistrantStatus:
    standing: StandingEnum  # type: ignore[valid-type]
    language: str = strawberry.field(
        description="The language of `message`: the one asked for, or Spanish (`spa`) with a "
        "line saying an interpreter can help when there is no text in that language yet."
    )
    message: str
    place: int | None
    site: str | None
    estimated_date: dt.date | None = strawberry.field(description="An estimate: it can change.")
    appointment_at: dt.datetime | None


def _client(info: Info) -> str:
    """The caller's address as the server saw it (a proxy's, behind one: see ratelimit.py)."""
    request = info.context.get("request")
    client = getattr(request, "client", None)
    return f"address:{client.host}" if client else "address:unknown"


def _matches(session: Session, code_hash: str, birth_date: dt.date) -> tuple[str | None, bool]:
    """The family whose code this is (None: no family), and whether a member of it was born
    that day."""
    record = records.by_code_hash(session, code_hash)
    # The same reads whether the code is known or not, so timing tells little more than the
    # answer does (not constant-time: a lookup is a few database reads either way).
    view = projection.family(session, record.family_unit_id if record else "")
    if view is None or record is None:
        return None, False
    born = {member.get("birth_date") for member in view.members}
    return view.id, birth_date.isoformat() in born


def registrant_status(
    info: Info, code: str, birth_date: dt.date, language: str = "spa"
) -> RegistrantStatus:
    gateway_ = gateway(info)
    code_hash = codes.code_hash(code, gateway_.code_key)
    if not gateway_.lookups.allow(_client(info), "code:" + code_hash):
        raise ValueError(TOO_MANY)
    with Session(engine(info)) as session:
        family_unit_id, born = _matches(session, code_hash, birth_date)
        status = positions.status_of(session, family_unit_id) if family_unit_id and born else None
    if family_unit_id and (status or not born):  # a wrong birth date is a refused lookup
        audit.record(
            engine(info),
            principal(info) or ANONYMOUS,
            [family_unit_id],
            operation="registrantStatus",
            outcome=audit.READ if born else audit.REFUSED,
            now=gateway_.clock.now(),
        )
    return _answer(status or NO_MATCH, language.strip().lower())


def _answer(status: Status, language: str) -> RegistrantStatus:
    used, text = message(status, language)
    return RegistrantStatus(
        standing=status.standing,
        language=used,
        message=text,
        place=status.place,
        site=status.site_name,
        estimated_date=status.estimated_date,
        appointment_at=status.appointment_at,
    )
