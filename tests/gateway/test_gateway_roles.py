"""Every mutation needs its role: a wrong role gets a clear error and nothing is sent."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from puente_gateway.roles import ISSUABLE, Role
from puente_schemas.common import PartnerKind
from puente_schemas.events import ExpediteRequested

from .support import T0, Harness, registered

MEMBER = {
    "givenName": "Rosa",
    "familyName": "Perez",
    "birthDate": "2001-04-05",
    "inMpp": False,
    "language": "quc",
}
FAMILY_INPUT = {
    "channel": "ONLINE",
    "currentLocation": {"city": "Matamoros", "country": "MX"},
    "members": [MEMBER],
}
# field, operation, variables, the roles that may call it
MUTATIONS: list[tuple[str, str, dict[str, Any], set[Role]]] = [
    (
        "registerFamily",
        "mutation($input: RegisterFamilyInput!) { registerFamily(input: $input) { status } }",
        {"input": FAMILY_INPUT},
        {Role.REGISTRAR, Role.HOTLINE_OPERATOR, Role.LEGAL_PROVIDER},
    ),
    (
        "addFamilyMember",
        "mutation($id: ID!, $m: MemberInput!) { addFamilyMember(familyUnitId: $id, member: $m)"
        " { status } }",
        {"id": "f-1", "m": MEMBER},
        {Role.REGISTRAR},
    ),
    (
        "updateLocation",
        "mutation($id: ID!) { updateLocation(familyUnitId: $id,"
        ' location: {city: "Reynosa", country: "MX"}) { status } }',
        {"id": "f-1"},
        {Role.REGISTRAR},
    ),
    (
        "requestExpedite",
        'mutation($id: ID!) { requestExpedite(familyUnitId: $id, criterion: "urgent-medical",'
        ' note: "insulin") { status } }',
        {"id": "f-1"},
        {Role.REGISTRAR, Role.LEGAL_PROVIDER},
    ),
    (
        "decideExpedite",
        'mutation { decideExpedite(requestId: "r-1", granted: true, reason: "seen") { status } }',
        {},
        {Role.EXPEDITE_DECIDER},
    ),
    (
        "recordCallback",
        'mutation { recordCallback(callbackId: "c-1", outcome: "reached") { status } }',
        {},
        {Role.HOTLINE_OPERATOR},
    ),
    (
        "announcePolicy",
        'mutation { announcePolicy(title: "Nogales opens", effectiveAt: "2021-03-01T00:00:00Z",'
        ' changes: {sites: [{site: "nogales", open: true}]}) { status } }',
        {},
        {Role.POLICY_OFFICER},
    ),
    (
        "createOrganisation",
        'mutation { createOrganisation(name: "Casa", kind: SHELTER) { id } }',
        {},
        {Role.ADMIN},
    ),
    (
        "issueToken",
        'mutation { issueToken(organisationId: "o-1", roles: [SHELTER]) { token } }',
        {},
        {Role.ADMIN},
    ),
    ("revokeToken", 'mutation { revokeToken(tokenId: "t-1") }', {}, {Role.ADMIN}),
    (
        "amendPolicy",
        'mutation { amendPolicy(policyId: "p-1", title: "Nogales opens later",'
        ' effectiveAt: "2021-06-02T00:00:00Z") { status } }',
        {},
        {Role.POLICY_OFFICER},
    ),
    (
        "cancelPolicy",
        'mutation { cancelPolicy(policyId: "p-1", reason: "withdrawn") { status } }',
        {},
        {Role.POLICY_OFFICER},
    ),
]


@pytest.mark.parametrize(
    ("field", "operation", "variables", "allowed"), MUTATIONS, ids=[m[0] for m in MUTATIONS]
)
async def test_a_mutation_is_refused_to_every_other_role_and_nothing_is_sent(
    harness: Harness, field: str, operation: str, variables: dict[str, Any], allowed: set[Role]
) -> None:
    # An agency holding every other role: the organisation would see any record.
    others = harness.context_for(*(ISSUABLE - allowed), kind=PartnerKind.DHS)

    result = await harness.execute(operation, others, **variables)

    names = " or ".join(sorted(role.value for role in allowed))
    assert [e.message for e in result.errors or []] == [
        f"not authorised: {field} needs role {names}"
    ]
    assert result.data is None
    assert harness.staged_commands() == []


async def test_only_an_expedite_decider_decides(make_harness: Callable[..., Harness]) -> None:
    harness = make_harness(outcome_timeout_seconds=0.1)
    await harness.start()
    fid = str(uuid.uuid4())
    await harness.publish_all(
        registered(fid),
        ExpediteRequested(
            request_id="r-1",
            family_unit_id=fid,
            criterion="urgent-medical",
            note="insulin",
            requested_by="org-casa",
            requested_at=T0,
        ),
    )
    decide = "mutation($r: ID!) { decideExpedite(requestId: $r, granted: true, "
    decide += 'reason: "urgent") { status commandId } }'
    decider = harness.context_for(Role.EXPEDITE_DECIDER, organisation_id="org-cbp")

    refused = await harness.execute(decide, harness.context_for(Role.REGISTRAR), r="r-1")
    unknown = await harness.execute(decide, decider, r="r-2")
    decided = await harness.execute(decide, decider, r="r-1")

    assert [e.message for e in refused.errors or []] == [
        "not authorised: decideExpedite needs role expedite_decider"
    ]
    assert [e.message for e in unknown.errors or []] == ["unknown expedite request 'r-2'"]
    assert decided.errors is None
    assert decided.data is not None
    assert decided.data["decideExpedite"]["status"] == "PENDING"
    assert harness.staged_commands() == [
        (
            "decide-expedite",
            {
                "family_unit_id": fid,
                "request_id": "r-1",
                "granted": True,
                "reason": "urgent",
                "organisation_id": "org-cbp",
            },
        )
    ]


async def test_each_channel_needs_its_role(harness: Harness) -> None:
    register = "mutation($input: RegisterFamilyInput!) { registerFamily(input: $input) { status } }"
    attorney = {**FAMILY_INPUT, "channel": "ATTORNEY"}

    by_hotline = await harness.execute(
        register, harness.context_for(Role.HOTLINE_OPERATOR), input=attorney
    )
    online_by_hotline = await harness.execute(
        register, harness.context_for(Role.HOTLINE_OPERATOR), input=FAMILY_INPUT
    )

    assert [e.message for e in by_hotline.errors or []] == [
        "not authorised: channel ATTORNEY needs role legal_provider"
    ]
    assert [e.message for e in online_by_hotline.errors or []] == [
        "not authorised: channel ONLINE needs role registrar"
    ]
    assert harness.staged_commands() == []


async def test_changing_a_family_needs_an_organisation_that_may_see_it(harness: Harness) -> None:
    fid = str(uuid.uuid4())
    await harness.publish_all(registered(fid, organisation_id="org-casa", consent=["shelter"]))
    update = (
        "mutation($id: ID!) { updateLocation(familyUnitId: $id,"
        ' location: {city: "Reynosa", country: "MX"}) { status } }'
    )
    expedite = (
        'mutation($id: ID!) { requestExpedite(familyUnitId: $id, criterion: "urgent-medical",'
        ' note: "dialysis") { status } }'
    )
    registrar_elsewhere = harness.context_for(Role.REGISTRAR, kind=PartnerKind.UNHCR)
    lawyer_elsewhere = harness.context_for(Role.LEGAL_PROVIDER, kind=PartnerKind.LEGAL_PROVIDER)

    results = [
        await harness.execute(update, registrar_elsewhere, id=fid),
        await harness.execute(expedite, registrar_elsewhere, id=fid),
        await harness.execute(expedite, lawyer_elsewhere, id=fid),
    ]

    for result in results:
        assert [e.message for e in result.errors or []] == [
            f"not authorised: family {fid} is not visible to you"
        ]
    assert harness.staged_commands() == []


async def test_a_legal_provider_requests_an_expedite_for_its_own_client(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness(outcome_timeout_seconds=0.1)
    await harness.start()
    fid = str(uuid.uuid4())
    await harness.publish_all(registered(fid, organisation_id="org-al-otro-lado"))
    lawyer = harness.context_for(
        Role.LEGAL_PROVIDER, kind=PartnerKind.LEGAL_PROVIDER, organisation_id="org-al-otro-lado"
    )
    expedite = (
        "mutation($id: ID!, $c: String!) { requestExpedite(familyUnitId: $id, criterion: $c,"
        ' note: "threatened in Reynosa") { status requestId } }'
    )

    unknown = await harness.execute(expedite, lawyer, id=fid, c="rich")
    asked = await harness.execute(expedite, lawyer, id=fid, c="safety-threat")

    assert [e.message for e in unknown.errors or []] == [
        "unknown expedite criterion 'rich' "
        "(one of: urgent-medical, safety-threat, other-vulnerability)"
    ]
    assert asked.errors is None
    assert asked.data is not None
    request_id = asked.data["requestExpedite"]["requestId"]
    assert harness.staged_commands() == [
        (
            "request-expedite",
            {
                "request_id": request_id,
                "family_unit_id": fid,
                "criterion": "safety-threat",
                "note": "threatened in Reynosa",
                "organisation_id": "org-al-otro-lado",
            },
        )
    ]


async def test_a_policy_with_an_unknown_site_or_negative_capacity_is_not_sent(
    harness: Harness,
) -> None:
    officer = harness.context_for(Role.POLICY_OFFICER)
    announce = (
        'mutation($changes: PolicyChangesInput!) { announcePolicy(title: "Capacity",'
        ' effectiveAt: "2021-03-01T00:00:00Z", changes: $changes) { status } }'
    )

    unknown = await harness.execute(
        announce, officer, changes={"sites": [{"site": "atlantis", "open": True}]}
    )
    negative = await harness.execute(
        announce, officer, changes={"sites": [{"site": "hidalgo", "capacityPerDay": -5}]}
    )

    assert [e.message for e in unknown.errors or []] == [
        "changes.sites[0].site: unknown site 'atlantis'"
    ]
    assert [e.message for e in negative.errors or []] == [
        "changes.sites[0].capacityPerDay: must not be below zero"
    ]
    assert harness.staged_commands() == []


async def test_a_policy_officer_announces_a_policy(make_harness: Callable[..., Harness]) -> None:
    harness = make_harness(outcome_timeout_seconds=0.1)
    await harness.start()
    announce = (
        'mutation { announcePolicy(title: "Nogales opens", effectiveAt: "2021-03-01T00:00:00Z",'
        ' changes: {sites: [{site: "nogales", open: true, capacityPerDay: 300}],'
        " eligibleCategories: [ACTIVE, IN_ABSENTIA]}) { status policyId } }"
    )

    result = await harness.execute(announce, harness.context_for(Role.POLICY_OFFICER))

    assert result.errors is None
    assert result.data is not None
    [(kind, body)] = harness.staged_commands()
    assert kind == "announce-policy"
    assert body["policy_id"] == result.data["announcePolicy"]["policyId"]
    assert body["changes"] == {
        "sites": [{"site": "nogales", "open": True, "capacity_per_day": 300}],
        "eligible_categories": ["active", "in_absentia"],
        "min_notice_hours": None,
    }
