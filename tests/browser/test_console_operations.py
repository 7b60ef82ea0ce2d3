"""Issue 11, items 3 and 4 in Chromium: the overview's panel of each service's figures (what
/metrics serves) and a family's trace drawn as a waterfall."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .support import Console

pytestmark = pytest.mark.servers  # needs a server (Chromium): run by `make test`

SERVICES = ["gateway", "notifications", "processing", "registration", "scheduling", "transport"]


def test_the_overview_shows_each_services_lag_dead_letters_parked_and_backlog(
    console: Console, page: Page
) -> None:
    analyst = console.token_for("ANALYST", kind="UNHCR")
    console.sign_in(page, analyst)

    rows = page.locator("#operations tbody tr td:first-child")
    expect(rows).to_have_text(SERVICES)
    expect(page.locator("#operations thead th")).to_have_text(
        ["Service", "Consumer lag", "Dead letters", "Parked", "Outbox backlog"]
    )


def test_a_familys_trace_is_drawn_as_a_waterfall_with_each_hops_service(
    console: Console, page: Page
) -> None:
    registrar = console.token_for("REGISTRAR", kind="DHS")
    console.sign_in(page, registrar)
    family = console.register(registrar)
    page.get_by_role("link", name="Family").click()
    page.get_by_label("Family id").fill(family)
    page.get_by_role("button", name="Open").click()

    expect(page.locator("#trace-id")).to_have_text(re.compile(r"^[0-9a-f]{32}$"))
    expect(page.locator("#waterfall rect").first).to_be_visible()
    # The registration's spans at least: the gateway's command, registration applying it,
    # scheduling applying `registered` (the view redraws as the family's steps arrive).
    labels = page.locator("#waterfall > text")
    for service in ("gateway", "registration", "scheduling"):
        expect(labels.filter(has_text=re.compile(f"^{service} ·")).first).to_be_attached()
    rows = page.locator("#flow tbody tr")
    expect(rows.first).to_contain_text("registered")
    expect(rows.first).to_contain_text("registration")
    expect(rows.first).to_contain_text("gateway +")
