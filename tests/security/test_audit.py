"""Issue 8, item 4: every permission decision is in the audit log, true and with ids only."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from puente_gateway import audit
from puente_gateway.codes import code_hash
from puente_gateway.roles import Role
from puente_gateway.schema import schema
from puente_schemas.common import PartnerKind

from tests.gateway.support import (
    T0,
    Harness,
    booked,
    registered,
    scheduled,
    shelter_assigned,
)
from tests.gateway.test_gateway_journey_processing import at_the_port, processed, released

CODE = "k7m2-pq9x-rt4w"


def decisions(harness: Harness, family: str | None = None, token: str | None = None) -> list[Any]:
    rows = audit.entries(harness.gateway.service.engine, family, token)
    return [(row.operation, row.outcome) for row in rows]


async def a_family(harness: Harness, **registration: Any) -> str:
    fid = str(uuid.uuid4())
    await harness.publish_all(registered(fid, **registration))
    await harness.publish_all(scheduled(fid))
    await harness.publish_all(booked(fid, f"bk-{fid}"))
    return fid


async def test_refusals_by_role_are_logged_with_the_family_or_without(harness: Harness) -> None:
    fid = await a_family(harness)
    analyst = harness.context_for(Role.ANALYST)

    await harness.execute("query ($id: ID!) { familyUnit(id: $id) { stage } }", analyst, id=fid)
    await harness.execute('{ bookings(date: "2021-02-21") { bookingId } }', analyst)

    assert decisions(harness, fid) == [("familyUnit", "refused")]
    token = analyst["principal"].token_id
    assert decisions(harness, token=token) == [("familyUnit", "refused"), ("bookings", "refused")]


async def test_refused_queue_position_itinerary_and_subscription_are_logged(
    harness: Harness,
) -> None:
    fid = await a_family(harness, organisation_id="org-elsewhere")
    stranger = harness.context_for(
        Role.LEGAL_PROVIDER, kind=PartnerKind.LEGAL_PROVIDER, organisation_id="org-lawyers"
    )

    await harness.execute(
        "query ($id: ID!) { queuePosition(familyUnitId: $id) { standing } }", stranger, id=fid
    )
    await harness.execute(
        "query ($id: ID!) { itinerary(familyUnitId: $id) { familyUnitId } }", stranger, id=fid
    )
    stream = await schema.subscribe(
        "subscription ($id: ID) { familyEvents(familyUnitId: $id) { type } }",
        variable_values={"id": fid},
        context_value=stranger,
    )
    refused = stream if hasattr(stream, "errors") else await anext(stream)  # type: ignore[arg-type]

    assert [e.message for e in refused.errors] == [
        f"not authorised: family {fid} is not visible to you"
    ]
    assert decisions(harness, fid) == [
        ("queuePosition", "refused"),
        ("itinerary", "refused"),
        ("familyEvents", "refused"),
    ]


async def test_refused_mutations_are_logged(harness: Harness) -> None:
    fid = await a_family(harness, organisation_id="org-elsewhere")
    elsewhere = harness.context_for(Role.PORT_OFFICER, kind=PartnerKind.DHS, sites={"nogales"})
    registrar = harness.context_for(Role.REGISTRAR, kind=PartnerKind.UNHCR)

    site = await harness.execute(
        'mutation ($id: ID!) { checkIn(familyUnitId: $id, site: "brownsville") { status } }',
        elsewhere,
        id=fid,
    )
    visible = await harness.execute(
        "mutation ($id: ID!) { updateLocation(familyUnitId: $id,"
        ' location: {city: "Reynosa", country: "MX"}) { status } }',
        registrar,
        id=fid,
    )

    assert [e.message for e in site.errors or []] == ["not your site: brownsville"]
    assert [e.message for e in visible.errors or []] == [
        f"not authorised: family {fid} is not visible to you"
    ]
    assert decisions(harness, fid) == [("checkIn", "refused"), ("updateLocation", "refused")]
    assert harness.staged_commands() == []


async def test_a_wrong_birth_date_lookup_is_logged_as_refused(harness: Harness) -> None:
    fid = str(uuid.uuid4())
    hashed = code_hash(CODE, harness.gateway.code_key)
    await harness.publish_all(registered(fid, registration_code_hash=hashed))
    lookup = (
        "query ($code: String!, $born: Date!)"
        " { registrantStatus(code: $code, birthDate: $born) { standing } }"
    )

    wrong = await harness.execute(lookup, harness.anonymous, code=CODE, born="1991-01-01")
    right = await harness.execute(lookup, harness.anonymous, code=CODE, born="1990-05-01")

    assert wrong.data == {"registrantStatus": {"standing": "NO_MATCH"}}
    assert right.errors is None
    assert decisions(harness, fid) == [
        ("registrantStatus", "refused"),
        ("registrantStatus", "read"),
    ]


async def test_a_shelter_refused_court_fields_is_logged_as_refused_not_read(
    harness: Harness,
) -> None:
    fid = str(uuid.uuid4())
    await at_the_port(harness, fid, T0, organisation_id="org-hotline", consent=["shelter"])
    await harness.publish_all(shelter_assigned(fid, "casa"))
    await harness.publish_all(processed(fid, T0 + dt.timedelta(hours=2)))
    await harness.publish_all(released(fid, T0 + dt.timedelta(hours=3)))
    shelter = harness.context_for(Role.SHELTER, kind=PartnerKind.SHELTER, shelter_id="casa")

    result = await harness.execute(
        "query ($id: ID!) { itinerary(familyUnitId: $id) { release { destination court } } }",
        shelter,
        id=fid,
    )

    assert result.data is not None
    assert result.data["itinerary"]["release"] == {"destination": "Shelter casa", "court": None}
    assert decisions(harness, fid) == [
        ("itinerary", "read"),
        ("itinerary.destination", "read"),
        ("itinerary.court", "refused"),
    ]
    for row in audit.entries(harness.gateway.service.engine, fid):
        for personal in ("Ana", "Lopez", "1990-05-01", "A123456789", "Shelter casa", "Houston"):
            assert personal not in str(row.model_dump())
