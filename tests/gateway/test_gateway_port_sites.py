"""Least privilege at the ports: a port officer's token names the sites it works at (at least
one, each a known site), and its `port_officer` role acts on, and sees, only the families at
those sites. A refusal names the site and nothing about the family; nothing is sent."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from puente_gateway.access import RecordAccess, may_follow
from puente_gateway.organisations import create_organisation, tokens_of
from puente_gateway.roles import Role
from puente_gateway.schema import schema
from puente_gateway.tables import TABLES
from puente_runtime.storage import make_engine
from puente_runtime.upgrades import UnadoptableSchema
from puente_schemas import Envelope
from puente_schemas.common import PartnerKind
from puente_schemas.events import (
    ArrivedAtPort,
    AttorneyAccessDecided,
    CheckedIn,
    DocumentsPrepared,
    DocumentStatus,
    Event,
    PreparedDocument,
    Processed,
    Released,
)
from puente_schemas.topics import PROCESSING_COMMANDS, TRANSPORT_COMMANDS

from .support import (
    T0,
    Harness,
    answer_commands,
    booked,
    principal,
    registered,
    scheduled,
    site_updated,
)
from .test_gateway_http import client

SAN_YSIDRO, CALEXICO = "san-ysidro", "calexico"
ISSUE = """
mutation ($o: ID!, $roles: [Role!]!, $sites: [String!]) {
  issueToken(organisationId: $o, roles: $roles, sites: $sites) { token info { roles sites } }
}
"""
CHECK_IN = """
mutation ($id: ID!, $site: String!) { checkIn(familyUnitId: $id, site: $site) { status } }
"""
COMPLETE = "mutation ($id: ID!) { completeProcessing(familyUnitId: $id) { status } }"
RELEASE = "mutation ($id: ID!) { releaseFamily(familyUnitId: $id) { status } }"
STAGE = "query ($id: ID!) { familyUnit(id: $id) { stage } }"
ARRIVALS = """
query ($site: String!) { arrivalsWithDocumentsNotReady(site: $site) { familyUnitId site } }
"""
DOCUMENTS = "query ($id: ID!) { documents(familyUnitId: $id) { allReady } }"
ITINERARY = "query ($id: ID!) { itinerary(familyUnitId: $id) { checkedInAt } }"
ACCESS = "query ($id: ID!) { attorneyAccess(familyUnitId: $id) { requestId } }"
TIMES = "query ($site: String) { processingTimes(site: $site) { site families } }"


def officer(harness: Harness, *sites: str) -> dict[str, Any]:
    return harness.context_for(Role.PORT_OFFICER, kind=PartnerKind.DHS, sites=sites)


def messages(result: Any) -> list[str]:
    return [error.message for error in result.errors or []]


def organisation(harness: Harness) -> str:
    made = create_organisation(
        harness.gateway.service.engine, name="CBP San Diego", kind=PartnerKind.DHS, now=T0
    )
    return made.id


async def issue(harness: Harness, organisation_id: str, roles: list[str], **given: Any) -> Any:
    return await harness.execute(
        ISSUE, harness.context_for(Role.ADMIN), o=organisation_id, roles=roles, **given
    )


@pytest.mark.parametrize(
    ("roles", "sites", "refusal"),
    [
        (["PORT_OFFICER"], None, "sites: a port_officer token must name at least one site"),
        (["PORT_OFFICER", "REGISTRAR"], [], "sites: a port_officer token must name at least"),
        (["PORT_OFFICER"], [CALEXICO, "atlantis"], "sites: unknown site 'atlantis'"),
        (["PORT_OFFICER"], ["atlantis", "  "], "sites: unknown sites '', 'atlantis'"),
        (["SHELTER"], [CALEXICO], "sites: only a port_officer token names the sites"),
    ],
    ids=["no sites", "empty sites", "unknown site", "unknown sites", "sites on a shelter"],
)
async def test_a_token_whose_sites_do_not_fit_is_refused_and_nothing_is_issued(
    harness: Harness, roles: list[str], sites: list[str] | None, refusal: str
) -> None:
    organisation_id = organisation(harness)

    result = await issue(harness, organisation_id, roles, sites=sites)

    assert result.data is None
    [message] = messages(result)
    assert message.startswith(refusal)
    assert tokens_of(harness.gateway.service.engine, organisation_id) == []


async def test_a_port_officer_works_at_published_sites_and_at_sites_scheduling_announced(
    harness: Harness,
) -> None:
    await harness.publish_all(site_updated("progreso"))
    organisation_id = organisation(harness)

    issued = await issue(
        harness, organisation_id, ["PORT_OFFICER"], sites=["progreso", CALEXICO, CALEXICO]
    )
    listed = await harness.execute(
        "{ organisations { id tokens { sites } } }", harness.context_for(Role.ADMIN)
    )

    assert issued.errors is None
    assert issued.data["issueToken"]["info"] == {
        "roles": ["PORT_OFFICER"],
        "sites": [CALEXICO, "progreso"],
    }
    assert {"id": organisation_id, "tokens": [{"sites": [CALEXICO, "progreso"]}]} in (
        listed.data["organisations"]
    )


def processing(harness: Harness) -> Callable[[Envelope], Event | None]:
    """Stand-ins for transport and processing: the family arrives, is processed, released."""

    def respond(command: Envelope) -> Event | None:
        data, kind, now = command.data, command.type.split(".")[-2], harness.clock.now()
        fid = data["family_unit_id"]
        if kind == "record-arrival":
            return ArrivedAtPort(
                family_unit_id=fid, booking_id=data["booking_id"], site=data["site"], arrived_at=now
            )
        if kind == "complete-processing":
            return Processed(
                family_unit_id=fid,
                site=SAN_YSIDRO,
                processed_at=now,
                documents=[PreparedDocument(member_id="m-1", kind="parole")],
            )
        return Released(
            family_unit_id=fid, site=SAN_YSIDRO, released_at=now, destination="a sponsor"
        )

    return respond


async def on_the_way(harness: Harness, site: str = SAN_YSIDRO) -> str:
    """A family registered, scheduled and booked to `site`."""
    fid = str(uuid.uuid4())
    await harness.publish_all(registered(fid), scheduled(fid, site=site))
    await harness.publish_all(booked(fid, f"bk-{fid}", site=site))
    return fid


async def at_the_port(harness: Harness, site: str = SAN_YSIDRO) -> str:
    """A family checked in at `site` with a court transfer not ready, and an attorney let in."""
    fid = await on_the_way(harness, site)
    pending = DocumentStatus(member_id="m-1", kind="court transfer", status="pending")
    await harness.publish_all(DocumentsPrepared(family_unit_id=fid, documents=[pending]))
    await harness.publish_all(
        ArrivedAtPort(family_unit_id=fid, booking_id=f"bk-{fid}", site=site, arrived_at=T0)
    )
    await harness.publish_all(CheckedIn(family_unit_id=fid, site=site, checked_in_at=T0))
    await harness.publish_all(
        AttorneyAccessDecided(
            request_id=f"r-{fid}",
            family_unit_id=fid,
            attorney_organisation_id="org-lawyers",
            granted=True,
            reason="attorney of record",
        )
    )
    return fid


@pytest.fixture
async def ports(make_harness: Callable[..., Harness]) -> Harness:
    harness = make_harness()
    answer_commands(harness, TRANSPORT_COMMANDS, processing(harness))
    answer_commands(harness, PROCESSING_COMMANDS, processing(harness))
    await harness.start()
    return harness


async def test_an_officer_at_calexico_acts_on_no_family_at_san_ysidro(ports: Harness) -> None:
    harness = ports
    coming, checked_in = await on_the_way(harness), await at_the_port(harness)
    calexico = officer(harness, CALEXICO)

    answers = [
        await harness.execute(CHECK_IN, calexico, id=coming, site=SAN_YSIDRO),
        await harness.execute(CHECK_IN, calexico, id=coming, site=CALEXICO),
        await harness.execute(COMPLETE, calexico, id=checked_in),
        await harness.execute(RELEASE, calexico, id=checked_in),
    ]
    stages = [
        (await harness.execute(STAGE, id=fid)).data["familyUnit"]["stage"]
        for fid in (coming, checked_in)
    ]

    for answer in answers:
        assert answer.data is None
        assert messages(answer) == ["not your site: san-ysidro"]
    assert harness.staged_commands() == []
    assert stages == ["TRANSPORT_BOOKED", "ARRIVED"]


async def test_an_officer_at_calexico_sees_nothing_of_a_family_at_san_ysidro(
    harness: Harness,
) -> None:
    fid = await at_the_port(harness)
    calexico = officer(harness, CALEXICO)

    own_port = await harness.execute(ARRIVALS, calexico, site=CALEXICO)
    other_port = await harness.execute(ARRIVALS, calexico, site=SAN_YSIDRO)
    reads = {
        query: await harness.execute(query, calexico, id=fid)
        for query in (STAGE, DOCUMENTS, ITINERARY)
    }
    access = await harness.execute(ACCESS, calexico, id=fid)
    every_time = await harness.execute(TIMES, calexico)
    their_times = await harness.execute(TIMES, calexico, site=SAN_YSIDRO)
    own_times = await harness.execute(TIMES, calexico, site=CALEXICO)

    assert own_port.data == {"arrivalsWithDocumentsNotReady": []}
    assert messages(other_port) == ["not your site: san-ysidro"]
    for query, result in reads.items():
        assert messages(result) == [f"not authorised: family {fid} is not visible to you"], query
    assert access.data == {"attorneyAccess": []}
    assert every_time.data == {"processingTimes": []}
    assert messages(their_times) == ["not your site: san-ysidro"]
    assert own_times.data == {"processingTimes": [{"site": CALEXICO, "families": 0}]}


async def test_an_officer_at_both_ports_sees_and_processes_the_family_at_san_ysidro(
    ports: Harness,
) -> None:
    harness = ports
    coming, checked_in = await on_the_way(harness), await at_the_port(harness)
    both = officer(harness, CALEXICO, SAN_YSIDRO)

    arrivals = await harness.execute(ARRIVALS, both, site=SAN_YSIDRO)
    reads = [await harness.execute(q, both, id=checked_in) for q in (STAGE, DOCUMENTS, ACCESS)]
    times = await harness.execute(TIMES, both)
    arrived = await harness.execute(CHECK_IN, both, id=coming, site=SAN_YSIDRO)
    processed = await harness.execute(COMPLETE, both, id=checked_in)
    released = await harness.execute(RELEASE, both, id=checked_in)

    assert arrivals.data == {
        "arrivalsWithDocumentsNotReady": [{"familyUnitId": checked_in, "site": SAN_YSIDRO}]
    }
    assert [r.errors for r in reads] == [None, None, None]
    assert reads[2].data == {"attorneyAccess": [{"requestId": f"r-{checked_in}"}]}
    assert times.data == {"processingTimes": [{"site": SAN_YSIDRO, "families": 1}]}
    assert arrived.data == {"checkIn": {"status": "ACCEPTED"}}
    assert processed.data == {"completeProcessing": {"status": "ACCEPTED"}}
    assert released.data == {"releaseFamily": {"status": "ACCEPTED"}}
    assert [name for name, _ in harness.staged_commands()] == [
        "record-arrival",
        "complete-processing",
        "release-family",
    ]


async def test_a_real_token_carries_its_sites(ports: Harness) -> None:
    harness = ports
    fid = await on_the_way(harness)
    organisation_id = organisation(harness)
    tokens = {
        site: (await issue(harness, organisation_id, ["PORT_OFFICER"], sites=[site])).data[
            "issueToken"
        ]["token"]
        for site in (CALEXICO, SAN_YSIDRO)
    }
    body = {"query": CHECK_IN, "variables": {"id": fid, "site": SAN_YSIDRO}}

    async with client(harness, tokens[CALEXICO]) as http:
        refused = (await http.post("/graphql", json=body)).json()
    sent_before = harness.staged_commands()
    async with client(harness, tokens[SAN_YSIDRO]) as http:
        accepted = (await http.post("/graphql", json=body)).json()

    assert [e["message"] for e in refused["errors"]] == ["not your site: san-ysidro"]
    assert sent_before == []
    assert accepted == {"data": {"checkIn": {"status": "ACCEPTED"}}}


async def test_an_officers_live_feed_carries_only_the_families_at_its_sites(
    harness: Harness,
) -> None:
    await on_the_way(harness, SAN_YSIDRO)
    ours = await on_the_way(harness, CALEXICO)
    events = "subscription { familyEvents { familyUnitId type } }"

    stream = await schema.subscribe(events, context_value=officer(harness, CALEXICO))
    replayed = [(await anext(stream)).data["familyEvents"] for _ in range(3)]  # type: ignore[arg-type]
    waiting = asyncio.ensure_future(anext(stream))  # type: ignore[arg-type]
    await on_the_way(harness, SAN_YSIDRO)
    await asyncio.sleep(0.2)
    quiet = not waiting.done()
    later = await on_the_way(harness, CALEXICO)
    live = await asyncio.wait_for(waiting, 5)
    await stream.aclose()  # type: ignore[union-attr]

    assert replayed == [
        {"familyUnitId": ours, "type": "registered"},
        {"familyUnitId": ours, "type": "scheduled"},
        {"familyUnitId": ours, "type": "transport-booked"},
    ]
    assert quiet
    assert live.data["familyEvents"]["familyUnitId"] == later


def family_at(site: str | None, shelter_id: str | None = None) -> RecordAccess:
    return RecordAccess(
        family_unit_id="f",
        organisation_id=None,
        consent=frozenset(),
        shelter_id=shelter_id,
        site=site,
    )


def test_each_limited_role_adds_the_families_it_follows_and_any_other_case_role_all() -> None:
    port = principal(Role.PORT_OFFICER, sites={CALEXICO})
    port_and_shelter = principal(
        Role.PORT_OFFICER, Role.SHELTER, shelter_id="casa", sites={CALEXICO}
    )
    port_and_registrar = principal(Role.PORT_OFFICER, Role.REGISTRAR, sites={CALEXICO})
    families = {
        "at calexico": family_at(CALEXICO),
        "at san ysidro": family_at(SAN_YSIDRO),
        "at san ysidro, to casa": family_at(SAN_YSIDRO, "casa"),
        "at no site": family_at(None),
    }

    def followed(caller: Any) -> list[str]:
        return [name for name, family in families.items() if may_follow(caller, family)]

    assert followed(port) == ["at calexico"]
    assert followed(port_and_shelter) == ["at calexico", "at san ysidro, to casa"]
    assert followed(port_and_registrar) == list(families)
    assert not may_follow(port, None)


def test_a_gateway_database_from_before_token_sites_is_refused_at_start(tmp_path: Path) -> None:
    make_engine(f"sqlite:///{tmp_path}/gateway.db", TABLES).dispose()
    with sqlite3.connect(tmp_path / "gateway.db") as connection:
        connection.execute("ALTER TABLE gateway_token DROP COLUMN sites")

    with pytest.raises(UnadoptableSchema, match=r"table gateway_token lacks columns sites"):
        Harness(tmp_path)
