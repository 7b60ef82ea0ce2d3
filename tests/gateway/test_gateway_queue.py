"""queuePosition from projected scheduling events: place in line by key order at the family's
site, the estimated date scheduling published, the appointment once scheduled, or the wait for
eligibility."""

from __future__ import annotations

import datetime as dt
from typing import Any

from puente_gateway.roles import Role
from puente_schemas.common import Location, PolicyChanges
from puente_schemas.events import (
    AppointmentEstimated,
    PolicyAnnounced,
    PolicyEffective,
    RegistrationUpdated,
)

from .support import T0, Harness, family_of, place, scheduled_on, site_updated, waitlisted

POSITION = """
query ($id: ID!) {
  queuePosition(familyUnitId: $id) { standing place site estimatedDate appointment { site date } }
}
"""
# T0 is Friday 2021-02-19; with 72 hours' notice nothing is sooner than Monday the 22nd.
MON, TUE, WED, THU, FRI = (dt.date(2021, 2, 22) + dt.timedelta(days=n) for n in range(5))
NEXT_MON = dt.date(2021, 3, 1)


async def position(harness: Harness, family_unit_id: str) -> dict[str, Any] | None:
    result = await harness.execute(POSITION, id=family_unit_id)
    assert result.errors is None, result.errors
    assert result.data is not None
    answer: dict[str, Any] | None = result.data["queuePosition"]
    return answer


async def a_busy_site(harness: Harness) -> None:
    """Brownsville takes 4 people a day, Monday to Friday; Monday is full and Tuesday has two
    seats left. Six families wait; one expedite was granted; one family is not eligible yet."""
    enrolled = {
        "w1": dt.date(2019, 1, 10),
        "w2": dt.date(2019, 3, 1),
        "w3": dt.date(2019, 9, 1),
        "w5": dt.date(2019, 5, 1),
        "w6": dt.date(2019, 6, 1),
        "w4": dt.date(2018, 1, 1),
    }
    sizes = {"w1": 2, "w2": 3, "w3": 2, "w5": 4, "w6": 4, "w4": 2}
    await harness.publish_all(
        site_updated(capacity=4),
        *(family_of(fid, people=2) for fid in ("s1", "s2")),
        *(family_of(fid, people=size) for fid, size in sizes.items()),
    )
    await harness.publish_all(
        scheduled_on("s1", MON, place(dt.date(2018, 5, 1)), people=4),
        scheduled_on("s2", TUE, place(dt.date(2018, 6, 1)), people=2),
        waitlisted("w1", place(enrolled["w1"]), people=2, estimated=WED),
        waitlisted("w2", place(enrolled["w2"]), people=3, estimated=THU),
        waitlisted("w3", place(enrolled["w3"], granted=T0), people=2, estimated=TUE),
        waitlisted("w5", place(enrolled["w5"]), people=4, estimated=FRI),
        waitlisted("w6", place(enrolled["w6"]), people=4, estimated=NEXT_MON),
        waitlisted("w4", place(enrolled["w4"]), people=2, eligible=False),
    )


async def test_places_follow_key_order_and_estimates_are_schedulings(harness: Harness) -> None:
    await a_busy_site(harness)

    seen = {fid: await position(harness, fid) for fid in ("w3", "w1", "w2", "w5", "w6")}

    assert {fid: (p["place"], p["estimatedDate"]) for fid, p in seen.items() if p} == {
        "w3": (1, TUE.isoformat()),  # the expedite goes first, into Tuesday's two seats
        "w1": (2, WED.isoformat()),
        "w2": (3, THU.isoformat()),  # three people do not fit beside w1 on Wednesday
        "w5": (4, FRI.isoformat()),
        "w6": (5, NEXT_MON.isoformat()),  # not on the weekend
    }
    assert {p["standing"] for p in seen.values() if p} == {"WAITING"}
    assert {p["site"] for p in seen.values() if p} == {"brownsville"}


async def test_a_scheduled_family_has_its_appointment_and_an_ineligible_one_waits(
    harness: Harness,
) -> None:
    await a_busy_site(harness)

    scheduled = await position(harness, "s1")
    ineligible = await position(harness, "w4")

    assert scheduled == {
        "standing": "SCHEDULED",
        "place": None,
        "site": "brownsville",
        "estimatedDate": None,
        "appointment": {"site": "brownsville", "date": "2021-02-22T15:00:00+00:00"},
    }
    assert ineligible is not None
    assert (ineligible["standing"], ineligible["place"]) == ("WAITING_FOR_ELIGIBILITY", None)


async def test_a_closed_site_gives_no_estimate_and_an_unknown_family_is_null(
    harness: Harness,
) -> None:
    await harness.publish_all(site_updated(capacity=0), family_of("w1"))
    await harness.publish_all(waitlisted("w1", place(dt.date(2019, 1, 1))))

    waiting = await position(harness, "w1")

    assert waiting is not None
    assert (waiting["place"], waiting["estimatedDate"]) == (1, None)
    assert await position(harness, "nobody") is None


async def test_an_analyst_sees_aggregates_and_no_family(harness: Harness) -> None:
    await a_busy_site(harness)
    analyst = harness.context_for(Role.ANALYST)

    summary = await harness.execute(
        "{ queueSummary { site waitingFamilies waitingPeople waitingForEligibility"
        " scheduledFamilies scheduledPeople } }",
        analyst,
    )
    refused = await harness.execute(POSITION, analyst, id="w1")

    assert summary.data == {
        "queueSummary": [
            {
                "site": "brownsville",
                "waitingFamilies": 5,
                "waitingPeople": 15,
                "waitingForEligibility": 1,
                "scheduledFamilies": 2,
                "scheduledPeople": 6,
            }
        ]
    }
    assert refused.data == {"queuePosition": None}
    assert refused.errors is not None
    assert refused.errors[0].message.startswith("not authorised: queuePosition needs role")


async def test_a_family_already_in_the_us_takes_the_court_transfer_path(harness: Harness) -> None:
    await harness.publish_all(family_of("w1"))
    moved = family_of("w1")
    await harness.publish_all(
        RegistrationUpdated(
            family_unit_id="w1",
            current_location=Location(city="Houston", country="US"),
            members=moved.members,
            reason="location updated",
        )
    )

    found = await position(harness, "w1")

    assert found is not None
    assert (found["standing"], found["place"], found["site"]) == ("COURT_TRANSFER", None, None)


async def test_dashboards_count_families_per_stage_and_the_admin_is_refused(
    harness: Harness,
) -> None:
    await a_busy_site(harness)
    await harness.publish_all(family_of("r1"))
    query = "{ familiesByStage { stage families } }"

    counts = await harness.execute(query, harness.context_for(Role.POLICY_OFFICER))
    refused = await harness.execute(query, harness.context_for(Role.ADMIN))

    assert counts.data is not None
    assert {c["stage"]: c["families"] for c in counts.data["familiesByStage"] if c["families"]} == {
        "REGISTERED": 1,
        "WAITING": 6,
        "SCHEDULED": 2,
    }
    assert [c["stage"] for c in counts.data["familiesByStage"]][:3] == [
        "UNKNOWN",
        "REGISTERED",
        "REJECTED",
    ]
    assert refused.errors is not None
    assert refused.errors[0].message.startswith("not authorised: familiesByStage needs role")


async def test_the_estimate_shown_is_the_one_scheduling_published_last(harness: Harness) -> None:
    """After a policy raised the notice to ten days, scheduling's estimate follows it; the
    gateway shows that estimate and never one of its own (it once used its default notice)."""
    changes = PolicyChanges(min_notice_hours=240)
    announced = PolicyAnnounced(
        policy_id="p-notice", title="Ten days' notice", effective_at=T0, changes=changes
    )
    effective = PolicyEffective(policy_id="p-notice", title="Ten days' notice", changes=changes)
    await harness.publish_all(announced, effective, site_updated(capacity=4), family_of("w1"))
    await harness.publish_all(waitlisted("w1", place(dt.date(2019, 1, 1)), estimated=NEXT_MON))
    assert (await position(harness, "w1") or {})["estimatedDate"] == NEXT_MON.isoformat()

    later = NEXT_MON + dt.timedelta(days=1)
    await harness.publish_all(
        AppointmentEstimated(family_unit_id="w1", site="brownsville", estimated_date=later)
    )
    assert (await position(harness, "w1") or {})["estimatedDate"] == later.isoformat()

    await harness.publish_all(
        AppointmentEstimated(family_unit_id="w1", site="brownsville", estimated_date=None)
    )
    assert (await position(harness, "w1") or {})["estimatedDate"] is None
