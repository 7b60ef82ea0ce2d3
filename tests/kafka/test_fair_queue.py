"""Issues 3 and 4 end to end on the distributed platform: a site closed by policy moves its
families without losing their place, and a journey no convoy can make is rescheduled to one
that a convoy can, and the family is still released."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections import Counter
from typing import Any

import pytest

from tests.kafka.broker import Tap
from tests.kafka.journey import GraphQL, family_input, published
from tests.kafka.processes import SERVICES, Platform
from tests.polling import eventually

pytestmark = pytest.mark.servers

OFFICER = 'mutation { createOrganisation(name: "DHS policy", kind: DHS) { id } }'
ISSUE = """
mutation($organisation: ID!) {
  issueToken(organisationId: $organisation, roles: [POLICY_OFFICER]) { token }
}"""
ANNOUNCE = """
mutation($title: String!, $effectiveAt: DateTime!, $changes: PolicyChangesInput) {
  announcePolicy(title: $title, effectiveAt: $effectiveAt, changes: $changes) {
    status errors { field message }
  }
}"""
REGISTER = """
mutation($input: RegisterFamilyInput!) {
  registerFamily(input: $input) { status familyUnitId errors { field message } }
}"""
AUDIT = """
query($site: String!, $from: Date!, $to: Date!) {
  fairnessAudit(site: $site, from: $from, to: $to) { checked inversions { ahead { day } } }
}"""


async def register(gateway: GraphQL, city: str, enrolled: str) -> str:
    given = family_input(city)
    for member in given["members"]:
        if member["inMpp"]:
            member["mppEnrollmentDate"] = enrolled
    answer = (await gateway.execute(REGISTER, input=given))["registerFamily"]
    assert answer["status"] in {"ACCEPTED", "PENDING"} and answer["errors"] == [], answer
    return str(answer["familyUnitId"])


def appointment(tap: Tap, family: str) -> dict[str, Any]:
    """The family's latest appointment, from scheduling's events."""
    (last,) = [r for r in tap.events_about(family) if r.short_type in {"scheduled", "rescheduled"}][
        -1:
    ]
    return published(tap, family, last.short_type)[-1]


async def test_a_closed_site_moves_its_families_keeping_their_place(
    platform: Platform, tap: Tap
) -> None:
    await platform.start(*SERVICES)
    admin = GraphQL(platform.gateway_url, platform.admin_token)
    organisation = (await admin.execute(OFFICER))["createOrganisation"]["id"]
    officer = GraphQL(
        platform.gateway_url,
        (await admin.execute(ISSUE, organisation=organisation))["issueToken"]["token"],
    )
    # A family in Mexicali, enrolled last, already has its day at Calexico ...
    mexicali = await register(admin, "Mexicali", "2020-11-01")
    # ... and three Tijuana families, registered latest-enrolled first, are at San Ysidro.
    tijuana = [
        await register(admin, "Tijuana", enrolled)
        for enrolled in ("2019-09-01", "2019-05-01", "2019-01-15")
    ]
    for family in (mexicali, *tijuana):
        await eventually(
            lambda f=family: published(tap, f, "scheduled"), timeout=60, what="appointments"
        )
    assert {appointment(tap, f)["site"] for f in tijuana} == {"san-ysidro"}

    answer = await officer.execute(
        ANNOUNCE,
        title="San Ysidro closes; Calexico takes six people a day",
        effectiveAt=(platform.now() + dt.timedelta(hours=28)).isoformat(),  # 24 h + slack
        changes={
            "sites": [
                {"site": "san-ysidro", "open": False},
                {"site": "calexico", "capacityPerDay": 6},
            ]
        },
    )
    assert answer["announcePolicy"]["status"] == "ACCEPTED", answer

    for family in tijuana:
        await eventually(
            lambda f=family: published(tap, f, "rescheduled"), timeout=60, what="the move"
        )
    moved = [appointment(tap, f) for f in tijuana]
    assert {a["site"] for a in moved} == {"calexico"}
    assert all(a["reason"].startswith("site closed") for a in moved), moved
    # Earliest enrolled first (they were registered in the opposite order), each family whole
    # on one day, never more than six people a day, and the Mexicali family keeps its day.
    days = [dt.date.fromisoformat(a["appointment_at"][:10]) for a in reversed(moved)]
    assert days == sorted(days)
    people: Counter[str] = Counter()
    for given in (*moved, appointment(tap, mexicali)):
        people[given["appointment_at"][:10]] += given["people"]
    assert max(people.values()) <= 6
    assert (
        appointment(tap, mexicali)["appointment_id"]
        == published(tap, mexicali, "scheduled")[0]["appointment_id"]
    )

    async def audit() -> dict[str, Any] | None:
        """The public audit, once the gateway has read all four appointments (it follows the
        events, so it may be a moment behind the tap)."""
        found = (
            await admin.execute(
                AUDIT,
                site="calexico",
                **{"from": str(min(days) - dt.timedelta(days=30))},
                to=str(max(days)),
            )
        )["fairnessAudit"]
        return found if found["checked"] == 4 else None

    audited = await eventually(audit, timeout=30, what="the gateway's audit of all four families")
    assert audited["inversions"] == []

    for family in (mexicali, *tijuana):

        async def released(family: str = family) -> bool:
            return await admin.stage(family) == "RELEASED"

        await eventually(released, timeout=120, what="every family to be released")


# On Tuesday at noon a family in Hermosillo is given Saturday at El Paso, three days ahead:
# the escorted convoys on that route (Tuesdays and Fridays at 13:00) cannot make it, because
# the transit permit takes twelve hours and Friday's convoy arrives too late.
TUESDAY_NOON = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)


async def test_no_convoy_in_time_reschedules_the_family_which_is_still_released(
    platform: Platform, tap: Tap
) -> None:
    platform.epoch = time.time() + 25  # the clock reads Tuesday noon 25 s from now
    platform.clock_start = TUESDAY_NOON
    await platform.start(*SERVICES)
    await asyncio.sleep(max(0.0, platform.epoch - time.time()))
    admin = GraphQL(platform.gateway_url, platform.admin_token)

    family = await register(admin, "Hermosillo", "2019-06-03")
    (failed,) = await eventually(
        lambda: published(tap, family, "transport-failed"), timeout=60, what="the failure"
    )
    assert failed["reason"].startswith("no convoy in time"), failed
    (moved,) = await eventually(
        lambda: published(tap, family, "rescheduled"), timeout=60, what="the new appointment"
    )
    assert moved["reason"].startswith("transport failed: no convoy in time")
    assert moved["appointment_at"] >= failed["earliest_arrival"]
    (booked,) = await eventually(
        lambda: published(tap, family, "transport-booked"), timeout=60, what="the convoy"
    )
    assert booked["escorted_convoy"] is True and booked["appointment_id"] == moved["appointment_id"]
    assert booked["cost_to_family"] == 0

    async def released() -> bool:
        return await admin.stage(family) == "RELEASED"

    await eventually(released, timeout=120, what="the family to be released")
