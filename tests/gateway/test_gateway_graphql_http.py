"""GraphQL over HTTP as a spec-following client sees it: the media type it asks for, 400 for a
request that cannot run under `application/graphql-response+json`, no `data` when nothing
ran, 406 for an answer it cannot take, and a GraphQL error (never a 500) for a body the
server cannot read."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .support import Harness

GRAPHQL_RESPONSE = "application/graphql-response+json"
SITES = {"query": "{ sites { id } }"}


async def post(
    harness: Harness,
    *,
    json: Any = None,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
    token: str | None = "admin",
) -> httpx.Response:
    sent = {"content-type": "application/json"} if content is not None else {}
    if token:
        sent["authorization"] = f"Bearer {harness.admin_token if token == 'admin' else token}"
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=harness.gateway.asgi), base_url="http://gateway"
    ) as http:
        return await http.post(
            "/graphql", json=json, content=content, headers=sent | (headers or {})
        )


@pytest.mark.parametrize(
    ("accept", "answered_in"),
    [
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"application/json;q=0.5, {GRAPHQL_RESPONSE};charset=utf-8", GRAPHQL_RESPONSE),
        ("application/json", "application/json"),
        ("*/*", "application/json"),
        (None, "application/json"),
    ],
)
async def test_the_answer_comes_in_the_media_type_asked_for(
    harness: Harness, accept: str | None, answered_in: str
) -> None:
    answer = await post(harness, json=SITES, headers={"accept": accept} if accept else {})

    assert answer.status_code == 200
    assert answer.headers["content-type"] == f"{answered_in}; charset=utf-8"
    assert answer.json() == {"data": {"sites": []}}


@pytest.mark.parametrize(
    "body",
    [
        {"query": "{ sites { id "},
        {"query": "{ nowhere }"},
        {"query": "query ($id: ID!) { familyUnit(id: $id) { id } }", "variables": {"id": None}},
    ],
    ids=["does not parse", "does not validate", "variables do not coerce"],
)
async def test_a_request_that_cannot_run_gets_400_and_no_data(
    harness: Harness, body: dict[str, Any]
) -> None:
    strict = await post(harness, json=body, headers={"accept": GRAPHQL_RESPONSE})
    legacy = await post(harness, json=body, headers={"accept": "application/json"})

    assert (strict.status_code, legacy.status_code) == (400, 200)
    for answer in (strict, legacy):
        assert list(answer.json()) == ["errors"]
        assert answer.json()["errors"][0]["message"]


async def test_an_error_while_running_keeps_200_and_the_data_entry(harness: Harness) -> None:
    """The field is not nullable, so its error nulls the data: it ran, and says so."""
    body = {"query": 'mutation { issueToken(organisationId: "nowhere", roles: [ADMIN]) { token } }'}

    answer = await post(harness, json=body, headers={"accept": GRAPHQL_RESPONSE})

    assert answer.status_code == 200
    assert "data" in answer.json() and answer.json()["data"] is None
    assert answer.json()["errors"][0]["path"] == ["issueToken"]


@pytest.mark.parametrize(
    "accept", ["text/html", "application/xml, image/*", "application/json;q=0"]
)
async def test_an_answer_the_client_cannot_take_is_406(harness: Harness, accept: str) -> None:
    answer = await post(harness, json=SITES, headers={"accept": accept})

    assert answer.status_code == 406
    assert answer.json() == {
        "errors": [{"message": f"accept {GRAPHQL_RESPONSE} or application/json"}]
    }


@pytest.mark.parametrize(
    ("content", "headers", "status", "message"),
    [
        (b"{not json", {}, 400, "Unable to parse request body as JSON"),
        (b"", {}, 400, "Unable to parse request body as JSON"),
        (b'{"query": "\xc3\x28"}', {}, 400, "the body is not UTF-8"),
        (b"[1, 2]", {}, 400, "the body must be a JSON object with a query"),
        (b'"{ sites { id } }"', {}, 400, "the body must be a JSON object with a query"),
        (b"{}", {}, 400, "No GraphQL query found in the request"),
        (b'{"query": 7}', {}, 400, "The GraphQL operation's `query` must be a string"),
        (b"{ sites { id } }", {"content-type": "application/graphql"}, 415, "send the request"),
        (b"{}", {"content-type": "application/json; charset=latin-1"}, 415, "send the request"),
        (b"{}", {"content-type": ""}, 415, "send the request as application/json (UTF-8)"),
    ],
)
async def test_a_body_the_server_cannot_read_gets_a_graphql_error(
    harness: Harness, content: bytes, headers: dict[str, str], status: int, message: str
) -> None:
    for accept in (GRAPHQL_RESPONSE, "application/json"):
        answer = await post(harness, content=content, headers={"accept": accept, **headers})

        assert answer.status_code == status
        assert answer.headers["content-type"] == f"{accept}; charset=utf-8"
        (error,) = answer.json()["errors"]
        assert error["message"].startswith(message)
        assert "data" not in answer.json()


async def test_a_refusal_for_want_of_a_token_is_a_graphql_error_too(harness: Harness) -> None:
    answer = await post(
        harness,
        json={"query": '{ familyUnit(id: "x") { id } }'},
        headers={"accept": GRAPHQL_RESPONSE},
        token=None,
    )

    assert (answer.status_code, answer.headers["www-authenticate"]) == (401, "Bearer")
    assert answer.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    assert answer.json() == {"errors": [{"message": "authentication required"}]}
