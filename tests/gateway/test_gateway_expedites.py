"""Expedites through the gateway: a request and a decision each wait for their outcome; the
decider's list comes from the projected events, notes only for who may see the record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from puente_gateway.roles import Role
from puente_schemas import Envelope, Event
from puente_schemas.common import FieldError, PartnerKind
from puente_schemas.events import (
    ExpediteAwaitingSecondApproval,
    ExpediteDecided,
    ExpediteRequested,
    RegistrationCommandRejected,
)
from puente_schemas.topics import REGISTRATION_COMMANDS

from .support import T0, Harness, answer_commands, family_of

SHELTER_ORG = "org-casa-del-migrante"
REQUESTS = """
query ($decided: Boolean!) {
  expediteRequests(decided: $decided) {
    requestId familyUnitId criterion requestedBy status approvedBy reason note
  }
}
"""


def registration(command: Envelope) -> Event | None:
    """Answers as registration would: a request is recorded; a grant by the requesting
    organisation awaits a second approver; a member without a language is refused."""
    data = command.data
    kind = command.type.split(".")[-2]
    if kind == "request-expedite":
        return ExpediteRequested(
            request_id=data["request_id"],
            family_unit_id=data["family_unit_id"],
            criterion=data["criterion"],
            note=data["note"],
            requested_by=data["organisation_id"],
            requested_at=T0,
        )
    if kind == "decide-expedite":
        return ExpediteAwaitingSecondApproval(
            request_id=data["request_id"],
            family_unit_id=data["family_unit_id"],
            approved_by=data["organisation_id"],
        )
    if kind == "add-family-member":
        return RegistrationCommandRejected(
            command=command.type,
            family_unit_id=data["family_unit_id"],
            errors=[FieldError(field="member.a_number", message="is already registered")],
        )
    return None


async def test_a_request_then_a_decision_wait_for_their_outcomes(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness()
    answer_commands(harness, REGISTRATION_COMMANDS, registration)
    await harness.start()
    await harness.publish_all(family_of("f1", organisation_id=SHELTER_ORG))
    registrar = harness.context_for(
        Role.REGISTRAR, kind=PartnerKind.SHELTER, organisation_id=SHELTER_ORG
    )
    decider = harness.context_for(
        Role.EXPEDITE_DECIDER, kind=PartnerKind.SHELTER, organisation_id=SHELTER_ORG
    )

    asked = await harness.execute(
        'mutation { requestExpedite(familyUnitId: "f1", criterion: "urgent-medical",'
        ' note: "needs dialysis") { status outcome requestId errors { field } } }',
        registrar,
    )
    assert asked.data is not None
    request = asked.data["requestExpedite"]
    decided = await harness.execute(
        "mutation($r: ID!) { decideExpedite(requestId: $r, granted: true,"
        ' reason: "dialysis twice a week") { status outcome } }',
        decider,
        r=request["requestId"],
    )

    assert (request["status"], request["outcome"], request["errors"]) == (
        "ACCEPTED",
        "expedite-requested",
        [],
    )
    assert decided.data == {
        "decideExpedite": {
            "status": "ACCEPTED",
            "outcome": "expedite-awaiting-second-approval",
        }
    }


async def test_a_refused_command_comes_back_with_the_field_in_the_callers_spelling(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness()
    answer_commands(harness, REGISTRATION_COMMANDS, registration)
    await harness.start()
    await harness.publish_all(family_of("f1"))

    added = await harness.execute(
        'mutation { addFamilyMember(familyUnitId: "f1", member: {givenName: "Rosa",'
        ' familyName: "Lopez", birthDate: "1992-01-01", inMpp: true, aNumber: "A111111111",'
        ' language: "spa"}) { status outcome errors { field message } } }'
    )

    assert added.data == {
        "addFamilyMember": {
            "status": "REJECTED",
            "outcome": "command-rejected",
            # Not "is already registered": that would confirm whoever holds the A-number.
            "errors": [
                {
                    "field": "member.aNumber",
                    "message": "cannot be registered with this A-number: check it, or ask "
                    "Puente operations",
                }
            ],
        }
    }


async def test_the_decider_lists_requests_and_reads_notes_it_may_see(harness: Harness) -> None:
    await harness.publish_all(
        family_of("f1", organisation_id=SHELTER_ORG), family_of("f2", organisation_id=SHELTER_ORG)
    )
    await harness.publish_all(
        *(
            ExpediteRequested(
                request_id=f"r-{fid}",
                family_unit_id=fid,
                criterion="safety-threat",
                note="threatened",
                requested_by=SHELTER_ORG,
                requested_at=T0,
            )
            for fid in ("f1", "f2")
        ),
        ExpediteDecided(
            family_unit_id="f2",
            request_id="r-f2",
            criterion="safety-threat",
            granted=True,
            reason="police report",
            decided_by=[SHELTER_ORG, "org-cbp"],
            decided_at=T0 + dt.timedelta(hours=1),
        ),
    )
    agency = harness.context_for(Role.EXPEDITE_DECIDER, kind=PartnerKind.DHS)
    elsewhere = harness.context_for(Role.EXPEDITE_DECIDER, kind=PartnerKind.UNHCR)

    pending = await harness.execute(REQUESTS, agency, decided=False)
    done = await harness.execute(REQUESTS, agency, decided=True)
    unseen = await harness.execute(REQUESTS, elsewhere, decided=False)

    assert pending.data == {
        "expediteRequests": [
            {
                "requestId": "r-f1",
                "familyUnitId": "f1",
                "criterion": "safety-threat",
                "requestedBy": SHELTER_ORG,
                "status": "requested",
                "approvedBy": [],
                "reason": "",
                "note": "threatened",
            }
        ]
    }
    assert done.data is not None
    assert [(r["status"], r["approvedBy"], r["reason"]) for r in done.data["expediteRequests"]] == [
        ("granted", [SHELTER_ORG, "org-cbp"], "police report")
    ]
    assert unseen.data is not None
    assert unseen.data["expediteRequests"][0]["note"] is None
    assert [e.message for e in unseen.errors or []] == ["not authorised"]
