"""The shelter and port views in Chromium: each partner sees its own families only, and its
actions work."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .support import Console, shelter_of

pytestmark = pytest.mark.servers  # needs a server (Chromium): run by `make test`


def test_a_shelter_sees_the_families_coming_to_it_and_another_shelter_does_not(
    console: Console, page: Page
) -> None:
    registrar = console.token_for("REGISTRAR", kind="DHS")
    family = console.register(registrar)
    console.booked(registrar, family)
    ours = shelter_of(console, family)
    other = "rescue-mission-el-paso" if ours != "rescue-mission-el-paso" else "ozanam-center"

    console.sign_in(page, console.token_for("SHELTER", kind="SHELTER", shelter_id=other))
    expect(page.locator("#views a")).to_have_text(["Family", "Stuck", "Shelter"])
    page.get_by_role("link", name="Shelter").click()
    expect(page.locator("#arrivals")).to_be_visible()
    expect(page.locator("#arrivals")).not_to_contain_text(family)
    page.get_by_role("button", name="Sign out").click()

    console.sign_in(
        page, console.token_for("SHELTER", kind="SHELTER", shelter_id=ours), "#/shelter"
    )
    row = page.locator("#arrivals tr", has_text=family)
    expect(row).to_contain_text("Expected")
    expect(row).to_contain_text("spa")
    expect(page.locator("#arrivals")).not_to_contain_text("López")  # never a name


def test_a_port_officer_checks_in_a_family_at_its_site_only_and_sees_its_documents(
    console: Console, page: Page
) -> None:
    registrar = console.token_for("REGISTRAR", kind="DHS")
    family = console.register(registrar)
    site = console.booked(registrar, family)["site"]
    elsewhere = "nogales" if site != "nogales" else "laredo"

    console.sign_in(page, console.token_for("PORT_OFFICER", kind="DHS", sites=[elsewhere]))
    expect(page.locator("#views a")).to_have_text(["Family", "Stuck", "Port"])
    page.get_by_role("link", name="Port").click()
    expect(page.locator("#site option")).to_have_text([elsewhere])
    page.get_by_label("Family id").fill(family)
    page.get_by_role("button", name="Check in").click()
    expect(page.locator("#action-status .error")).to_have_text(f"not your site: {site}")
    page.get_by_role("button", name="Sign out").click()

    console.sign_in(page, console.token_for("PORT_OFFICER", kind="DHS", sites=[site]), "#/port")
    page.get_by_label("Family id").fill(family)
    page.get_by_role("button", name="Check in").click()
    expect(page.locator("#action-status")).to_contain_text("Accepted")
    row = page.locator("#at-port tr", has_text=family)
    expect(page.locator("#not-ready tr", has_text=family)).to_contain_text("parole")
    # Documents are finished at the port: until then processing refuses, and says why.
    row.get_by_role("button", name="Complete processing").click()
    expect(page.locator("#action-status .error")).to_contain_text(
        re.compile(r"^Rejected \(command-rejected\) — documents: .* is not ready")
    )
