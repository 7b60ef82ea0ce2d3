"""The console's page and assets over HTTP, and `viewer`, which tells it the caller's roles."""

from __future__ import annotations

import httpx

from .support import Harness

VIEWER = {"query": "{ viewer { name roles sites shelterId } }"}


def client(harness: Harness, token: str | None = None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=harness.gateway.asgi),
        base_url="http://gateway",
        headers=headers,
    )


async def test_the_console_page_and_its_scripts_are_served_only_with_their_own_origin(
    harness: Harness,
) -> None:
    async with client(harness) as http:
        page = await http.get("/")
        script = await http.get("/console/js/main.js")
        python = await http.get("/console/__init__.py")
        graphql_in_a_browser = await http.get("/graphql")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="/console/js/main.js">' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert python.status_code == 404  # the package's code is not an asset
    assert graphql_in_a_browser.status_code == 405


async def test_viewer_tells_the_caller_its_own_roles_and_an_anonymous_caller_nothing(
    harness: Harness,
) -> None:
    async with client(harness, harness.admin_token) as http:
        mine = (await http.post("/graphql", json=VIEWER)).json()
    async with client(harness) as http:
        anonymous = await http.post("/graphql", json=VIEWER)

    assert mine == {
        "data": {
            "viewer": {
                "name": "admin",
                "roles": ["ADMIN", "REGISTRAR"],
                "sites": [],
                "shelterId": None,
            }
        }
    }
    assert anonymous.status_code == 401


async def test_a_notices_link_serves_the_console(harness: Harness) -> None:
    async with client(harness) as http:
        page = await http.get("/notices/n-1")

    assert page.status_code == 200
    assert '<script type="module" src="/console/js/main.js">' in page.text
