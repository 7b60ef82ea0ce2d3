"""The overview in Chromium: each site's next 14 days against its capacity (SVG), today's
arrivals, shelters' expected families, processing time against the target, and a policy's
notices with their acknowledgement, which grows live as an organisation acknowledges."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from playwright.sync_api import Page, expect

from .support import Console, eventually, screenshot

pytestmark = pytest.mark.servers  # needs a server (Chromium): run by `make test`

ANNOUNCE = """mutation ($title: String!, $at: DateTime!) {
  announcePolicy(title: $title, effectiveAt: $at,
                 changes: {sites: [{site: "nogales", open: true}]}) { status policyId } }"""
ACKNOWLEDGE = "mutation ($id: ID!) { acknowledgeNotice(noticeId: $id) { status } }"


def test_a_policy_officer_sees_each_sites_load_and_a_policys_acknowledgement_grow_live(
    console: Console, page: Page
) -> None:
    registrar = console.token_for("REGISTRAR", kind="DHS")
    family = console.register(registrar)
    site = console.booked(registrar, family)["site"]
    shelter = console.token_for("SHELTER", kind="SHELTER", shelter_id="ozanam-center")
    officer = console.token_for("POLICY_OFFICER", kind="DHS")
    title = f"Nogales abre {random.randrange(10**6)}"
    at = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=48)).isoformat()
    policy = console.graphql(officer, ANNOUNCE, title=title, at=at)["announcePolicy"]["policyId"]
    notice = eventually(
        lambda: next(
            (n["id"] for n in console.graphql(shelter, "{ notices { id policyId } }")["notices"]
             if n["policyId"] == policy), None),
        what="the shelter's notice of the policy",
    )  # fmt: skip

    console.sign_in(page, officer)
    days = page.locator(f'#load figure[data-site="{site}"] svg rect')
    expect(days).to_have_count(14)
    booked = sum(int(v or 0) for v in days.evaluate_all("bars => bars.map(b => b.dataset.value)"))
    assert booked >= 2  # the family of two, on its appointment's day
    expect(page.locator("#load table")).to_contain_text("Due today")
    expect(page.locator("#shelters thead")).to_contain_text("Families expected")
    row = page.locator("#policies tr", has_text=title)
    acknowledged = row.locator("td").nth(5)
    expect(acknowledged).to_have_text(re.compile(r"^0 / \d+$"))
    page.evaluate("window.notReloaded = true")

    assert console.graphql(shelter, ACKNOWLEDGE, id=notice)["acknowledgeNotice"]["status"] == (
        "ACCEPTED"
    )

    expect(acknowledged).to_have_text(re.compile(r"^1 / \d+$"), timeout=15_000)
    assert page.evaluate("window.notReloaded") is True
    screenshot(page, "overview-policy-officer")


def test_an_analyst_sees_processing_time_against_the_target_with_its_p90(
    console: Console, page: Page
) -> None:
    console.sign_in(page, console.token_for("ANALYST", kind="UNHCR"))

    expect(page.locator("#processing thead")).to_contain_text("p90")
    expect(page.locator("#load figure").first).to_be_visible()
    expect(page.locator("#policies")).to_have_count(0)  # compliance is a policy officer's
    expect(page.locator("#fairness")).to_contain_text("Appointments checked")
