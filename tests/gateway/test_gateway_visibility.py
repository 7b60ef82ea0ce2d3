"""Personal data by organisation: a family's record is seen by an agency, the organisation that
registered it, or a kind it consented to; legal history never by shelters; every read (and
every refusal) is in the audit log, which holds no personal data."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from typing import Any

from puente_gateway.codes import code_hash
from puente_gateway.roles import Role
from puente_schemas import Envelope
from puente_schemas.common import FieldError, PartnerKind
from puente_schemas.events import RegistrationRejected
from puente_schemas.topics import REGISTRATION_COMMANDS

from tests.polling import eventually

from .support import Harness, registered, scheduled, shelter_assigned
from .test_gateway_commands import INPUT, REGISTER, answering

FAMILY = """
query ($id: ID!) { familyUnit(id: $id) { stage members { givenName birthDate aNumber } } }
"""
AUDIT = """
query ($id: ID!) {
  auditLog(familyUnitId: $id) { familyUnitId operation outcome tokenId principal organisationId }
}
"""
HOTLINE = "org-hotline-tijuana"
CASA = "casa"


def errors(result: Any) -> list[tuple[str, list[str | int]]]:
    return [(e.message, list(e.path)) for e in result.errors or []]


async def two_families(harness: Harness) -> tuple[str, str]:
    """Both registered by the hotline and expected at the shelter CASA: one consents to
    shelters seeing it, one to nobody."""
    consenting, private = str(uuid.uuid4()), str(uuid.uuid4())
    await harness.publish_all(
        registered(consenting, organisation_id=HOTLINE, consent=[PartnerKind.SHELTER]),
        registered(private, organisation_id=HOTLINE, consent=[]),
    )
    await harness.publish_all(scheduled(consenting), scheduled(private))
    await harness.publish_all(shelter_assigned(consenting, CASA), shelter_assigned(private, CASA))
    return consenting, private


def casa(harness: Harness) -> dict[str, Any]:
    return harness.context_for(Role.SHELTER, kind=PartnerKind.SHELTER, shelter_id=CASA)


async def test_a_shelter_sees_names_only_with_consent_and_never_legal_history(
    harness: Harness,
) -> None:
    consenting, private = await two_families(harness)
    shelter = casa(harness)

    seen = await harness.execute(FAMILY, shelter, id=consenting)
    unseen = await harness.execute(FAMILY, shelter, id=private)

    assert seen.data is not None
    assert [m["givenName"] for m in seen.data["familyUnit"]["members"]] == ["Ana", "Luis"]
    assert [m["aNumber"] for m in seen.data["familyUnit"]["members"]] == [None, None]
    assert errors(seen) == [
        ("not authorised", ["familyUnit", "members", 0, "aNumber"]),
        ("not authorised", ["familyUnit", "members", 1, "aNumber"]),
    ]
    assert unseen.data == {"familyUnit": {"stage": "SCHEDULED", "members": None}}
    assert errors(unseen) == [("not authorised", ["familyUnit", "members"])]


async def test_a_shelter_does_not_see_a_family_that_is_not_coming_to_it(harness: Harness) -> None:
    consenting, _ = await two_families(harness)
    elsewhere = harness.context_for(Role.SHELTER, kind=PartnerKind.SHELTER, shelter_id="other")
    no_shelter = harness.context_for(Role.SHELTER, kind=PartnerKind.SHELTER)

    for caller in (elsewhere, no_shelter):
        result = await harness.execute(FAMILY, caller, id=consenting)
        assert result.data == {"familyUnit": None}
        assert errors(result) == [
            (f"not authorised: family {consenting} is not visible to you", ["familyUnit"])
        ]
    log = await harness.execute(AUDIT, harness.context_for(Role.ADMIN), id=consenting)
    assert log.data is not None
    assert [(r["operation"], r["outcome"]) for r in log.data["auditLog"]] == [
        ("familyUnit", "refused"),
        ("familyUnit", "refused"),
    ]


async def test_the_registering_organisation_and_the_agencies_see_the_record(
    harness: Harness,
) -> None:
    """Another hotline or a legal provider does not follow a family it neither registered
    nor represents: not even its stage (issue 8, item 3)."""
    _, private = await two_families(harness)
    readers = {
        "registered it": harness.context_for(
            Role.HOTLINE_OPERATOR, kind=PartnerKind.HOTLINE, organisation_id=HOTLINE
        ),
        "DOJ": harness.context_for(Role.PORT_OFFICER, kind=PartnerKind.DOJ, sites={"brownsville"}),
        "another hotline": harness.context_for(Role.HOTLINE_OPERATOR, kind=PartnerKind.HOTLINE),
        "a legal provider": harness.context_for(
            Role.LEGAL_PROVIDER, kind=PartnerKind.LEGAL_PROVIDER
        ),
    }

    seen = {who: await harness.execute(FAMILY, ctx, id=private) for who, ctx in readers.items()}

    for who in ("registered it", "DOJ"):
        assert seen[who].errors is None, who
        assert seen[who].data is not None
        assert seen[who].data["familyUnit"]["members"][0]["aNumber"] == "A123456789"
    for who in ("another hotline", "a legal provider"):
        assert seen[who].data == {"familyUnit": None}, who
        assert errors(seen[who]) == [
            (f"not authorised: family {private} is not visible to you", ["familyUnit"])
        ]


async def test_admin_and_analyst_roles_see_no_case(harness: Harness) -> None:
    fid, _ = await two_families(harness)

    for role in (Role.ADMIN, Role.ANALYST, Role.POLICY_OFFICER):
        result = await harness.execute(FAMILY, harness.context_for(role), id=fid)
        assert result.data == {"familyUnit": None}
        assert [e.message for e in result.errors or []] == [
            "not authorised: familyUnit needs role expedite_decider or hotline_operator or "
            "legal_provider or port_officer or registrar or shelter or transport_operator"
        ]


async def test_reads_and_refusals_of_a_record_are_audited_without_personal_data(
    harness: Harness,
) -> None:
    _, private = await two_families(harness)
    owner = harness.context_for(
        Role.HOTLINE_OPERATOR, kind=PartnerKind.HOTLINE, organisation_id=HOTLINE
    )
    shelter = casa(harness)
    await harness.execute(FAMILY, owner, id=private)
    await harness.execute(FAMILY, shelter, id=private)
    await harness.execute("query ($id: ID!) { familyUnit(id: $id) { stage } }", shelter, id=private)

    refused = await harness.execute(AUDIT, owner, id=private)
    log = await harness.execute(AUDIT, harness.context_for(Role.ADMIN), id=private)

    assert [e.message for e in refused.errors or []] == [
        "not authorised: auditLog needs role admin"
    ]
    assert log.errors is None
    assert log.data is not None
    assert [(r["operation"], r["outcome"], r["organisationId"]) for r in log.data["auditLog"]] == [
        ("familyUnit", "read", HOTLINE),
        ("familyUnit.members", "read", HOTLINE),
        ("familyUnit", "read", "org-shelter"),  # the shelter follows it: it is coming there
        ("familyUnit.members", "refused", "org-shelter"),
        ("familyUnit", "read", "org-shelter"),
        ("auditLog", "refused", HOTLINE),  # a refusal by role is logged too
    ]
    text = str(log.data)
    for personal in ("Ana", "Lopez", "1990-05-01", "A123456789"):
        assert personal not in text


async def test_registration_sends_only_the_codes_hash_with_the_callers_organisation_and_consent(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness()
    answering(harness, registered)
    await harness.start()
    lawyer = harness.context_for(
        Role.LEGAL_PROVIDER, kind=PartnerKind.LEGAL_PROVIDER, organisation_id="org-lawyers"
    )
    given = {**INPUT, "channel": "ATTORNEY", "consent": ["SHELTER", "IOM"]}
    query = REGISTER.replace("errors {", "registrationCode errors {")

    result = await harness.execute(query, lawyer, input=given)

    assert result.errors is None
    assert result.data is not None
    answer = result.data["registerFamily"]
    assert answer["status"] == "ACCEPTED"
    code = answer["registrationCode"]
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{10}", code)
    message = harness.bus.read(REGISTRATION_COMMANDS)[0]
    sent = Envelope.from_kafka(message.headers, message.value)
    assert sent.data["registration_code_hash"] == code_hash(code, harness.gateway.code_key)
    assert sent.data["registration_code_hash"] != hashlib.sha256(code.encode()).hexdigest()
    assert code not in str(sent.data)
    assert sent.data["organisation_id"] == "org-lawyers"
    assert sent.data["consent"] == ["shelter", "iom"]


async def test_the_existing_family_of_a_duplicate_is_shown_only_to_who_may_see_it(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness()
    existing = str(uuid.uuid4())
    answering(
        harness,
        lambda fid: RegistrationRejected(
            family_unit_id=fid,
            errors=[FieldError(field="members[0].a_number", message="is already registered")],
            existing_family_unit_id=existing,
        ),
    )
    await harness.start()
    await harness.publish_all(registered(existing, organisation_id=HOTLINE))
    query = REGISTER.replace("errors {", "existingFamilyUnitId registrationCode errors {")
    owner = harness.context_for(Role.REGISTRAR, kind=PartnerKind.HOTLINE, organisation_id=HOTLINE)
    other = harness.context_for(Role.REGISTRAR, kind=PartnerKind.UNHCR)

    by_owner = await harness.execute(query, owner, input=INPUT)
    by_other = await harness.execute(query, other, input=INPUT)

    assert by_owner.errors is None
    assert by_owner.data is not None
    assert by_owner.data["registerFamily"]["existingFamilyUnitId"] == existing
    assert by_owner.data["registerFamily"]["registrationCode"] is None
    assert by_owner.data["registerFamily"]["errors"] == [
        {"field": "members[0].aNumber", "message": "is already registered"}
    ]
    assert by_other.data is not None
    assert by_other.data["registerFamily"]["status"] == "REJECTED"
    assert by_other.data["registerFamily"]["existingFamilyUnitId"] is None
    assert by_other.errors is None  # a refusal would confirm the other organisation's case
    await eventually(lambda: len(harness.bus.read(REGISTRATION_COMMANDS)) == 2)
