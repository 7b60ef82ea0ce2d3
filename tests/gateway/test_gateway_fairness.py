"""fairnessAudit, recomputed from projected appointments: an inversion is a family given an
earlier day than one ahead of it in line that was already waiting at that site, without a
granted expedite. Anyone may run it; only case roles see which families."""

from __future__ import annotations

import datetime as dt
from typing import Any

from puente_gateway.roles import Role

from .support import T0, Harness, family_of, place, scheduled_on, site_updated

AUDIT = """
query ($site: String!, $from: Date!, $to: Date!) {
  fairnessAudit(site: $site, from: $from, to: $to) {
    site checked
    inversions { ahead { appointmentId day } behind { appointmentId day } }
  }
}
"""
MON, TUE, WED = (dt.date(2021, 2, 22) + dt.timedelta(days=n) for n in range(3))
HOUR = dt.timedelta(hours=1)


async def audit(harness: Harness, context: dict[str, Any] | None = None, **variables: Any) -> Any:
    given = {"site": "brownsville", "from": MON.isoformat(), "to": WED.isoformat()} | variables
    return await harness.execute(AUDIT, context or harness.anonymous, **given)


async def schedule(harness: Harness, *events: Any) -> None:
    families = {event.family_unit_id for event in events}
    await harness.publish_all(site_updated(), *(family_of(fid) for fid in sorted(families)))
    await harness.publish_all(*events)


async def test_a_sequence_that_kept_the_order_has_no_inversion(harness: Harness) -> None:
    await schedule(
        harness,
        scheduled_on("early", MON, place(dt.date(2019, 1, 10))),
        scheduled_on("later", TUE, place(dt.date(2019, 2, 10)), decided_at=T0 + HOUR),
        # Enrolled later but expedited: going first is the published rule, not an inversion.
        scheduled_on("urgent", MON, place(dt.date(2020, 1, 1), granted=T0 - HOUR)),
        # Enrolled earlier, but moved here from a closed site after the others were booked.
        scheduled_on(
            "moved",
            WED,
            place(dt.date(2018, 1, 1), queued_at=T0 + 3 * HOUR),
            decided_at=T0 + 3 * HOUR,
        ),
    )

    result = await audit(harness)

    assert result.errors is None
    assert result.data == {"fairnessAudit": {"site": "brownsville", "checked": 4, "inversions": []}}


async def test_a_family_enrolled_later_and_booked_earlier_is_an_inversion(
    harness: Harness,
) -> None:
    await schedule(
        harness,
        scheduled_on("jumped", MON, place(dt.date(2019, 6, 1)), decided_at=T0 + HOUR),
        scheduled_on("waited", WED, place(dt.date(2019, 1, 1)), decided_at=T0 + 2 * HOUR),
        # Its expedite came after "jumped" was booked: it was not ahead then.
        scheduled_on(
            "expedited-after",
            TUE,
            place(dt.date(2019, 7, 1), granted=T0 + 2 * HOUR),
            decided_at=T0 + 2 * HOUR,
        ),
    )

    result = await audit(harness)
    tuesday_only = await audit(harness, **{"from": TUE.isoformat()})

    assert result.data["fairnessAudit"]["checked"] == 3
    assert result.data["fairnessAudit"]["inversions"] == [
        {
            "ahead": {"appointmentId": "ap-waited", "day": WED.isoformat()},
            "behind": {"appointmentId": "ap-jumped", "day": MON.isoformat()},
        }
    ]
    # The window is on the earlier-booked family's day: Monday's inversion is outside it.
    assert tuesday_only.data["fairnessAudit"] == {
        "site": "brownsville",
        "checked": 2,
        "inversions": [],
    }


async def test_only_case_roles_see_which_families(harness: Harness) -> None:
    await schedule(
        harness,
        scheduled_on("jumped", MON, place(dt.date(2019, 6, 1)), decided_at=T0 + HOUR),
        scheduled_on("waited", WED, place(dt.date(2019, 1, 1)), decided_at=T0 + 2 * HOUR),
    )
    query = AUDIT.replace("behind { appointmentId", "behind { familyUnitId appointmentId")
    given = {"site": "brownsville", "from": MON.isoformat(), "to": WED.isoformat()}

    anonymous = await harness.execute(query, harness.anonymous, **given)
    officer = await harness.execute(query, harness.context_for(Role.PORT_OFFICER), **given)

    assert anonymous.data["fairnessAudit"]["inversions"][0]["behind"]["familyUnitId"] is None
    assert [e.message for e in anonymous.errors or []] == ["authentication required"]
    assert officer.errors is None
    assert officer.data["fairnessAudit"]["inversions"][0]["behind"]["familyUnitId"] == "jumped"


async def test_an_unknown_site_or_a_backwards_range_is_an_error(harness: Harness) -> None:
    unknown = await audit(harness, site="atlantis")
    backwards = await audit(harness, **{"from": WED.isoformat(), "to": MON.isoformat()})
    known_but_quiet = await audit(harness, site="nogales")

    assert [e.message for e in unknown.errors or []] == ["unknown site 'atlantis'"]
    assert [e.message for e in backwards.errors or []] == [
        "`from` (2021-02-24) is after `to` (2021-02-22)"
    ]
    assert known_but_quiet.data == {
        "fairnessAudit": {"site": "nogales", "checked": 0, "inversions": []}
    }
