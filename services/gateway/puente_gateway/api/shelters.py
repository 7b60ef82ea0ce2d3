"""Shelters: beds, free beds and services for everyone who coordinates; the families a shelter
expects (size, languages, interpreter, needs, when: never a name or legal history) only for
the organisation that runs it, which also updates its capacity and confirms arrivals.

A shelter organisation runs the shelter named when an admin created it
(`createOrganisation(shelterId:)`); its tokens act for that shelter only.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry
from puente_schemas import commands
from sqlmodel import Session
from strawberry.types import Info

from puente_gateway import sheltering
from puente_gateway.access import Principal
from puente_gateway.api.permissions import (
    NOT_AUTHORISED,
    audit_read,
    decide,
    engine,
    principal,
    refuse,
)
from puente_gateway.api.sending import send
from puente_gateway.api.types import CommandAnswer
from puente_gateway.tables import ShelterArrival, ShelterRow


@strawberry.enum
class ArrivalStatus(Enum):
    EXPECTED = "expected"
    RELEASED = "released"
    ARRIVED = "arrived"


@strawberry.type(description="A family a shelter expects: never a name or legal history.")
class ExpectedArrival:
    family_unit_id: strawberry.ID
    site: str = strawberry.field(description="The port the family is released from.")
    expected_at: dt.datetime
    people: int
    languages: list[str]
    needs_interpreter: bool
    needs: list[str]
    status: ArrivalStatus = strawberry.field(
        description="EXPECTED, RELEASED (on its way) or ARRIVED (confirmed)."
    )
    released_at: dt.datetime | None
    confirmed_at: dt.datetime | None


def _arrival(row: ShelterArrival) -> ExpectedArrival:
    return ExpectedArrival(
        family_unit_id=strawberry.ID(row.family_unit_id),
        site=row.site,
        expected_at=row.expected_at,
        people=row.people,
        languages=list(row.languages),
        needs_interpreter=row.needs_interpreter,
        needs=list(row.needs),
        status=ArrivalStatus(row.status),
        released_at=row.released_at,
        confirmed_at=row.confirmed_at,
    )


def _own(info: Info, shelter_id: str) -> Principal:
    """The caller's organisation runs this shelter, or the request is refused."""
    caller = principal(info)
    if caller is None or caller.shelter_id is None or caller.shelter_id != shelter_id:
        raise refuse(f"{NOT_AUTHORISED}: only the organisation running shelter {shelter_id}")
    return caller


def _expected_arrivals(
    root: strawberry.Parent[Shelter], info: Info, include_arrived: bool = False
) -> list[ExpectedArrival]:
    caller = _own(info, root.id)
    statuses = [sheltering.EXPECTED, sheltering.RELEASED]
    if include_arrived:
        statuses.append(sheltering.ARRIVED)
    with Session(engine(info)) as session:
        rows = sheltering.arrivals(session, root.id, statuses)
    audit_read(info, caller, [row.family_unit_id for row in rows], allowed=True)
    return [_arrival(row) for row in rows]


@strawberry.type
class Shelter:
    id: strawberry.ID
    name: str
    city: str
    latitude: float
    longitude: float
    beds: int
    beds_free: int
    services: list[str] = strawberry.field(
        description="e.g. food, medical, mental_health, onward_travel."
    )
    updated_at: dt.datetime
    expected_families: int = strawberry.field(
        description="Families expected or on their way, not yet arrived (a count: no one named)."
    )
    expected_people: int
    expected_arrivals: list[ExpectedArrival] = strawberry.field(
        resolver=_expected_arrivals,
        description="The families coming (and, with includeArrived, come) to this shelter, "
        "soonest first: only for the organisation running it. Audited.",
    )


def _shelter(row: ShelterRow, expected: tuple[int, int]) -> Shelter:
    return Shelter(
        id=strawberry.ID(row.id),
        name=row.name,
        city=row.city,
        latitude=row.latitude,
        longitude=row.longitude,
        beds=row.beds,
        beds_free=row.beds_free,
        services=list(row.services),
        updated_at=row.updated_at,
        expected_families=expected[0],
        expected_people=expected[1],
    )


def shelters(info: Info, id: strawberry.ID | None = None) -> list[Shelter]:
    """Every shelter (or the one named), by id."""
    with Session(engine(info)) as session:
        expected = sheltering.expected_counts(session)
        return [
            _shelter(row, expected.get(row.id, (0, 0))) for row in sheltering.shelters(session, id)
        ]


async def update_shelter_capacity(
    info: Info, shelter_id: strawberry.ID, beds: int
) -> CommandAnswer:
    _own(info, shelter_id)
    if beds < 0:
        raise ValueError(f"beds: cannot be negative (got {beds})")
    command = commands.UpdateShelterCapacity(shelter_id=shelter_id, beds=beds)
    answer, _ = await send(info, command, accepted=frozenset({"shelter-updated"}))
    return answer


async def confirm_shelter_arrival(info: Info, family_unit_id: strawberry.ID) -> CommandAnswer:
    """The caller's organisation confirms that a family its shelter expected has arrived."""
    caller = principal(info)
    if caller is None or caller.shelter_id is None:
        raise refuse(f"{NOT_AUTHORISED}: your organisation runs no shelter")
    with Session(engine(info)) as session:
        shelter_id = sheltering.assigned_shelter(session, family_unit_id)
    refused = f"{NOT_AUTHORISED}: family {family_unit_id} is not expected at your shelter"
    decide(info, family_unit_id, None if shelter_id == caller.shelter_id else refused)
    command = commands.ConfirmShelterArrival(
        family_unit_id=family_unit_id, shelter_id=caller.shelter_id
    )
    answer, _ = await send(info, command, accepted=frozenset({"shelter-arrival-confirmed"}))
    return answer
