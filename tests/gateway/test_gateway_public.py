"""Over HTTP: public queries need no token; anything else without one is a 401 before it
runs; a bad token is refused even for public queries; admins manage organisations and
tokens; errors are logged without personal data."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from puente_gateway.roles import Role
from puente_schemas.common import PartnerKind

from .support import Harness
from .test_gateway_http import client

PUBLIC = "{ sites { id } expediteCriteria { id title } }"


async def post(harness: Harness, body: dict[str, Any], token: str | None = None) -> httpx.Response:
    async with client(harness, token) as http:
        return await http.post("/graphql", json=body)


async def test_public_queries_work_without_a_token(harness: Harness) -> None:
    answer = await post(harness, {"query": PUBLIC})

    assert answer.status_code == 200
    assert answer.json()["data"]["sites"] == []
    assert [c["id"] for c in answer.json()["data"]["expediteCriteria"]] == [
        "urgent-medical",
        "safety-threat",
        "other-vulnerability",
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"query": '{ familyUnit(id: "x") { stage } }'},
        {"query": '{ sites { id } familyUnit(id: "x") { stage } }'},
        {"query": "{ ...everything } fragment everything on Query { sites { id } }"},
        {"query": 'mutation { revokeToken(tokenId: "t") }'},
        {"query": "{ __schema { types { name } } }"},
        {
            "query": "query A { sites { id } } query B { queueSummary { site } }",
            "operationName": "B",
        },
        {"query": "{ sites { id "},
    ],
    ids=["private", "mixed", "fragment", "mutation", "introspection", "named", "unparsable"],
)
async def test_anything_else_without_a_token_is_refused_before_it_runs(
    harness: Harness, body: dict[str, Any]
) -> None:
    answer = await post(harness, body)

    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"


async def test_the_public_operation_of_several_is_allowed_by_name(harness: Harness) -> None:
    body = {"query": "query A { sites { id } } query B { queueSummary { site } }"}

    answer = await post(harness, {**body, "operationName": "A"})

    assert answer.status_code == 200
    assert answer.json() == {"data": {"sites": []}}


async def test_a_bad_token_is_refused_even_for_public_queries(harness: Harness) -> None:
    answer = await post(harness, {"query": PUBLIC}, token="not-a-token")

    assert answer.status_code == 401


async def test_an_admin_creates_an_organisation_and_issues_a_token_shown_once(
    harness: Harness,
) -> None:
    create = 'mutation { createOrganisation(name: "Casa del Migrante", kind: SHELTER) { id } }'
    created = await post(harness, {"query": create}, harness.admin_token)
    organisation_id = created.json()["data"]["createOrganisation"]["id"]
    issue = (
        'mutation($o: ID!) { issueToken(organisationId: $o, roles: [SHELTER], name: "intake")'
        " { token info { id roles } } }"
    )
    issued = (
        await post(
            harness, {"query": issue, "variables": {"o": organisation_id}}, harness.admin_token
        )
    ).json()["data"]["issueToken"]
    shelter = issued["token"]
    listed = await post(
        harness,
        {"query": "{ organisations { name kind tokens { id name roles } } }"},
        harness.admin_token,
    )

    as_shelter = await post(harness, {"query": '{ familyUnit(id: "x") { stage } }'}, shelter)
    not_admin = await post(harness, {"query": "{ organisations { id } }"}, shelter)
    revoke = "mutation($t: ID!) { revokeToken(tokenId: $t) }"
    await post(
        harness, {"query": revoke, "variables": {"t": issued["info"]["id"]}}, harness.admin_token
    )
    revoked = await post(harness, {"query": '{ familyUnit(id: "x") { stage } }'}, shelter)

    assert issued["info"]["roles"] == ["SHELTER"]
    assert {
        "name": "Casa del Migrante",
        "kind": "SHELTER",
        "tokens": [{"id": issued["info"]["id"], "name": "intake", "roles": ["SHELTER"]}],
    } in listed.json()["data"]["organisations"]
    assert shelter not in listed.text
    assert as_shelter.json() == {"data": {"familyUnit": None}}
    assert not_admin.json()["errors"][0]["message"] == (
        "not authorised: organisations needs role admin"
    )
    assert revoked.status_code == 401


async def test_a_token_for_an_unknown_organisation_is_not_issued(harness: Harness) -> None:
    issue = 'mutation { issueToken(organisationId: "nowhere", roles: [ADMIN]) { token } }'

    answer = await post(harness, {"query": issue}, harness.admin_token)

    assert answer.json()["errors"][0]["message"] == "unknown organisation 'nowhere'"


async def test_errors_are_logged_without_personal_data(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    shelter, _ = harness.token(Role.SHELTER, kind=PartnerKind.SHELTER)
    inline = (
        'mutation { registerFamily(input: {channel: ONLINE, currentLocation: {city: "Tijuana",'
        ' country: "MX"}, members: [{givenName: "Xochitl", familyName: "Zapotitla",'
        ' birthDate: "1990-13-01", inMpp: false, language: "spa"}]}) { status } }'
    )
    refused = inline.replace("1990-13-01", "1990-12-01")
    lookup = '{ registrantStatus(code: "ABCD234567", birthDate: "1984-07-07") { message } }'

    with caplog.at_level(logging.DEBUG):
        bad = await post(harness, {"query": inline}, harness.admin_token)
        wrong_role = await post(harness, {"query": refused}, shelter)
        for _ in range(6):
            await post(harness, {"query": lookup})

    assert "errors" in bad.json() and "errors" in wrong_role.json()
    for personal in ("Xochitl", "Zapotitla", "1990-1", "ABCD234567", "1984-07-07"):
        assert personal not in caplog.text
