"""fairnessAudit, recomputed from projected appointments: an inversion is a family given an
earlier day than one ahead of it in line that was already waiting at that site, without a
granted expedite. Anyone may run it; only a caller who may see a family's record learns which
family an audited appointment is."""

from __future__ import annotations

import datetime as dt
from typing import Any

from puente_gateway import audit as audit_log
from puente_gateway.roles import Role
from puente_schemas.common import PartnerKind

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


async def test_an_expedite_granted_after_the_booking_does_not_excuse_it(harness: Harness) -> None:
    await schedule(
        harness,
        scheduled_on("waited", WED, place(dt.date(2019, 1, 1))),
        # Booked Monday ahead of "waited" at T0 + 1h; its expedite came an hour later.
        scheduled_on(
            "granted-after",
            MON,
            place(dt.date(2019, 6, 1), granted=T0 + 2 * HOUR),
            decided_at=T0 + HOUR,
        ),
    )

    result = await audit(harness)

    assert result.data["fairnessAudit"]["inversions"] == [
        {
            "ahead": {"appointmentId": "ap-waited", "day": WED.isoformat()},
            "behind": {"appointmentId": "ap-granted-after", "day": MON.isoformat()},
        }
    ]


FAMILIES = """
query ($site: String!, $from: Date!, $to: Date!) {
  fairnessAudit(site: $site, from: $from, to: $to) {
    inversions {
      ahead { familyUnitId appointmentId day earliestEnrollment registeredAt expediteGrantedAt
              queuedAt decidedAt }
      behind { familyUnitId appointmentId day earliestEnrollment registeredAt expediteGrantedAt
               queuedAt decidedAt }
    }
  }
}
"""
LEGAL_AID = "org-legal-aid"


async def audited_by(harness: Harness, context: dict[str, Any]) -> tuple[Any, list[str]]:
    """The one inversion as `context` sees it, and the messages of the errors it got."""
    given = {"site": "brownsville", "from": MON.isoformat(), "to": WED.isoformat()}
    result = await harness.execute(FAMILIES, context, **given)
    [inversion] = result.data["fairnessAudit"]["inversions"]
    return inversion, [e.message for e in result.errors or []]


def without_families(inversion: dict[str, Any]) -> dict[str, Any]:
    return {
        side: {k: v for k, v in fields.items() if k != "familyUnitId"}
        for side, fields in inversion.items()
    }


async def test_the_audit_names_a_family_only_to_who_may_see_its_record(
    harness: Harness,
) -> None:
    # "jumped" was registered by a legal aid organisation (its own client); "waited" by no one
    # and consented to no one.
    await harness.publish_all(
        site_updated(), family_of("jumped", organisation_id=LEGAL_AID), family_of("waited")
    )
    await harness.publish_all(
        scheduled_on("jumped", MON, place(dt.date(2019, 6, 1)), decided_at=T0 + HOUR),
        scheduled_on("waited", WED, place(dt.date(2019, 1, 1)), decided_at=T0 + 2 * HOUR),
    )

    anonymous, anonymous_errors = await audited_by(harness, harness.anonymous)
    shelter, shelter_errors = await audited_by(
        harness,
        harness.context_for(
            Role.SHELTER, kind=PartnerKind.SHELTER, organisation_id="org-casa", shelter_id="casa"
        ),
    )
    lawyer, lawyer_errors = await audited_by(
        harness,
        harness.context_for(
            Role.LEGAL_PROVIDER, kind=PartnerKind.LEGAL_PROVIDER, organisation_id=LEGAL_AID
        ),
    )
    agency, agency_errors = await audited_by(harness, harness.context)  # DHS registrar

    for seen in (anonymous, shelter):
        assert seen["ahead"]["familyUnitId"] is None
        assert seen["behind"]["familyUnitId"] is None
    assert anonymous_errors == ["authentication required"] * 2
    assert shelter_errors == ["not authorised"] * 2
    # Its own client, not the other family.
    assert (lawyer["ahead"]["familyUnitId"], lawyer["behind"]["familyUnitId"]) == (None, "jumped")
    assert lawyer_errors == ["not authorised"]
    assert (agency["ahead"]["familyUnitId"], agency["behind"]["familyUnitId"]) == (
        "waited",
        "jumped",
    )
    assert agency_errors == []
    # Everything else is the same for everyone.
    assert without_families(anonymous) == {
        "ahead": {
            "appointmentId": "ap-waited",
            "day": WED.isoformat(),
            "earliestEnrollment": "2019-01-01",
            "registeredAt": T0.isoformat(),
            "expediteGrantedAt": None,
            "queuedAt": T0.isoformat(),
            "decidedAt": (T0 + 2 * HOUR).isoformat(),
        },
        "behind": {
            "appointmentId": "ap-jumped",
            "day": MON.isoformat(),
            "earliestEnrollment": "2019-06-01",
            "registeredAt": T0.isoformat(),
            "expediteGrantedAt": None,
            "queuedAt": T0.isoformat(),
            "decidedAt": (T0 + HOUR).isoformat(),
        },
    }
    for seen in (shelter, lawyer, agency):
        assert without_families(seen) == without_families(anonymous)


async def test_a_family_named_in_the_audit_is_a_read_in_the_audit_log(harness: Harness) -> None:
    await schedule(
        harness,
        scheduled_on("jumped", MON, place(dt.date(2019, 6, 1)), decided_at=T0 + HOUR),
        scheduled_on("waited", WED, place(dt.date(2019, 1, 1)), decided_at=T0 + 2 * HOUR),
    )

    await audited_by(harness, harness.context)

    logged = audit_log.entries(harness.gateway.service.engine, "jumped")
    assert [(e.operation, e.outcome) for e in logged] == [("fairnessAudit.familyUnitId", "read")]


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
