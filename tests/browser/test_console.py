"""What a user of the console sees, in Chromium: signing in, the views each role gets, live
updates without a reload, the language switch and the keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .support import Console

pytestmark = pytest.mark.servers  # needs a server (Chromium): run by `make test`

VIEWS = "#views a"


def test_a_wrong_token_gets_a_clear_message_and_no_data(console: Console, page: Page) -> None:
    page.goto(console.url)
    page.get_by_label("Token").fill("not-a-token")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_have_text(re.compile("not recognised or has been revoked"))
    expect(page.locator("#views")).to_be_hidden()
    expect(page.locator("#view")).to_be_empty()
    assert page.evaluate("sessionStorage.length") == 0


def test_the_admin_sees_the_overview_family_and_stuck_views_and_no_shelter_or_port(
    console: Console, page: Page
) -> None:
    console.sign_in(page, console.admin_token)

    expect(page.locator(VIEWS)).to_have_text(["Overview", "Family", "Stuck"])
    expect(page.locator("#organisations")).to_contain_text("Puente operations")
    expect(page.locator("#fairness")).to_contain_text("No family was passed over")
    # The admin may not read the queue or the shelters: those panels are not drawn at all.
    expect(page.locator("#queue")).to_have_count(0)
    expect(page.locator("#shelters")).to_have_count(0)


def test_an_analysts_overview_counts_a_family_registered_through_the_api_without_a_reload(
    console: Console, page: Page
) -> None:
    analyst = console.token_for("ANALYST", kind="UNHCR")
    registrar = console.token_for("REGISTRAR", kind="DHS")
    console.sign_in(page, analyst)
    expect(page.locator(VIEWS)).to_have_text(["Overview"])
    total = page.locator("#families-total")
    expect(total).to_have_text(re.compile(r"^\d+$"))
    before = int(total.inner_text())
    page.evaluate("window.notReloaded = true")

    console.register(registrar)

    expect(total).to_have_text(str(before + 1), timeout=15_000)
    stages = page.locator("#stages svg rect")
    expect(stages).to_have_count(8)  # every stage of the journey but UNKNOWN, as bars
    assert page.evaluate("window.notReloaded") is True
    expect(page.locator("#queue svg rect").first).to_be_visible()
    expect(page.locator("#organisations")).to_have_count(0)


def test_a_family_timeline_grows_live_as_its_journey_moves(console: Console, page: Page) -> None:
    registrar = console.token_for("REGISTRAR", kind="DHS")
    console.sign_in(page, registrar)
    family = console.register(registrar)
    page.get_by_role("link", name="Family").click()
    page.get_by_label("Family id").fill(family)
    page.get_by_role("button", name="Open").click()

    timeline = page.locator("#timeline li")
    expect(timeline.first).to_contain_text("registered")
    page.evaluate("window.notReloaded = true")
    console.graphql(
        registrar,
        "mutation ($id: ID!) { updateLocation(familyUnitId: $id,"
        ' location: {city: "Mexicali", country: "MX"}) { status } }',
        id=family,
    )

    expect(page.locator('#timeline li[data-type="registration-updated"]')).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    expect(page.locator("#members")).to_contain_text("Ana López")


def test_an_unknown_family_shows_not_found(console: Console, page: Page) -> None:
    console.sign_in(page, console.admin_token, "#/family/00000000-0000-0000-0000-000000000000")

    expect(page.get_by_role("alert")).to_have_text("Family not found, or not one you follow.")


def test_a_revoked_token_returns_to_sign_in_and_leaves_nothing_on_screen(
    console: Console, page: Page
) -> None:
    analyst = console.token_for("ANALYST", kind="UNHCR")
    console.sign_in(page, analyst)
    expect(page.locator("#queue")).to_be_visible()

    console.revoke(analyst)

    expect(page.get_by_role("alert")).to_have_text("Your session has ended. Sign in again.")
    expect(page.get_by_label("Token")).to_be_visible()
    expect(page.locator("#view")).to_be_empty()
    assert page.evaluate("sessionStorage.length") == 0


def test_the_language_switch_changes_the_consoles_own_texts(console: Console, page: Page) -> None:
    console.sign_in(page, console.admin_token)
    expect(page.locator("#organisations")).to_contain_text("Organisations")

    page.get_by_role("button", name="Español").click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator(VIEWS)).to_have_text(["Resumen", "Familia", "Detenidas"])
    expect(page.locator("#organisations")).to_contain_text("Organizaciones")
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()

    page.reload()  # the choice is kept; the session too (sessionStorage)
    expect(page.locator(VIEWS)).to_have_text(["Resumen", "Familia", "Detenidas"])
    page.get_by_role("button", name="English").click()
    expect(page.locator(VIEWS)).to_have_text(["Overview", "Family", "Stuck"])


def test_the_console_is_usable_with_the_keyboard_alone(console: Console, page: Page) -> None:
    page.goto(console.url)
    expect(page.get_by_label("Token")).to_be_focused()
    page.keyboard.type(console.admin_token)
    page.keyboard.press("Enter")
    expect(page.locator(VIEWS)).to_have_text(["Overview", "Family", "Stuck"])

    for _ in range(10):  # Tab through the header to the Family link
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Family":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Family", exact=True)).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Family id")).to_be_focused()
    page.keyboard.type("no-such-family")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Family not found, or not one you follow.")


@pytest.mark.parametrize(
    ("role", "kind", "views"),
    [
        ("ANALYST", "UNHCR", ["Overview"]),
        ("POLICY_OFFICER", "DHS", ["Overview"]),
        ("REGISTRAR", "UNHCR", ["Family", "Stuck"]),
        ("HOTLINE_OPERATOR", "HOTLINE", ["Family", "Stuck"]),
        ("LEGAL_PROVIDER", "LEGAL_PROVIDER", ["Family", "Stuck"]),
        ("EXPEDITE_DECIDER", "DHS", ["Family", "Stuck"]),
        ("TRANSPORT_OPERATOR", "IOM", ["Family", "Stuck"]),
    ],
)
def test_each_role_sees_only_its_views(
    console: Console, page: Page, role: str, kind: str, views: list[str]
) -> None:
    scope = {"routes": ["matamoros--brownsville"]} if role == "TRANSPORT_OPERATOR" else {}
    console.sign_in(page, console.token_for(role, kind=kind, **scope))

    expect(page.locator(VIEWS)).to_have_text(views)
    expect(page.locator("#view h2")).to_have_text(views[0])
