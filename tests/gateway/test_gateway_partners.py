"""Partners' points of contact and languages: kept by the gateway, published to notifications
(organisation-registered/updated, never a token), read in the inter-agency directory."""

from __future__ import annotations

import json
from typing import Any

import pytest
from puente_gateway import organisations
from puente_gateway.roles import ISSUABLE, Role
from puente_gateway.tables import OrganisationProfile
from puente_schemas.common import PartnerKind
from puente_schemas.topics import GATEWAY_EVENTS
from sqlmodel import Session

from .support import Harness, eventually

CREATE = """
mutation($name: String!, $contacts: [ContactInput!], $languages: [String!]) {
  createOrganisation(name: $name, kind: SHELTER, contacts: $contacts, languages: $languages) {
    id languages contacts { name role email phone languages }
  }
}"""
UPDATE = """
mutation($id: ID!, $contacts: [ContactInput!]!, $languages: [String!]!) {
  updateOrganisationContacts(organisationId: $id, contacts: $contacts, languages: $languages) {
    organisationId name languages contacts { name email }
  }
}"""
DIRECTORY = "{ partnerDirectory { organisationId name kind languages contacts { name phone } } }"
ROSA = {
    "name": "Rosa Díaz",
    "role": "coordinator",
    "email": "rosa@casa.example.org",
    "phone": "+528681234567",
    "languages": ["spa", "eng"],
}


def published(harness: Harness) -> list[tuple[str, dict[str, Any]]]:
    """(short type, body) of each organisation event the gateway published."""
    return [
        (m.headers["ce_type"].split(".")[-2], json.loads(m.value))
        for m in harness.bus.read(GATEWAY_EVENTS)
    ]


def about(harness: Harness, organisation_id: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (kind, body)
        for kind, body in published(harness)
        if body["organisation_id"] == organisation_id
    ]


async def test_a_new_organisation_is_published_with_its_contacts_and_languages(
    harness: Harness,
) -> None:
    admin = harness.context_for(Role.ADMIN, kind=PartnerKind.UNHCR)

    result = await harness.execute(
        CREATE, admin, name="Casa del Migrante", contacts=[ROSA], languages=["spa", "eng"]
    )

    assert result.errors is None
    assert result.data is not None
    made = result.data["createOrganisation"]
    assert made["languages"] == ["spa", "eng"]
    assert made["contacts"] == [ROSA]
    events = await eventually(lambda: about(harness, made["id"]))
    assert events == [
        (
            "organisation-registered",
            {
                "organisation_id": made["id"],
                "name": "Casa del Migrante",
                "kind": "shelter",
                "languages": ["spa", "eng"],
                "contacts": [ROSA],
                "shelter_id": None,
            },
        )
    ]


async def test_the_organisations_there_at_start_are_published_without_their_tokens(
    harness: Harness,
) -> None:
    events = await eventually(lambda: published(harness))

    assert [(kind, body["name"], body["kind"]) for kind, body in events] == [
        ("organisation-registered", "Puente operations", "unhcr")
    ]
    assert harness.admin_token not in json.dumps(events)
    assert "token" not in json.dumps(events)


async def test_an_organisation_made_before_profiles_is_published_once(harness: Harness) -> None:
    engine = harness.gateway.service.engine
    row = organisations.create_organisation(
        engine, name="Old shelter", kind=PartnerKind.SHELTER, now=harness.clock.now()
    )
    with Session(engine) as session:  # as a database from before this release holds it
        session.delete(session.get(OrganisationProfile, row.id))
        session.commit()

    harness.gateway.announce_organisations()
    harness.gateway.announce_organisations()

    events = await eventually(lambda: about(harness, row.id))
    assert [kind for kind, _ in events] == ["organisation-registered"]


async def test_an_organisation_updates_its_own_contacts(harness: Harness) -> None:
    _, organisation_id = harness.token(Role.SHELTER, kind=PartnerKind.SHELTER)
    harness.gateway.announce_organisations()
    itself = harness.context_for(Role.SHELTER, organisation_id=organisation_id)

    result = await harness.execute(
        UPDATE, itself, id=organisation_id, contacts=[ROSA], languages=["mam", "spa"]
    )

    assert result.errors is None
    assert result.data is not None
    assert result.data["updateOrganisationContacts"]["languages"] == ["mam", "spa"]
    events = await eventually(lambda: about(harness, organisation_id)[1:])
    kind, body = events[-1]
    assert kind == "organisation-updated"
    assert body["languages"] == ["mam", "spa"]
    assert body["contacts"] == [ROSA]


async def test_another_organisation_may_not_change_its_contacts(harness: Harness) -> None:
    _, organisation_id = harness.token(Role.SHELTER, kind=PartnerKind.SHELTER)
    other = harness.context_for(*(ISSUABLE - {Role.ADMIN}), organisation_id="org-other")
    admin = harness.context_for(Role.ADMIN, organisation_id="org-operations")

    refused = await harness.execute(UPDATE, other, id=organisation_id, contacts=[], languages=[])
    allowed = await harness.execute(
        UPDATE, admin, id=organisation_id, contacts=[], languages=["spa"]
    )

    assert [e.message for e in refused.errors or []] == [
        "not authorised: only an admin or the organisation itself"
    ]
    assert allowed.errors is None


@pytest.mark.parametrize(
    ("contact", "languages", "message"),
    [
        (
            {**ROSA, "email": "rosa at casa"},
            ["spa"],
            "contacts[0].email: is not an e-mail address",
        ),
        (
            {**ROSA, "languages": ["spa", "es"]},
            ["spa"],
            "contacts[0].languages[1]: is not an ISO 639-3 language code (three lowercase "
            "letters, e.g. 'spa')",
        ),
        (
            {**ROSA, "phone": "868 123"},
            ["spa"],
            "contacts[0].phone: is not a phone number in E.164 form ('+' and 6 to 15 digits)",
        ),
        (
            ROSA,
            ["spa", "Spanish"],
            "languages[1]: is not an ISO 639-3 language code (three lowercase letters, e.g. 'spa')",
        ),
    ],
)
async def test_an_invalid_contact_or_language_is_refused_by_name_and_nothing_is_written(
    harness: Harness, contact: dict[str, Any], languages: list[str], message: str
) -> None:
    admin = harness.context_for(Role.ADMIN, kind=PartnerKind.UNHCR)
    _, organisation_id = harness.token(Role.SHELTER, kind=PartnerKind.SHELTER)
    before = organisations.organisations(harness.gateway.service.engine)

    created = await harness.execute(
        CREATE, admin, name="Casa", contacts=[contact], languages=languages
    )
    updated = await harness.execute(
        UPDATE, admin, id=organisation_id, contacts=[contact], languages=languages
    )

    assert [e.message for e in created.errors or []] == [message]
    assert [e.message for e in updated.errors or []] == [message]
    assert len(organisations.organisations(harness.gateway.service.engine)) == len(before)
    profile = organisations.profiles(harness.gateway.service.engine, [organisation_id])
    assert profile[organisation_id].contacts == []
    assert profile[organisation_id].version == 1


async def test_policy_officers_and_admins_read_the_directory(harness: Harness) -> None:
    admin = harness.context_for(Role.ADMIN, kind=PartnerKind.UNHCR)
    await harness.execute(CREATE, admin, name="Casa", contacts=[ROSA], languages=["spa"])
    officer = harness.context_for(Role.POLICY_OFFICER, kind=PartnerKind.DHS)
    others = harness.context_for(*(ISSUABLE - {Role.ADMIN, Role.POLICY_OFFICER}))

    read = await harness.execute(DIRECTORY, officer)
    refused = await harness.execute(DIRECTORY, others)

    assert read.data is not None
    casa = [p for p in read.data["partnerDirectory"] if p["name"] == "Casa"]
    assert casa[0]["kind"] == "SHELTER"
    assert casa[0]["languages"] == ["spa"]
    assert casa[0]["contacts"] == [{"name": "Rosa Díaz", "phone": "+528681234567"}]
    assert [e.message for e in refused.errors or []] == [
        "not authorised: partnerDirectory needs role admin or policy_officer"
    ]
