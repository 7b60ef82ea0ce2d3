"""The one redaction rule, every role against every event type; and the feed that uses it
(familyEvents' `types` and `data`)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from puente_gateway.access import RecordAccess
from puente_gateway.api.events import EVENT_TYPES
from puente_gateway.redaction import MEMBER_LEGAL_FIELDS, redact, tier
from puente_gateway.roles import ISSUABLE, Role
from puente_gateway.schema import schema
from puente_gateway.tables import AuditRow
from puente_schemas import EVENTS
from puente_schemas.common import PartnerKind
from puente_schemas.topics import GATEWAY_EVENTS
from sqlmodel import Session, select

from .support import EVERY_SITE, Harness, booked, principal, registered, scheduled, shelter_assigned

MODELS = {m.TYPE.split(".")[-2]: m for m in EVENTS if m.TOPIC != GATEWAY_EVENTS}
# The kind of organisation each role works for in the matrix (an agency only for the port).
KIND = {
    Role.ADMIN: PartnerKind.UNHCR,
    Role.REGISTRAR: PartnerKind.UNHCR,
    Role.HOTLINE_OPERATOR: PartnerKind.HOTLINE,
    Role.LEGAL_PROVIDER: PartnerKind.LEGAL_PROVIDER,
    Role.EXPEDITE_DECIDER: PartnerKind.UNHCR,
    Role.POLICY_OFFICER: PartnerKind.DHS,
    Role.SHELTER: PartnerKind.SHELTER,
    Role.TRANSPORT_OPERATOR: PartnerKind.IOM,
    Role.PORT_OFFICER: PartnerKind.DHS,
    Role.ANALYST: PartnerKind.UNHCR,
}
CASE_ROLES = {
    Role.REGISTRAR,
    Role.HOTLINE_OPERATOR,
    Role.LEGAL_PROVIDER,
    Role.EXPEDITE_DECIDER,
    Role.SHELTER,
    Role.TRANSPORT_OPERATOR,
    Role.PORT_OFFICER,
}
# What the letter and the issue call personal or legal, named here independently of the rule.
PERSONAL = {"members", "current_location", "destination", "after_release", "consent", "channel"}
LEGAL = {"court", "documents", "criterion", "note", "on_parole", "place"}
TRAVEL = {"pickup_point", "route_id", "vehicle_id", "travel_documents", "origin_city"}
POLICY = {"policy_id", "title", "effective_at", "changes"}
NOTICE_CONTENT = {"text", "title", "kind", "recipient", "channel", "channels", "url", "error"}
MEMBER = {
    "member_id": "m-1",
    "given_name": "Ana",
    "family_name": "Lopez",
    "birth_date": "1990-05-01",
    "language": "spa",
    "a_number": "A123456789",
    "case_category": "in_absentia",
    "mpp_enrollment_date": "2019-06-03",
}


def content(event_type: str, addressee: str = "org-other") -> dict[str, Any]:
    """Every field the event type has, filled in."""
    data: dict[str, Any] = {name: f"{name}-value" for name in MODELS[event_type].model_fields}
    if "members" in data:
        data["members"] = [dict(MEMBER)]
    if "organisation_id" in data:
        data["organisation_id"] = addressee
    return data


def caller(role: Role) -> Any:
    return principal(
        role,
        kind=KIND[role],
        organisation_id="org-caller",
        shelter_id="casa" if role is Role.SHELTER else None,
        sites=EVERY_SITE if role is Role.PORT_OFFICER else (),
    )


def family(*, organisation_id: str = "org-other", consent: frozenset[PartnerKind] = frozenset()):
    return RecordAccess(
        family_unit_id="f-1",
        organisation_id=organisation_id,
        consent=consent,
        shelter_id="casa",
        site="brownsville",
    )


def test_every_field_of_every_event_is_shown_to_someone_or_is_a_secret() -> None:
    unclassified = {
        (event_type, name)
        for event_type, model in MODELS.items()
        for name in model.model_fields
        if tier(event_type, name) is None
    }

    assert unclassified == {("registered", "registration_code_hash")}
    assert set(MODELS) == EVENT_TYPES


@pytest.mark.parametrize("event_type", sorted(MODELS))
@pytest.mark.parametrize("role", sorted(ISSUABLE))
def test_each_role_sees_of_each_event_only_what_its_work_needs(role: Role, event_type: str) -> None:
    """A family registered by another organisation, with no consent, coming to the caller's
    shelter and through every site."""
    data = content(event_type)

    shown = redact(caller(role), event_type, data, family())

    assert "registration_code_hash" not in shown
    assert set(shown) <= set(data)
    agency = KIND[role] in {PartnerKind.DHS, PartnerKind.DOJ, PartnerKind.STATE}
    if role not in CASE_ROLES:  # no case role: policies and what names the event, only
        assert set(shown) <= POLICY | {"family_unit_id", "site", "shelter", "reason"}
    if not agency:
        assert not PERSONAL & set(shown), "personal data without consent"
        assert not LEGAL & set(shown), "legal history without a legal role for its client"
    if role in {Role.SHELTER, Role.TRANSPORT_OPERATOR}:
        assert not LEGAL & set(shown)
    if role is Role.SHELTER:
        assert not TRAVEL & set(shown)
    if event_type.startswith(("notice-", "webhook-")):
        assert not NOTICE_CONTENT & set(shown), "another organisation's notice"
    if event_type.startswith("policy-") and event_type != "policy-at-risk":
        assert POLICY & set(data) <= set(shown)
    for member in shown.get("members", []):
        assert not MEMBER_LEGAL_FIELDS & set(member) or role in {Role.PORT_OFFICER}


@pytest.mark.parametrize("role", sorted(ISSUABLE))
def test_every_role_reads_its_own_organisations_notices(role: Role) -> None:
    for event_type in ("notice-issued", "notice-delivered", "webhook-delivery-attempted"):
        data = content(event_type, addressee="org-caller")

        shown = redact(caller(role), event_type, data, None)

        assert shown == data


def test_the_journey_a_shelter_needs_is_shown_to_it() -> None:
    shelter = caller(Role.SHELTER)

    arriving = redact(shelter, "shelter-assigned", content("shelter-assigned"), family())
    booking = redact(shelter, "transport-booked", content("transport-booked"), family())
    consented = redact(
        shelter,
        "registered",
        content("registered"),
        family(consent=frozenset({PartnerKind.SHELTER})),
    )

    assert {"expected_at", "people", "languages", "needs", "needs_interpreter"} <= set(arriving)
    assert "pickup_point" not in booking
    assert "departure_at" in booking
    assert consented["members"] == [
        {k: v for k, v in MEMBER.items() if k not in MEMBER_LEGAL_FIELDS}
    ]


def test_a_transport_operator_sees_pick_up_points_and_times() -> None:
    shown = redact(
        caller(Role.TRANSPORT_OPERATOR), "transport-booked", content("transport-booked"), family()
    )

    assert {"pickup_point", "departure_at", "arrival_at", "seats"} <= set(shown)


def test_a_legal_provider_sees_court_and_documents_of_its_own_clients_only() -> None:
    lawyer = caller(Role.LEGAL_PROVIDER)
    consenting = family(consent=frozenset({PartnerKind.LEGAL_PROVIDER}))
    own = family(organisation_id="org-caller")

    others_court = redact(lawyer, "court-assigned", content("court-assigned"), consenting)
    own_court = redact(lawyer, "court-assigned", content("court-assigned"), own)
    own_documents = redact(lawyer, "documents-prepared", content("documents-prepared"), own)
    own_members = redact(lawyer, "registered", content("registered"), own)

    assert "court" not in others_court
    assert own_court["court"] == "court-value"
    assert own_documents["documents"] == "documents-value"
    assert own_members["members"] == [MEMBER]


FEED = """
subscription($types: [String!], $after: String) {
  familyEvents(types: $types, after: $after) { type data }
}"""


async def first_events(harness: Harness, context: dict[str, Any], count: int, **variables: Any):
    feed = await schema.subscribe(FEED, variable_values=variables, context_value=context)
    assert not hasattr(feed, "errors"), feed
    found = []

    async def take() -> None:
        async for result in feed:  # type: ignore[union-attr]
            assert result.errors is None, result.errors
            found.append(result.data["familyEvents"])
            if len(found) == count:
                return

    await asyncio.wait_for(take(), 5)
    await feed.aclose()  # type: ignore[union-attr]
    return found


async def test_the_feed_filters_by_type_and_redacts_for_a_shelter(harness: Harness) -> None:
    fid = str(uuid.uuid4())
    await harness.publish_all(
        registered(fid),
        scheduled(fid),
        booked(fid, "bk-1"),
        shelter_assigned(fid, "casa"),
    )
    shelter = harness.context_for(
        Role.SHELTER, kind=PartnerKind.SHELTER, organisation_id="org-casa", shelter_id="casa"
    )

    events = await first_events(harness, shelter, 2, types=["transport-booked", "shelter-assigned"])

    assert [e["type"] for e in events] == ["transport-booked", "shelter-assigned"]
    booking, arriving = (e["data"] for e in events)
    assert "pickup_point" not in booking
    assert booking["seats"] == 2
    assert arriving["people"] == 2
    assert arriving["languages"] == ["mam", "spa"]


async def test_the_feed_refuses_an_unknown_type_by_name(harness: Harness) -> None:
    feed = await schema.subscribe(
        FEED, variable_values={"types": ["registered", "teleported"]}, context_value=harness.context
    )
    results = [r async for r in feed]  # type: ignore[union-attr]

    assert [e.message for e in results[0].errors or []] == [
        "types: unknown event type 'teleported'"
    ]


async def test_showing_a_record_in_the_feed_is_audited(harness: Harness) -> None:
    fid = str(uuid.uuid4())
    await harness.publish_all(registered(fid, organisation_id="org-unhcr"))
    registrar = harness.context_for(
        Role.REGISTRAR, kind=PartnerKind.UNHCR, organisation_id="org-unhcr"
    )

    (event,) = await first_events(harness, registrar, 1, types=["registered"])

    assert event["data"]["members"][0]["given_name"] == "Ana"
    with Session(harness.gateway.service.engine) as session:
        audit = session.exec(select(AuditRow).where(AuditRow.family_unit_id == fid)).all()
    # The family's events reached the caller (access.py), and its record was shown (redaction.py).
    assert [(row.operation, row.outcome) for row in audit] == [
        ("familyEvents", "read"),
        ("familyEvents.data", "read"),
    ]
