"""Shelters in the gateway: beds and services for coordinators; the families a shelter
expects (size, languages, needs: never a name or legal history) only for the organisation
running it, which updates its own capacity and confirms arrivals; and a shelter follows only
the families coming to it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

from puente_gateway.auth import authenticate
from puente_gateway.roles import Role
from puente_gateway.schema import schema
from puente_schemas import Envelope
from puente_schemas.common import PartnerKind
from puente_schemas.events import (
    ArrivedAtPort,
    CheckedIn,
    CourtAssigned,
    Event,
    Processed,
    Released,
    ScheduleCancelled,
    ShelterArrivalConfirmed,
    ShelterAssignmentWithdrawn,
)
from puente_schemas.topics import PROCESSING_COMMANDS

from .support import (
    T0,
    Harness,
    answer_commands,
    booked,
    registered,
    scheduled,
    shelter_assigned,
    shelter_updated,
)

CASA = "casa"
SHELTERS = """
query ($id: ID, $arrived: Boolean! = false) {
  shelters(id: $id) {
    id name beds bedsFree services
    expectedArrivals(includeArrived: $arrived) {
      familyUnitId site expectedAt people languages needsInterpreter needs status
    }
  }
}
"""
BEDS = "query { shelters { id beds bedsFree services } }"
CAPACITY = """
mutation ($shelter: ID!, $beds: Int!) {
  updateShelterCapacity(shelterId: $shelter, beds: $beds) { status outcome }
}
"""
CONFIRM = """
mutation ($id: ID!) { confirmShelterArrival(familyUnitId: $id) { status outcome } }
"""


def casa(harness: Harness) -> dict[str, Any]:
    return harness.context_for(Role.SHELTER, kind=PartnerKind.SHELTER, shelter_id=CASA)


async def expected(harness: Harness, *, shelter_id: str = CASA, **record: Any) -> str:
    fid = str(uuid.uuid4())
    await harness.publish_all(registered(fid, **record), scheduled(fid))
    await harness.publish_all(shelter_assigned(fid, shelter_id))
    return fid


async def test_a_shelter_sees_who_is_coming_without_names_or_legal_history(
    harness: Harness,
) -> None:
    await harness.publish_all(shelter_updated(CASA), shelter_updated("other"))
    fid = await expected(harness)
    await expected(harness, shelter_id="other")

    result = await harness.execute(SHELTERS, casa(harness), id=CASA)
    fields = await harness.execute('{ __type(name: "ExpectedArrival") { fields { name } } }')

    assert result.errors is None
    assert result.data == {
        "shelters": [
            {
                "id": CASA,
                "name": "Shelter casa",
                "beds": 40,
                "bedsFree": 30,
                "services": ["food", "medical"],
                "expectedArrivals": [
                    {
                        "familyUnitId": fid,
                        "site": "brownsville",
                        "expectedAt": "2021-02-22T12:00:00+00:00",
                        "people": 2,
                        "languages": ["mam", "spa"],
                        "needsInterpreter": True,
                        "needs": ["interpreter: mam", "children under 18: 1"],
                        "status": "EXPECTED",
                    }
                ],
            }
        ]
    }
    assert fields.data is not None
    names = {field["name"] for field in fields.data["__type"]["fields"]}
    assert not names & {"members", "givenName", "familyName", "birthDate", "aNumber", "court"}


async def test_expected_arrivals_are_only_for_the_organisation_running_the_shelter(
    harness: Harness,
) -> None:
    await harness.publish_all(shelter_updated(CASA), shelter_updated("other"))
    await expected(harness)
    readers = {
        "another shelter": harness.context_for(
            Role.SHELTER, kind=PartnerKind.SHELTER, shelter_id="other"
        ),
        "a port officer": harness.context_for(Role.PORT_OFFICER, kind=PartnerKind.DHS),
    }

    for who, reader in readers.items():
        beds = await harness.execute(BEDS, reader)
        arrivals = await harness.execute(SHELTERS, reader, id=CASA)
        assert beds.data is not None, who
        assert [s["id"] for s in beds.data["shelters"]] == [CASA, "other"], who
        assert arrivals.data is None, who
        assert [e.message for e in arrivals.errors or []] == [
            f"not authorised: only the organisation running shelter {CASA}"
        ], who


async def test_an_arrival_is_released_then_confirmed_and_a_cancelled_one_withdrawn(
    harness: Harness,
) -> None:
    await harness.publish_all(shelter_updated(CASA))
    coming, cancelled, to_sponsor = [await expected(harness) for _ in range(3)]
    await harness.publish_all(  # a cancelled appointment alone withdraws nothing
        ScheduleCancelled(family_unit_id=cancelled, appointment_id=f"ap-{cancelled}", reason="x"),
        ScheduleCancelled(family_unit_id=coming, appointment_id=f"ap-{coming}", reason="moved"),
    )
    await harness.publish_all(  # processing gave the beds back
        ShelterAssignmentWithdrawn(
            family_unit_id=cancelled, shelter_id=CASA, reason="appointment cancelled"
        )
    )
    for fid in (coming, to_sponsor):
        await at_port(harness, fid)
    await harness.publish_all(
        Released(
            family_unit_id=coming,
            site="brownsville",
            released_at=T0,
            destination="Shelter casa",
            shelter_id=CASA,
        ),
        Released(
            family_unit_id=to_sponsor,
            site="brownsville",
            released_at=T0,
            destination="a sponsor in Houston",
        ),
    )
    on_the_way = await harness.execute(SHELTERS, casa(harness), id=CASA)
    await harness.publish_all(
        ShelterArrivalConfirmed(family_unit_id=coming, shelter_id=CASA, confirmed_at=T0)
    )
    not_listed = await harness.execute(SHELTERS, casa(harness), id=CASA)
    with_arrived = await harness.execute(SHELTERS, casa(harness), id=CASA, arrived=True)

    def statuses(result: Any) -> list[tuple[str, str]]:
        return [
            (a["familyUnitId"], a["status"]) for a in result.data["shelters"][0]["expectedArrivals"]
        ]

    assert statuses(on_the_way) == [(coming, "RELEASED")]
    assert statuses(not_listed) == []
    assert statuses(with_arrived) == [(coming, "ARRIVED")]


async def at_port(harness: Harness, fid: str) -> None:
    """Booked, arrived, checked in and processed: ready to be released."""
    await harness.publish_all(booked(fid, f"bk-{fid}"))
    await harness.publish_all(
        ArrivedAtPort(family_unit_id=fid, booking_id=f"bk-{fid}", site="brownsville", arrived_at=T0)
    )
    await harness.publish_all(CheckedIn(family_unit_id=fid, site="brownsville", checked_in_at=T0))
    await harness.publish_all(
        Processed(family_unit_id=fid, site="brownsville", processed_at=T0, documents=[])
    )


def capacity(harness: Harness) -> Callable[[Envelope], Event | None]:
    """A stand-in for processing's shelter handlers."""

    def respond(command: Envelope) -> Event | None:
        data = command.data
        if "beds" in data:
            return shelter_updated(data["shelter_id"], beds=data["beds"], beds_free=data["beds"])
        return ShelterArrivalConfirmed(**data, confirmed_at=harness.clock.now())

    return respond


async def test_a_shelter_updates_its_own_capacity_only_and_never_below_zero(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness()
    answer_commands(harness, PROCESSING_COMMANDS, capacity(harness))
    await harness.start()
    await harness.publish_all(shelter_updated(CASA), shelter_updated("other"))

    own = await harness.execute(CAPACITY, casa(harness), shelter=CASA, beds=55)
    other = await harness.execute(CAPACITY, casa(harness), shelter="other", beds=55)
    negative = await harness.execute(CAPACITY, casa(harness), shelter=CASA, beds=-1)

    assert own.data == {
        "updateShelterCapacity": {"status": "ACCEPTED", "outcome": "shelter-updated"}
    }
    assert [e.message for e in other.errors or []] == [
        "not authorised: only the organisation running shelter other"
    ]
    assert [e.message for e in negative.errors or []] == ["beds: cannot be negative (got -1)"]
    assert harness.staged_commands() == [
        ("update-shelter-capacity", {"shelter_id": CASA, "beds": 55})
    ]
    beds = await harness.execute(BEDS, casa(harness))
    assert beds.data is not None
    assert beds.data["shelters"][0] == {
        "id": CASA,
        "beds": 55,
        "bedsFree": 55,
        "services": ["food", "medical"],
    }


async def test_a_shelter_confirms_only_the_arrival_of_a_family_it_expects(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness()
    answer_commands(harness, PROCESSING_COMMANDS, capacity(harness))
    await harness.start()
    ours = await expected(harness)
    theirs = await expected(harness, shelter_id="other")

    confirmed = await harness.execute(CONFIRM, casa(harness), id=ours)
    refused = await harness.execute(CONFIRM, casa(harness), id=theirs)

    assert confirmed.data == {
        "confirmShelterArrival": {"status": "ACCEPTED", "outcome": "shelter-arrival-confirmed"}
    }
    assert [e.message for e in refused.errors or []] == [
        f"not authorised: family {theirs} is not expected at your shelter"
    ]
    assert harness.staged_commands() == [
        ("confirm-shelter-arrival", {"family_unit_id": ours, "shelter_id": CASA})
    ]


EVENTS = """
subscription { familyEvents { familyUnitId type } }
"""


async def test_a_shelter_follows_only_the_journey_of_the_families_coming_to_it(
    harness: Harness,
) -> None:
    ours = await expected(harness)
    theirs = await expected(harness, shelter_id="other")
    await harness.publish_all(
        CourtAssigned(family_unit_id=ours, court="Houston", destination="Shelter casa")
    )
    itinerary = "query ($id: ID!) { itinerary(familyUnitId: $id) { familyUnitId } }"

    stream = await schema.subscribe(EVENTS, context_value=casa(harness))
    seen = []
    async for result in stream:  # type: ignore[union-attr]
        assert result.errors is None
        seen.append(result.data["familyEvents"])
        if len(seen) == 3:
            break
    await stream.aclose()  # type: ignore[union-attr]
    own = await harness.execute(itinerary, casa(harness), id=ours)
    other = await harness.execute(itinerary, casa(harness), id=theirs)
    timeline = await harness.execute(
        "query ($id: ID!) { familyUnit(id: $id) { timeline { type } } }", casa(harness), id=ours
    )

    assert seen == [
        {"familyUnitId": ours, "type": "registered"},
        {"familyUnitId": ours, "type": "scheduled"},
        {"familyUnitId": ours, "type": "shelter-assigned"},
    ]
    assert own.errors is None
    assert [e.message for e in other.errors or []] == [
        f"not authorised: family {theirs} is not visible to you"
    ]
    assert timeline.data is not None
    assert [e["type"] for e in timeline.data["familyUnit"]["timeline"]] == [
        "registered",
        "scheduled",
        "shelter-assigned",
    ]


async def test_no_more_than_its_families_reach_a_shelters_live_feed(harness: Harness) -> None:
    stream = await schema.subscribe(EVENTS, context_value=casa(harness))
    waiting = asyncio.ensure_future(anext(stream))  # type: ignore[arg-type]
    await expected(harness, shelter_id="other")
    await asyncio.sleep(0.2)
    assert not waiting.done()
    ours = await expected(harness)

    first = await asyncio.wait_for(waiting, 5)
    await stream.aclose()  # type: ignore[union-attr]

    assert first.data == {"familyEvents": {"familyUnitId": ours, "type": "shelter-assigned"}}


ORGANISATION = """
mutation ($name: String!, $kind: PartnerKind!, $shelter: ID) {
  createOrganisation(name: $name, kind: $kind, shelterId: $shelter) { id kind shelterId }
}
"""


async def test_an_admin_names_the_shelter_an_organisation_runs_and_its_tokens_act_for_it(
    harness: Harness,
) -> None:
    await harness.publish_all(shelter_updated(CASA))
    admin = harness.context_for(Role.ADMIN)

    made = await harness.execute(ORGANISATION, admin, name="Casa", kind="SHELTER", shelter=CASA)
    not_a_shelter = await harness.execute(ORGANISATION, admin, name="IOM", kind="IOM", shelter=CASA)
    unknown = await harness.execute(
        ORGANISATION, admin, name="Casa 2", kind="SHELTER", shelter="nowhere"
    )
    token, _ = harness.token(Role.SHELTER, kind=PartnerKind.SHELTER, shelter_id=CASA)

    assert made.data is not None
    assert made.data["createOrganisation"]["shelterId"] == CASA
    assert [e.message for e in not_a_shelter.errors or []] == [
        "shelterId: only a SHELTER organisation runs a shelter"
    ]
    assert [e.message for e in unknown.errors or []] == ["shelterId: unknown shelter 'nowhere'"]
    caller = authenticate(harness.gateway.service.engine, f"Bearer {token}")
    assert caller is not None
    assert caller.shelter_id == CASA
