"""Processing in the gateway: documents per member (legal roles that may see the record,
audited), the families that arrived with a document not ready, processing times per site
against the site's target, and the port officers' and attorneys' commands."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from puente_gateway.roles import Role
from puente_schemas import Envelope
from puente_schemas.common import FieldError, Location, PartnerKind
from puente_schemas.events import (
    ArrivedAtPort,
    AttorneyAccessDecided,
    CheckedIn,
    DocumentsPrepared,
    DocumentStatus,
    Event,
    PreparedDocument,
    Processed,
    ProcessingCommandRejected,
    ProcessingOverdue,
    Released,
    ShelterAssigned,
)
from puente_schemas.topics import PROCESSING_COMMANDS

from .support import T0, Harness, answer_commands, booked, registered, scheduled

HOUR = dt.timedelta(hours=1)
LAWYERS = "org-lawyers"
DOCUMENTS = """
query ($id: ID!) {
  documents(familyUnitId: $id) {
    allReady arrivedWithDocumentNotReady checkedInAt
    members { memberId ready documents { kind status } }
    notReadyAtCheckIn { memberId kind }
  }
}
"""
NOT_READY = """
query ($site: String!, $released: Boolean!) {
  arrivalsWithDocumentsNotReady(site: $site, includeReleased: $released) {
    familyUnitId checkedInAt notReadyAtCheckIn { memberId kind } stillNotReady { memberId kind }
  }
}
"""
TIMES = """
query ($site: String) {
  processingTimes(site: $site) {
    site targetHours targetReported families inProcessing withinTarget overTarget
    checkInToProcessed { count averageHours p50Hours p90Hours maxHours }
    processedToReleased { count averageHours p50Hours maxHours }
    checkInToReleased { count averageHours p50Hours maxHours }
    overdue { familyUnitId processingHours overTarget overdueReported }
  }
}
"""


def officer(harness: Harness) -> dict[str, Any]:
    """A CBP officer at Brownsville, where these families are processed."""
    return harness.context_for(Role.PORT_OFFICER, kind=PartnerKind.DHS, sites={"brownsville"})


def prepared(fid: str, *statuses: tuple[str, str, str]) -> DocumentsPrepared:
    return DocumentsPrepared(
        family_unit_id=fid,
        documents=[DocumentStatus(member_id=m, kind=k, status=s) for m, k, s in statuses],
    )


async def at_the_port(
    harness: Harness, fid: str, checked_in_at: dt.datetime, *before: Event, **record: Any
) -> None:
    """Registered, scheduled, booked and arrived; `before` (documents) then checked in."""
    await harness.publish_all(registered(fid, **record), scheduled(fid))
    await harness.publish_all(booked(fid, f"bk-{fid}"), *before)
    await harness.publish_all(
        ArrivedAtPort(
            family_unit_id=fid, booking_id=f"bk-{fid}", site="brownsville", arrived_at=checked_in_at
        )
    )
    await harness.publish_all(
        CheckedIn(family_unit_id=fid, site="brownsville", checked_in_at=checked_in_at)
    )


def processed(fid: str, at: dt.datetime) -> Processed:
    return Processed(
        family_unit_id=fid,
        site="brownsville",
        processed_at=at,
        documents=[PreparedDocument(member_id="m-1", kind="parole")],
    )


def released(fid: str, at: dt.datetime, **changes: Any) -> Released:
    values: dict[str, Any] = {"destination": "Shelter casa", "shelter_id": "casa"}
    return Released(family_unit_id=fid, site="brownsville", released_at=at, **(values | changes))


async def test_documents_per_member_and_an_arrival_with_one_not_ready(harness: Harness) -> None:
    late, ready = str(uuid.uuid4()), str(uuid.uuid4())
    pending = prepared(
        late,
        ("m-1", "court transfer", "pending"),
        ("m-1", "parole", "ready"),
        ("m-2", "new notice to appear", "ready"),
    )
    await at_the_port(harness, late, T0, pending)
    await at_the_port(harness, ready, T0, prepared(ready, ("m-1", "parole", "ready")))

    documents = await harness.execute(DOCUMENTS, officer(harness), id=late)
    dashboard = await harness.execute(
        NOT_READY, officer(harness), site="brownsville", released=False
    )
    await harness.publish_all(
        prepared(
            late,
            ("m-1", "court transfer", "ready"),
            ("m-1", "parole", "ready"),
            ("m-2", "new notice to appear", "ready"),
        )
    )
    later = await harness.execute(NOT_READY, officer(harness), site="brownsville", released=False)

    assert documents.errors is None
    assert documents.data == {
        "documents": {
            "allReady": False,
            "arrivedWithDocumentNotReady": True,
            "checkedInAt": "2021-02-19T08:00:00+00:00",
            "members": [
                {
                    "memberId": "m-1",
                    "ready": False,
                    "documents": [
                        {"kind": "court transfer", "status": "pending"},
                        {"kind": "parole", "status": "ready"},
                    ],
                },
                {
                    "memberId": "m-2",
                    "ready": True,
                    "documents": [{"kind": "new notice to appear", "status": "ready"}],
                },
            ],
            "notReadyAtCheckIn": [{"memberId": "m-1", "kind": "court transfer"}],
        }
    }
    assert dashboard.data == {
        "arrivalsWithDocumentsNotReady": [
            {
                "familyUnitId": late,
                "checkedInAt": "2021-02-19T08:00:00+00:00",
                "notReadyAtCheckIn": [{"memberId": "m-1", "kind": "court transfer"}],
                "stillNotReady": [{"memberId": "m-1", "kind": "court transfer"}],
            }
        ]
    }
    assert later.data is not None
    assert later.data["arrivalsWithDocumentsNotReady"][0]["stillNotReady"] == []


async def test_documents_are_for_who_may_see_the_record_and_every_read_is_audited(
    harness: Harness,
) -> None:
    fid = str(uuid.uuid4())
    await at_the_port(
        harness, fid, T0, prepared(fid, ("m-1", "parole", "ready")), organisation_id=LAWYERS
    )
    own = harness.context_for(
        Role.LEGAL_PROVIDER, kind=PartnerKind.LEGAL_PROVIDER, organisation_id=LAWYERS
    )
    other = harness.context_for(Role.LEGAL_PROVIDER, kind=PartnerKind.LEGAL_PROVIDER)

    mine = await harness.execute(DOCUMENTS, own, id=fid)
    theirs = await harness.execute(DOCUMENTS, other, id=fid)
    log = await harness.execute(
        "query ($id: ID!) { auditLog(familyUnitId: $id) { operation outcome organisationId } }",
        harness.context_for(Role.ADMIN),
        id=fid,
    )

    assert mine.errors is None
    assert theirs.data is None
    assert [e.message for e in theirs.errors or []] == [
        f"not authorised: family {fid} is not visible to you"
    ]
    assert log.data == {
        "auditLog": [
            {"operation": "documents", "outcome": "read", "organisationId": LAWYERS},
            {
                "operation": "documents",
                "outcome": "refused",
                "organisationId": "org-legal_provider",
            },
        ]
    }


async def test_processing_times_per_site_against_the_target_processing_reported(
    harness: Harness,
) -> None:
    quick, slow, stuck = (str(uuid.uuid4()) for _ in range(3))
    await at_the_port(harness, quick, T0)
    await at_the_port(harness, slow, T0 + HOUR)
    await at_the_port(harness, stuck, T0 + 2 * HOUR)
    await harness.publish_all(
        processed(quick, T0 + 2 * HOUR),
        processed(slow, T0 + 5 * HOUR),
        ProcessingOverdue(  # processing reports it when it ends past the target
            family_unit_id=slow, site="brownsville", checked_in_at=T0 + HOUR, target_hours=3.0
        ),
        ProcessingOverdue(
            family_unit_id=stuck, site="brownsville", checked_in_at=T0 + 2 * HOUR, target_hours=3.0
        ),
    )
    await harness.publish_all(released(quick, T0 + 2.5 * HOUR), released(slow, T0 + 6 * HOUR))
    harness.clock.advance(6 * HOUR)

    # The port officer at the site: an analyst gets the aggregates only (tests/security).
    result = await harness.execute(TIMES, officer(harness), site="brownsville")

    assert result.errors is None
    assert result.data is not None
    [times] = result.data["processingTimes"]
    assert {k: v for k, v in times.items() if not isinstance(v, dict | list)} == {
        "site": "brownsville",
        "targetHours": 3.0,
        "targetReported": True,
        "families": 3,
        "inProcessing": 1,
        "withinTarget": 1,
        "overTarget": 2,
    }
    assert times["checkInToProcessed"] == {
        "count": 2,
        "averageHours": 3.0,
        "p50Hours": 3.0,
        "p90Hours": pytest.approx(3.8),  # 2 h and 4 h: nine tenths of the way between them
        "maxHours": 4.0,
    }
    assert times["processedToReleased"] == {
        "count": 2,
        "averageHours": 0.75,
        "p50Hours": 0.75,
        "maxHours": 1.0,
    }
    assert times["checkInToReleased"] == {
        "count": 2,
        "averageHours": 3.75,
        "p50Hours": 3.75,
        "maxHours": 5.0,
    }
    assert times["overdue"] == [
        {
            "familyUnitId": slow,
            "processingHours": 4.0,
            "overTarget": True,
            "overdueReported": True,
        },
        {
            "familyUnitId": stuck,
            "processingHours": 4.0,
            "overTarget": True,
            "overdueReported": True,
        },
    ]


async def test_without_a_report_the_published_target_is_shown_and_nobody_is_overdue(
    harness: Harness,
) -> None:
    fid = str(uuid.uuid4())
    await at_the_port(harness, fid, T0)
    await harness.publish_all(processed(fid, T0 + 3 * HOUR))

    every = await harness.execute(TIMES, officer(harness))
    unknown = await harness.execute(TIMES, officer(harness), site="atlantis")

    assert every.data is not None
    [times] = every.data["processingTimes"]
    assert (times["site"], times["targetHours"], times["targetReported"]) == (
        "brownsville",
        2.5,
        False,
    )
    # Three hours against 2.5: only processing decides it is overdue, and it said nothing.
    assert (times["overdue"], times["overTarget"]) == ([], 0)
    assert [e.message for e in unknown.errors or []] == ["site: unknown site 'atlantis'"]


def processing(harness: Harness) -> Callable[[Envelope], Event | None]:
    """A stand-in for processing: ends processing, refuses a release, decides access."""

    def respond(command: Envelope) -> Event | None:
        data, kind = command.data, command.type.split(".")[-2]
        fid = data["family_unit_id"]
        if kind == "complete-processing":
            return processed(fid, harness.clock.now())
        if kind == "request-attorney-access":
            return AttorneyAccessDecided(
                **data, granted=True, reason="attorney of record; the family is in processing"
            )
        error = FieldError(field="family_unit_id", message="is checked-in: release comes after")
        return ProcessingCommandRejected(command=command.type, family_unit_id=fid, errors=[error])

    return respond


async def test_port_officers_end_processing_and_a_refused_release_says_why(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness()
    answer_commands(harness, PROCESSING_COMMANDS, processing(harness))
    await harness.start()
    fid = str(uuid.uuid4())
    await at_the_port(harness, fid, T0)
    release = """
    mutation ($id: ID!) { releaseFamily(familyUnitId: $id) { status errors { field message } } }
    """

    done = await harness.execute(
        "mutation ($id: ID!) { completeProcessing(familyUnitId: $id) { status outcome } }",
        officer(harness),
        id=fid,
    )
    refused = await harness.execute(release, officer(harness), id=fid)

    assert done.data == {"completeProcessing": {"status": "ACCEPTED", "outcome": "processed"}}
    assert refused.data == {
        "releaseFamily": {
            "status": "REJECTED",
            "errors": [{"field": "familyUnitId", "message": "is checked-in: release comes after"}],
        }
    }


ACCESS = """
mutation ($id: ID!) {
  requestAttorneyAccess(familyUnitId: $id) { status requestId granted reason }
}
"""


@pytest.mark.parametrize("organisation", [LAWYERS, "org-other-lawyers"])
async def test_only_the_attorney_of_record_requests_access_and_hears_the_decision(
    make_harness: Callable[..., Harness], organisation: str
) -> None:
    harness = make_harness()
    answer_commands(harness, PROCESSING_COMMANDS, processing(harness))
    await harness.start()
    fid = str(uuid.uuid4())
    await at_the_port(harness, fid, T0, organisation_id=LAWYERS)
    attorney = harness.context_for(
        Role.LEGAL_PROVIDER, kind=PartnerKind.LEGAL_PROVIDER, organisation_id=organisation
    )

    result = await harness.execute(ACCESS, attorney, id=fid)

    if organisation == LAWYERS:
        assert result.data is not None
        answer = result.data["requestAttorneyAccess"]
        assert (answer["status"], answer["granted"]) == ("ACCEPTED", True)
        [(name, sent)] = harness.staged_commands()
        assert (name, sent["attorney_organisation_id"]) == ("request-attorney-access", LAWYERS)
        assert sent["request_id"] == answer["requestId"]
        decisions = "query ($id: ID!) { attorneyAccess(familyUnitId: $id) { requestId granted } }"
        # The answer came once the decision was projected: it can be read at once.
        seen = {
            who: await harness.execute(decisions, reader, id=fid)
            for who, reader in {
                "attorney": attorney,
                "port officer": officer(harness),
                "another attorney": harness.context_for(
                    Role.LEGAL_PROVIDER, kind=PartnerKind.LEGAL_PROVIDER
                ),
            }.items()
        }
        decision = [{"requestId": answer["requestId"], "granted": True}]
        assert {who: result.data for who, result in seen.items()} == {
            "attorney": {"attorneyAccess": decision},
            "port officer": {"attorneyAccess": decision},
            "another attorney": {"attorneyAccess": []},
        }
    else:
        assert [e.message for e in result.errors or []] == [
            "not authorised: your organisation is not the family's attorney of record"
        ]
        assert harness.staged_commands() == []


async def test_a_family_already_in_the_us_is_processed_and_released_without_a_port(
    harness: Harness,
) -> None:
    fid = str(uuid.uuid4())
    inside = registered(fid).model_copy(
        update={"current_location": Location(city="Houston", country="US")}
    )
    # Processed may reach the gateway before the registration it follows: it waits for it.
    await harness.publish(
        Processed(family_unit_id=fid, site="inside-us", processed_at=T0, documents=[])
    )
    await harness.publish_all(inside)
    await harness.publish_all(
        Released(
            family_unit_id=fid,
            site="inside-us",
            released_at=T0 + HOUR,
            destination="home in Houston",
            court="Houston Immigration Court",
        )
    )

    unit = await harness.execute(
        "query ($id: ID!) { familyUnit(id: $id) { stage timeline { type } } }", id=fid
    )
    # No port: its registrar (an agency) follows it, not the officers of any port.
    trip = await harness.execute(
        "query ($id: ID!) { itinerary(familyUnitId: $id) { booking { bookingId } checkedInAt"
        " processedAt release { destination court onParole } } }",
        harness.context_for(Role.REGISTRAR, kind=PartnerKind.DHS),
        id=fid,
    )

    assert unit.data is not None
    assert unit.data["familyUnit"]["stage"] == "RELEASED"
    assert [e["type"] for e in unit.data["familyUnit"]["timeline"]] == [
        "registered",
        "processed",
        "released",
    ]
    assert trip.errors is None
    assert trip.data == {
        "itinerary": {
            "booking": None,
            "checkedInAt": None,
            "processedAt": "2021-02-19T08:00:00+00:00",
            "release": {
                "destination": "home in Houston",
                "court": "Houston Immigration Court",
                "onParole": True,
            },
        }
    }


async def test_a_shelter_sees_where_a_family_went_but_not_its_court(harness: Harness) -> None:
    fid = str(uuid.uuid4())
    await at_the_port(harness, fid, T0, consent=[PartnerKind.SHELTER])
    await harness.publish_all(
        ShelterAssigned(
            family_unit_id=fid,
            shelter_id="casa",
            site="brownsville",
            expected_at=T0,
            people=2,
            languages=["spa"],
            needs_interpreter=False,
        ),
        processed(fid, T0 + HOUR),
    )
    await harness.publish_all(
        released(fid, T0 + 2 * HOUR, court="Houston Immigration Court", onward_travel=["2 seats"])
    )
    casa = harness.context_for(Role.SHELTER, kind=PartnerKind.SHELTER, shelter_id="casa")

    trip = await harness.execute(
        "query ($id: ID!) { itinerary(familyUnitId: $id) { release { destination onwardTravel"
        " court } } }",
        casa,
        id=fid,
    )

    assert trip.data == {
        "itinerary": {
            "release": {"destination": "Shelter casa", "onwardTravel": ["2 seats"], "court": None}
        }
    }
    assert [(e.message, e.path) for e in trip.errors or []] == [
        ("not authorised", ["itinerary", "release", "court"])
    ]
