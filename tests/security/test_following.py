"""Issue 8, item 3: each case role follows only the families it has a reason to."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from puente_gateway.roles import Role
from puente_gateway.schema import schema
from puente_schemas.common import PartnerKind
from puente_schemas.events import CallbackBooked, ExpediteDecided, ExpediteRequested

from tests.gateway.support import T0, Harness, booked, registered, scheduled

FAMILY = "query ($id: ID!) { familyUnit(id: $id) { stage timeline { type } } }"
QUEUE = "query ($id: ID!) { queuePosition(familyUnitId: $id) { standing } }"
ITINERARY = "query ($id: ID!) { itinerary(familyUnitId: $id) { familyUnitId } }"
EVENTS = "subscription { familyEvents { familyUnitId type } }"
VALLEY = frozenset({"matamoros--brownsville"})


def partner(harness: Harness, role: Role, **more: Any) -> dict[str, Any]:
    """A partner of `role` that has nothing to do with the families below."""
    kinds = {
        Role.LEGAL_PROVIDER: PartnerKind.LEGAL_PROVIDER,
        Role.HOTLINE_OPERATOR: PartnerKind.HOTLINE,
        Role.TRANSPORT_OPERATOR: PartnerKind.IOM,
        Role.SHELTER: PartnerKind.SHELTER,
    }
    return harness.context_for(
        role, kind=kinds.get(role, PartnerKind.UNHCR), organisation_id=f"org-{role}", **more
    )


STRANGERS = {
    Role.REGISTRAR: {},
    Role.HOTLINE_OPERATOR: {},
    Role.LEGAL_PROVIDER: {},
    Role.EXPEDITE_DECIDER: {},
    Role.TRANSPORT_OPERATOR: {"routes": {"hermosillo--nogales"}},
    Role.SHELTER: {"shelter_id": "casa-elsewhere"},
    Role.PORT_OFFICER: {"sites": {"nogales"}},
}


async def a_booked_family(harness: Harness, **registration: Any) -> str:
    fid = str(uuid.uuid4())
    await harness.publish_all(registered(fid, **registration))
    await harness.publish_all(scheduled(fid))
    await harness.publish_all(booked(fid, f"bk-{fid}"))
    return fid


@pytest.mark.parametrize("role", list(STRANGERS), ids=str)
@pytest.mark.parametrize("query", [FAMILY, QUEUE, ITINERARY], ids=["family", "queue", "itinerary"])
async def test_a_case_role_with_no_reason_does_not_follow_the_family(
    harness: Harness, role: Role, query: str
) -> None:
    fid = await a_booked_family(harness, organisation_id="org-someone-else")

    result = await harness.execute(query, partner(harness, role, **STRANGERS[role]), id=fid)

    assert [e.message for e in result.errors or []] == [
        f"not authorised: family {fid} is not visible to you"
    ]
    assert result.data is None or set(result.data.values()) == {None}


async def test_each_role_follows_the_families_it_has_a_reason_to(harness: Harness) -> None:
    client = await a_booked_family(harness, organisation_id="org-legal_provider")
    called = await a_booked_family(harness, organisation_id="org-elsewhere")
    urgent = await a_booked_family(harness, organisation_id="org-elsewhere")
    await harness.publish_all(
        CallbackBooked(callback_id="c-1", family_unit_id=called, due_at=T0, operator="test"),
        ExpediteRequested(
            request_id="r-1",
            family_unit_id=urgent,
            criterion="urgent-medical",
            note="insulin",
            requested_by="org-elsewhere",
            requested_at=T0,
        ),
    )
    follows = {
        Role.LEGAL_PROVIDER: {client},
        Role.HOTLINE_OPERATOR: {called},
        Role.EXPEDITE_DECIDER: {urgent},
        Role.TRANSPORT_OPERATOR: {client, called, urgent},  # all three ride its route
        Role.REGISTRAR: set(),
    }
    for role, expected in follows.items():
        context = partner(harness, role, routes=VALLEY if role is Role.TRANSPORT_OPERATOR else ())
        seen = set()
        for fid in (client, called, urgent):
            result = await harness.execute(FAMILY, context, id=fid)
            if result.errors is None:
                seen.add(fid)
        assert seen == expected, role
    agency = harness.context_for(Role.REGISTRAR, kind=PartnerKind.DOJ)
    for fid in (client, called, urgent):
        assert (await harness.execute(FAMILY, agency, id=fid)).errors is None


async def test_a_decider_follows_what_it_decided_but_no_longer_pending_requests_of_others(
    harness: Harness,
) -> None:
    fid = await a_booked_family(harness, organisation_id="org-elsewhere")
    request = ExpediteRequested(
        request_id="r-2",
        family_unit_id=fid,
        criterion="urgent-medical",
        note="dialysis",
        requested_by="org-elsewhere",
        requested_at=T0,
    )
    decided = ExpediteDecided(
        family_unit_id=fid,
        request_id="r-2",
        criterion="urgent-medical",
        granted=True,
        reason="seen",
        decided_by=["org-expedite_decider"],
        decided_at=T0,
    )
    await harness.publish_all(request, decided)
    decider = partner(harness, Role.EXPEDITE_DECIDER)
    other = harness.context_for(Role.EXPEDITE_DECIDER, kind=PartnerKind.UNHCR)

    assert (await harness.execute(FAMILY, decider, id=fid)).errors is None
    assert (await harness.execute(FAMILY, other, id=fid)).errors is not None


async def test_transport_sees_only_the_journey_of_families_on_its_routes(harness: Harness) -> None:
    ours = await a_booked_family(harness, organisation_id="org-elsewhere")
    theirs = await a_booked_family(harness, organisation_id="org-elsewhere")
    await harness.publish_all(booked(theirs, "bk-n", site="nogales"))  # matamoros--nogales
    await harness.publish_all(
        ExpediteRequested(
            request_id="r-3",
            family_unit_id=ours,
            criterion="urgent-medical",
            note="insulin",
            requested_by="org-elsewhere",
            requested_at=T0,
        )
    )
    operator = partner(harness, Role.TRANSPORT_OPERATOR, routes={"matamoros--nogales"})

    result = await harness.execute(FAMILY, operator, id=theirs)
    assert result.errors is None and result.data is not None
    assert "expedite-requested" not in str(result.data)
    stream = await schema.subscribe(EVENTS, context_value=operator)
    seen = []
    async for answer in stream:  # type: ignore[union-attr]
        assert answer.errors is None, answer.errors
        seen.append(
            (answer.data["familyEvents"]["familyUnitId"], answer.data["familyEvents"]["type"])
        )
        if len(seen) == 4:
            break
    await stream.aclose()  # type: ignore[union-attr]
    assert {fid for fid, _ in seen} == {theirs}
    assert [kind for _, kind in seen] == [
        "registered",
        "scheduled",
        "transport-booked",
        "transport-booked",
    ]


async def test_familyevents_without_an_id_streams_only_the_followed_families(
    harness: Harness,
) -> None:
    mine = await a_booked_family(harness, organisation_id="org-legal_provider")
    await a_booked_family(harness, organisation_id="org-elsewhere")
    lawyer = partner(harness, Role.LEGAL_PROVIDER)

    stream = await schema.subscribe(EVENTS, context_value=lawyer)
    seen = [(await anext(stream)).data["familyEvents"]["familyUnitId"] for _ in range(3)]  # type: ignore[arg-type, index]
    await stream.aclose()  # type: ignore[union-attr]

    assert seen == [mine, mine, mine]


async def test_analysts_get_processing_aggregates_without_family_ids(harness: Harness) -> None:
    query = '{ processingTimes(site: "brownsville") { families perFamily { familyUnitId } } }'

    result = await harness.execute(query, harness.context_for(Role.ANALYST))

    assert [e.message for e in result.errors or []] == [
        "not authorised: per family only for a port officer at the site"
    ]


async def test_a_transport_operator_acts_only_on_bookings_on_its_routes(harness: Harness) -> None:
    fid = await a_booked_family(harness, organisation_id="org-elsewhere")
    depart = "mutation ($b: ID!) { recordDeparture(bookingId: $b) { status } }"
    listing = 'query ($r: String) { bookings(date: "2021-02-21", route: $r) { bookingId } }'
    elsewhere = partner(harness, Role.TRANSPORT_OPERATOR, routes={"hermosillo--nogales"})

    refused = await harness.execute(depart, elsewhere, b=f"bk-{fid}")
    other_route = await harness.execute(listing, elsewhere, r="matamoros--brownsville")
    own_routes = await harness.execute(listing, elsewhere)

    assert [e.message for e in refused.errors or []] == ["not your route: matamoros--brownsville"]
    assert [e.message for e in other_route.errors or []] == [
        "not your route: matamoros--brownsville"
    ]
    assert own_routes.data == {"bookings": []}
    assert harness.staged_commands() == []


async def test_a_transport_token_names_its_routes(harness: Harness) -> None:
    issue = (
        "mutation ($o: ID!, $routes: [String!]) { issueToken(organisationId: $o,"
        " roles: [TRANSPORT_OPERATOR], routes: $routes) { info { routes } } }"
    )
    _, organisation = harness.token(Role.SHELTER, kind=PartnerKind.IOM)
    admin = harness.context_for(Role.ADMIN)

    without = await harness.execute(issue, admin, o=organisation, routes=[])
    named = await harness.execute(issue, admin, o=organisation, routes=["matamoros--brownsville"])

    assert [e.message for e in without.errors or []] == [
        "routes: a transport_operator token must name at least one route it serves"
    ]
    assert named.data == {"issueToken": {"info": {"routes": ["matamoros--brownsville"]}}}
