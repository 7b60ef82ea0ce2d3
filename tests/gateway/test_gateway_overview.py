"""What the console's overview reads besides the queue: each site's coming days against its
capacity and today's arrivals (siteLoad), shelters' expected families as counts, and the
latest policies with their compliance (policies). Aggregates: no one named."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from puente_gateway.roles import Role
from puente_schemas.common import PartnerKind
from puente_schemas.events import ArrivedAtPort, NoticeAcknowledged, NoticeIssued, PolicyAnnounced

from .support import (
    T0,
    Harness,
    booked,
    registered,
    scheduled,
    shelter_assigned,
    shelter_updated,
    site_updated,
)

LOAD = """{ siteLoad(days: 3) { site capacityPerDay days { date families people }
  arrivingToday arrivedToday } }"""
SHELTERS = "{ shelters { id expectedFamilies expectedPeople } }"
POLICIES = """{ policies { policyId title status
  organisations { organisationId noticeId acknowledgedAt } } }"""


def analyst(harness: Harness) -> dict[str, Any]:
    return harness.context_for(Role.ANALYST, kind=PartnerKind.UNHCR)


async def test_site_load_counts_appointments_per_coming_day_and_todays_arrivals(
    harness: Harness,
) -> None:
    harness.clock.advance(dt.timedelta(hours=2))  # T0 is 08:00: today runs to midnight
    ids = [str(uuid.uuid4()) for _ in range(4)]
    await harness.publish_all(site_updated("brownsville", capacity=10), *map(registered, ids))
    tomorrow = T0 + dt.timedelta(days=1)
    await harness.publish_all(
        scheduled(ids[0], appointment_at=tomorrow),
        scheduled(ids[1], appointment_at=tomorrow, people=3),
        scheduled(ids[2], appointment_at=T0 + dt.timedelta(days=7)),  # beyond three days
        scheduled(ids[3], appointment_at=T0 + dt.timedelta(hours=6)),
    )
    due = T0 + dt.timedelta(hours=4)
    await harness.publish_all(
        booked(ids[3], "bk-3", departure_at=due - dt.timedelta(hours=3)),
        booked(ids[0], "bk-0", departure_at=tomorrow - dt.timedelta(hours=3)),
    )
    await harness.publish_all(
        ArrivedAtPort(family_unit_id=ids[3], booking_id="bk-3", site="brownsville", arrived_at=due)
    )

    result = await harness.execute(LOAD, analyst(harness))

    assert result.errors is None, result.errors
    assert result.data is not None
    [site] = [s for s in result.data["siteLoad"] if s["site"] == "brownsville"]
    assert site == {
        "site": "brownsville",
        "capacityPerDay": 10,
        "days": [
            {"date": "2021-02-19", "families": 1, "people": 2},
            {"date": "2021-02-20", "families": 2, "people": 5},
            {"date": "2021-02-21", "families": 0, "people": 0},
        ],
        "arrivingToday": 1,
        "arrivedToday": 1,
    }


async def test_shelters_show_how_many_families_and_people_they_expect(harness: Harness) -> None:
    await harness.publish_all(shelter_updated("casa"), shelter_updated("other"))
    for shelter in ("casa", "casa", "other"):
        fid = str(uuid.uuid4())
        await harness.publish_all(registered(fid), scheduled(fid))
        await harness.publish_all(shelter_assigned(fid, shelter, people=3))

    result = await harness.execute(SHELTERS, analyst(harness))

    assert result.data == {
        "shelters": [
            {"id": "casa", "expectedFamilies": 2, "expectedPeople": 6},
            {"id": "other", "expectedFamilies": 1, "expectedPeople": 3},
        ]
    }


async def test_policies_lists_the_latest_with_each_organisations_acknowledgement(
    harness: Harness,
) -> None:
    _, casa = harness.token(Role.SHELTER, kind=PartnerKind.SHELTER)
    effective = T0 + dt.timedelta(hours=30)
    await harness.publish_all(
        PolicyAnnounced(policy_id="p-1", title="Nogales opens", effective_at=effective)
    )
    harness.clock.advance(dt.timedelta(hours=1))
    await harness.publish_all(
        PolicyAnnounced(policy_id="p-2", title="Laredo closes", effective_at=effective),
        NoticeIssued(notice_id="n-1", organisation_id=casa, kind="policy", title="Nogales abre",
                     text="El puerto de Nogales abre.", language="spa", policy_id="p-1",
                     effective_at=effective),
    )  # fmt: skip
    await harness.publish_all(
        NoticeAcknowledged(notice_id="n-1", organisation_id=casa, policy_id="p-1",
                           acknowledged_at=harness.clock.now())
    )  # fmt: skip
    officer = harness.context_for(Role.POLICY_OFFICER, kind=PartnerKind.DHS)

    result = await harness.execute(POLICIES, officer)

    assert result.errors is None, result.errors
    assert result.data is not None
    assert [p["policyId"] for p in result.data["policies"]] == ["p-2", "p-1"]  # newest first
    told = {o["organisationId"]: o for o in result.data["policies"][1]["organisations"]}
    assert told[casa]["noticeId"] == "n-1"
    assert told[casa]["acknowledgedAt"] == harness.clock.now().isoformat()
    assert all(o["noticeId"] is None for o in result.data["policies"][0]["organisations"])
