"""Issue 11, items 3 and 4 in Chromium: the overview's panel of each service's figures (what
/metrics serves) and a family's trace drawn as a waterfall."""

from __future__ import annotations

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
