"""The Stuck view in Chromium: a family made stuck on purpose (registered where no route
starts, so scheduling waitlists it and says why) is listed with that reason to the
organisation that registered it, and to no other. The platform counts a family without an
appointment as stuck at once (conftest: PUENTE_STUCK_UNSCHEDULED_HOURS=0)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .support import Console, screenshot

pytestmark = pytest.mark.servers  # needs a server (Chromium): run by `make test`


def test_stuck_lists_a_family_waiting_where_no_route_starts_with_its_reason(
    console: Console, page: Page
) -> None:
    ours = console.token_for("REGISTRAR", kind="UNHCR")
    family = console.register(ours, city="Guatemala City", country="GT")
    on_time = console.register(ours)
    console.booked(ours, on_time)

    console.sign_in(page, console.token_for("REGISTRAR", kind="UNHCR"), "#/stuck")
    expect(page.locator("#stuck-families")).to_be_visible()
    expect(page.locator(f'#stuck-families tr[data-family-id="{family}"]')).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()

    console.sign_in(page, ours)
    page.get_by_role("link", name="Stuck").click()
    row = page.locator(f'#stuck-families tr[data-family-id="{family}"]')
    expect(row).to_contain_text("Waiting")
    expect(row).to_contain_text("an appointment")
    reason = "waitlisted: no transport from Guatemala City, GT"
    expect(row.locator(".reason")).to_contain_text(reason)
    expect(page.locator(f'#stuck-families tr[data-family-id="{on_time}"]')).to_have_count(0)
    screenshot(page, "stuck-view")

    row.get_by_role("link").click()  # on to the family's journey
    expect(page.locator("#stage")).to_have_text("Waiting")
