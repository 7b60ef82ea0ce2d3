"""The running console's platform as a test reaches it: GraphQL as the admin (organisations,
tokens) and as partners (registering families), and polling with a deadline."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
from playwright.sync_api import Page, expect

T = TypeVar("T")

REGISTER = """mutation ($input: RegisterFamilyInput!) {
  registerFamily(input: $input) { status familyUnitId errors { field message } } }"""


def eventually(check: Callable[[], T | None], *, what: str, timeout: float = 20.0) -> T:
    """Poll until `check()` returns something truthy: tests/polling.py's way, for the
    synchronous code Playwright's sync API needs (no asyncio loop may run beside it)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.1)


class Console:
    def __init__(self, url: str, var_dir: Path) -> None:
        self.url = url
        self.var_dir = var_dir
        self.admin_token = (var_dir / "admin.token").read_text().strip()
        self.token_ids: dict[str, str] = {}

    def graphql(self, token: str, query: str, **variables: Any) -> dict[str, Any]:
        answer = httpx.post(
            f"{self.url}/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10.0,
        )
        body: dict[str, Any] = answer.json()
        assert not body.get("errors"), body["errors"]
        return body["data"]

    def token_for(self, *roles: str, kind: str, **scope: Any) -> str:
        """A new organisation of `kind` (with `shelter_id`, if given) and a token for it with
        `roles` (and `sites` or `routes`, if given)."""
        organisation = self.graphql(
            self.admin_token,
            "mutation ($name: String!, $kind: PartnerKind!, $shelter: ID) {"
            " createOrganisation(name: $name, kind: $kind, shelterId: $shelter) { id } }",
            name=f"{kind} {random.randrange(10**6)}",
            kind=kind,
            shelter=scope.get("shelter_id"),
        )["createOrganisation"]
        issued = self.graphql(
            self.admin_token,
            "mutation ($org: ID!, $roles: [Role!]!, $sites: [String!], $routes: [String!]) {"
            ' issueToken(organisationId: $org, roles: $roles, name: "console test",'
            " sites: $sites, routes: $routes) { token info { id } } }",
            org=organisation["id"],
            roles=list(roles),
            sites=scope.get("sites"),
            routes=scope.get("routes"),
        )
        token: str = issued["issueToken"]["token"]
        self.token_ids[token] = issued["issueToken"]["info"]["id"]
        return token

    def revoke(self, token: str) -> None:
        query = "mutation ($id: ID!) { revokeToken(tokenId: $id) }"
        assert self.graphql(self.admin_token, query, id=self.token_ids[token])["revokeToken"]

    def register(self, token: str, city: str = "Tijuana", country: str = "MX") -> str:
        """A family of two (an adult in MPP and a child) in `city`; its family-unit id."""
        a_number = f"A{random.randrange(10**8, 10**9)}"
        members = [
            {"givenName": "Ana", "familyName": "López", "birthDate": "1990-03-01",
             "inMpp": True, "aNumber": a_number, "mppEnrollmentDate": "2019-06-03",
             "caseCategory": "ACTIVE", "language": "spa"},
            {"givenName": "Luis", "familyName": "López", "birthDate": "2018-09-09",
             "inMpp": False, "language": "spa"},
        ]  # fmt: skip
        answer = self.graphql(
            token,
            REGISTER,
            input={"channel": "ONLINE", "consent": ["SHELTER"], "members": members,
                   "currentLocation": {"city": city, "country": country}},
        )["registerFamily"]  # fmt: skip
        assert answer["status"] == "ACCEPTED", answer
        family_unit_id: str = answer["familyUnitId"]
        return family_unit_id

    def booked(self, token: str, family_unit_id: str) -> dict[str, Any]:
        """Wait until the family's transport is booked; its booking."""

        def booking() -> dict[str, Any] | None:
            found: dict[str, Any] | None = self.graphql(
                token,
                "query ($id: ID!) { itinerary(familyUnitId: $id) { booking { site status } } }",
                id=family_unit_id,
            )["itinerary"]["booking"]
            return found

        return eventually(booking, what=f"family {family_unit_id}'s transport booking")

    def sign_in(self, page: Page, token: str, path: str = "") -> None:
        page.goto(f"{self.url}/{path}")
        page.get_by_label("Token").fill(token)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def screenshot(page: Page, name: str) -> None:
    """A screenshot kept as an artifact beside the one of each test's last screen."""
    artifacts = Path(os.environ.get("PUENTE_ARTIFACTS", "var/artifacts"))
    artifacts.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=artifacts / f"{name}.png", full_page=True)


def shelter_of(console: Console, family_unit_id: str) -> str:
    """The shelter expecting the family, as the gateway's read model holds it (the test's
    setup needs to know which shelter's organisation to create)."""
    from puente_gateway.sheltering import assigned_shelter
    from sqlmodel import Session, create_engine

    engine = create_engine(f"sqlite:///{console.var_dir / 'gateway.db'}")
    try:

        def assigned() -> str | None:
            with Session(engine) as session:
                return assigned_shelter(session, family_unit_id)

        return eventually(assigned, what=f"a shelter for family {family_unit_id}")
    finally:
        engine.dispose()
