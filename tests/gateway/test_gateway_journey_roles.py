"""Every transport, processing and shelter field needs its role: any other role gets a clear
error, and a refused mutation sends nothing."""

from __future__ import annotations

from typing import Any

import pytest
from puente_gateway.roles import CASE_ROLES, DOCUMENT_ROLES, ISSUABLE, Role
from puente_schemas.common import PartnerKind

from .support import Harness

# field, operation, the roles that may call it
MUTATIONS: list[tuple[str, str, set[Role]]] = [
    (
        "checkIn",
        'mutation { checkIn(familyUnitId: "f-1", site: "brownsville") { status } }',
        {Role.PORT_OFFICER},
    ),
    (
        "recordDeparture",
        'mutation { recordDeparture(bookingId: "bk-1") { status } }',
        {Role.TRANSPORT_OPERATOR},
    ),
    (
        "reportDelay",
        'mutation { reportDelay(bookingId: "bk-1", delayMinutes: 90) { status } }',
        {Role.TRANSPORT_OPERATOR},
    ),
    (
        "reportMissedPickup",
        'mutation { reportMissedPickup(bookingId: "bk-1") { status } }',
        {Role.TRANSPORT_OPERATOR},
    ),
    (
        "completeProcessing",
        'mutation { completeProcessing(familyUnitId: "f-1") { status } }',
        {Role.PORT_OFFICER},
    ),
    (
        "releaseFamily",
        'mutation { releaseFamily(familyUnitId: "f-1") { status } }',
        {Role.PORT_OFFICER},
    ),
    (
        "requestAttorneyAccess",
        'mutation { requestAttorneyAccess(familyUnitId: "f-1") { status } }',
        {Role.LEGAL_PROVIDER},
    ),
    (
        "updateShelterCapacity",
        'mutation { updateShelterCapacity(shelterId: "casa", beds: 10) { status } }',
        {Role.SHELTER},
    ),
    (
        "confirmShelterArrival",
        'mutation { confirmShelterArrival(familyUnitId: "f-1") { status } }',
        {Role.SHELTER},
    ),
]
QUERIES: list[tuple[str, str, set[Role]]] = [
    (
        "bookings",
        'query { bookings(route: "matamoros--brownsville", date: "2021-02-22") { bookingId } }',
        {Role.TRANSPORT_OPERATOR},
    ),
    (
        "itinerary",
        'query { itinerary(familyUnitId: "f-1") { familyUnitId } }',
        set(CASE_ROLES),
    ),
    (
        "documents",
        'query { documents(familyUnitId: "f-1") { allReady } }',
        set(DOCUMENT_ROLES),
    ),
    (
        "arrivalsWithDocumentsNotReady",
        'query { arrivalsWithDocumentsNotReady(site: "brownsville") { familyUnitId } }',
        {Role.PORT_OFFICER},
    ),
    (
        "attorneyAccess",
        'query { attorneyAccess(familyUnitId: "f-1") { granted } }',
        {Role.PORT_OFFICER, Role.LEGAL_PROVIDER},
    ),
    (
        "processingTimes",
        'query { processingTimes(site: "brownsville") { site } }',
        {Role.PORT_OFFICER, Role.ANALYST},
    ),
    (
        "shelters",
        "query { shelters { id } }",
        {*CASE_ROLES, Role.ANALYST, Role.POLICY_OFFICER},
    ),
]


def refusal(field: str, allowed: set[Role]) -> str:
    names = " or ".join(sorted(role.value for role in allowed))
    return f"not authorised: {field} needs role {names}"


@pytest.mark.parametrize(
    ("field", "operation", "allowed"), MUTATIONS, ids=[m[0] for m in MUTATIONS]
)
async def test_a_field_mutation_is_refused_to_every_other_role_and_nothing_is_sent(
    harness: Harness, field: str, operation: str, allowed: set[Role]
) -> None:
    # An agency running the shelter and holding every other role.
    others = harness.context_for(*(ISSUABLE - allowed), kind=PartnerKind.DHS, shelter_id="casa")

    result = await harness.execute(operation, others)

    assert [e.message for e in result.errors or []] == [refusal(field, allowed)]
    assert result.data is None
    assert harness.staged_commands() == []


@pytest.mark.parametrize(("field", "operation", "allowed"), QUERIES, ids=[q[0] for q in QUERIES])
async def test_a_query_is_refused_to_every_other_role(
    harness: Harness, field: str, operation: str, allowed: set[Role]
) -> None:
    others: dict[str, Any] = harness.context_for(*(ISSUABLE - allowed), kind=PartnerKind.DHS)

    result = await harness.execute(operation, others)

    assert [e.message for e in result.errors or []] == [refusal(field, allowed)]


@pytest.mark.parametrize(("field", "operation", "allowed"), QUERIES, ids=[q[0] for q in QUERIES])
async def test_an_anonymous_caller_gets_none_of_them(
    harness: Harness, field: str, operation: str, allowed: set[Role]
) -> None:
    result = await harness.execute(operation, harness.anonymous)

    assert [e.message for e in result.errors or []] == ["authentication required"]
