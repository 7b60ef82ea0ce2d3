"""Notices in Chromium: a shelter reads its own notices and acknowledges them (the notice
stays acknowledged after a reload), never another shelter's; the link a notice's e-mail
carries (/notices/{id}) shows that notice after sign-in, and another organisation's as not
found."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from .support import Console, eventually

pytestmark = pytest.mark.servers  # needs a server (Chromium): run by `make test`

ANNOUNCE = """mutation ($at: DateTime!) {
  announcePolicy(title: "Nogales abre", effectiveAt: $at,
                 changes: {sites: [{site: "nogales", open: true}]}) { status policyId } }"""
NOTICES = "{ notices { id policyId } }"


def announced_notice(console: Console, *tokens: str) -> list[str]:
    """A policy announced two days ahead; the id of its notice in each token's inbox."""
    officer = console.token_for("POLICY_OFFICER", kind="DHS")
    at = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=48)).isoformat()
    policy = console.graphql(officer, ANNOUNCE, at=at)["announcePolicy"]["policyId"]

    def notice_of(token: str) -> str | None:
        found = console.graphql(token, NOTICES)["notices"]
        return next((n["id"] for n in found if n["policyId"] == policy), None)

    return [
        eventually(lambda t=token: notice_of(t), what="the policy's notice") for token in tokens
    ]


def test_a_shelter_acknowledges_its_notice_and_never_sees_another_shelters(
    console: Console, page: Page
) -> None:
    ours = console.token_for("SHELTER", kind="SHELTER", shelter_id="rescue-mission-el-paso")
    theirs = console.token_for("SHELTER", kind="SHELTER", shelter_id="ozanam-center")
    our_notice, their_notice = announced_notice(console, ours, theirs)

    console.sign_in(page, theirs, "#/shelter")
    expect(page.locator(f'#notices [data-notice-id="{their_notice}"]')).to_contain_text(
        "Nogales abre"
    )
    expect(page.locator(f'#notices [data-notice-id="{our_notice}"]')).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()

    console.sign_in(page, ours, "#/shelter")
    notice = page.locator(f'#notices [data-notice-id="{our_notice}"]')
    notice.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("#notice-status")).to_contain_text("Accepted")
    expect(notice.locator(".acknowledged")).to_contain_text("Acknowledged")
    expect(page.locator(f'#notices [data-notice-id="{their_notice}"]')).to_have_count(0)

    page.reload()
    expect(notice.locator(".acknowledged")).to_contain_text("Acknowledged")
    expect(notice.get_by_role("button", name="Acknowledge")).to_have_count(0)


def test_a_notices_link_shows_it_after_sign_in_and_another_organisations_as_not_found(
    console: Console, page: Page
) -> None:
    legal = console.token_for("LEGAL_PROVIDER", kind="LEGAL_PROVIDER")
    shelter = console.token_for("SHELTER", kind="SHELTER", shelter_id="ozanam-center")
    legal_notice, shelter_notice = announced_notice(console, legal, shelter)

    console.sign_in(page, legal, f"notices/{legal_notice}")
    notice = page.locator(f'[data-notice-id="{legal_notice}"]')
    expect(notice).to_contain_text("Nogales abre")
    notice.get_by_role("button", name="Acknowledge").click()
    expect(notice.locator(".acknowledged")).to_be_visible()

    page.goto(f"{console.url}/notices/{shelter_notice}")  # the same session, not its notice
    expect(page.get_by_role("alert")).to_have_text(
        "Notice not found, or not one of your organisation's."
    )
    expect(page.locator(f'[data-notice-id="{shelter_notice}"]')).to_have_count(0)
