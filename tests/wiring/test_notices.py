"""Partners' notices (issue 10): every organisation hears of a policy in its language,
acknowledges its own notices, and is chased on the platform clock until it does."""

from __future__ import annotations

import datetime as dt

import pytest
from puente_schemas.commands import AcknowledgeNotice, AmendPolicy, AnnouncePolicy, CancelPolicy
from puente_schemas.common import PolicyChanges, SiteChange
from puente_schemas.events import ShelterAssigned

from tests.gateway.support import registered as family_registered
from tests.polling import eventually
from tests.wiring.notices import NOW, Notifications, organisation
from tests.wiring.test_policy_notice import shelter


@pytest.fixture
async def notifications(tmp_path):
    service = Notifications(tmp_path)
    await service.start()
    yield service
    await service.stop()


def policy(policy_id: str = "p-1", hours: float = 30) -> AnnouncePolicy:
    return AnnouncePolicy(
        policy_id=policy_id, title="Laredo 40/day", effective_at=NOW + dt.timedelta(hours=hours)
    )


async def test_a_policy_reaches_every_organisation_in_its_language(notifications):
    await notifications.send(organisation("alpha", "eng"))
    await notifications.send(organisation("beta", "fra", "spa"))
    await notifications.send(organisation("gamma", "mam"))
    await notifications.send(shelter("casa-alitas"))  # no organisation speaks for it yet
    await notifications.send(policy())
    await eventually(lambda: len(notifications.published("notice-delivered")) == 7)
    issued = {e.data["organisation_id"]: e.data for e in notifications.published("notice-issued")}
    assert {o: n["language"] for o, n in issued.items()} == {
        "alpha": "eng",
        "beta": "spa",
        "gamma": "spa",
    }
    assert issued["alpha"]["text"] == "Policy change from 2026-11-29 18:00 UTC: Laredo 40/day."
    assert "intérprete de Mam" in issued["gamma"]["text"]
    assert "intérprete" not in issued["beta"]["text"]
    assert {n["policy_id"] for n in issued.values()} == {"p-1"}
    assert {n["effective_at"] for n in issued.values()} == {"2026-11-29T18:00:00Z"}
    inboxes = {
        (e.data["recipient"], e.data["organisation_id"], e.data["channel"])
        for e in notifications.published("notice-delivered")
    }
    assert inboxes == {
        ("alpha", "alpha", "inbox"),
        ("beta", "beta", "inbox"),
        ("gamma", "gamma", "inbox"),
        ("casa-alitas", None, "inbox"),
        ("alpha", "alpha", "email"),  # each has one contact with an address
        ("beta", "beta", "email"),
        ("gamma", "gamma", "email"),
    }


async def test_an_organisation_that_joins_later_hears_of_the_policy(notifications):
    await notifications.send(policy())
    await eventually(lambda: notifications.published("policy-announced"))
    await notifications.send(organisation("late", "spa"))
    issued = await eventually(lambda: notifications.published("notice-issued"))
    assert (issued[0].data["organisation_id"], issued[0].data["language"]) == ("late", "spa")


async def test_a_family_notice_goes_to_the_organisation_running_the_shelter(notifications):
    await notifications.send(organisation("casa-org", "eng", shelter_id="casa-1"))
    await notifications.send(family_registered("f01"))
    await notifications.send(
        ShelterAssigned(
            family_unit_id="f01",
            shelter_id="casa-1",
            site="laredo",
            expected_at=NOW + dt.timedelta(days=2),
            people=1,
            languages=["spa"],
            needs_interpreter=False,
        )
    )
    (issued,) = await eventually(lambda: notifications.published("notice-issued"))
    assert (issued.data["organisation_id"], issued.data["kind"]) == ("casa-org", "expected-arrival")
    assert issued.data["family_unit_id"] == "f01" and issued.data["language"] == "eng"
    assert "Lopez" not in issued.data["text"]  # the family's names never reach the notice


async def test_an_organisation_acknowledges_its_own_notice_once(notifications):
    await notifications.send(organisation("alpha", "eng"))
    await notifications.send(policy())
    (issued,) = await eventually(lambda: notifications.published("notice-issued"))
    ack = AcknowledgeNotice(notice_id=issued.data["notice_id"], organisation_id="alpha")
    await notifications.send(ack)
    await notifications.send(ack)
    # handled after both acknowledgements, on the same topic and key:
    await notifications.send(AcknowledgeNotice(notice_id="marker", organisation_id="alpha"))
    await eventually(lambda: notifications.published("command-rejected"))
    (acknowledged,) = notifications.published("notice-acknowledged")
    assert acknowledged.data["policy_id"] == "p-1"
    assert acknowledged.data["acknowledged_at"] == "2026-11-28T12:00:00Z"


async def test_another_organisations_notice_is_refused_exactly_like_an_unknown_one(notifications):
    notices = await announced_to(notifications, "alpha", "beta")
    before = len(notifications.published())
    await notifications.send(AcknowledgeNotice(notice_id=notices["alpha"], organisation_id="beta"))
    await notifications.send(AcknowledgeNotice(notice_id="no-such-notice", organisation_id="beta"))
    rejected = await eventually(
        lambda: (
            len(notifications.published("command-rejected")) == 2
            and notifications.published("command-rejected")
        )
    )
    assert rejected[0].data == rejected[1].data
    assert rejected[0].data["errors"] == [
        {"field": "notice_id", "message": "is not a notice of your organisation"}
    ]
    assert len(notifications.published()) == before + 2, notifications.kinds()  # nothing else


HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)


async def announced_to(notifications, *organisations: str, hours: float = 30) -> dict[str, str]:
    """Each organisation's notice id, once a policy `hours` ahead is announced to them all."""
    for organisation_id in organisations:
        await notifications.send(organisation(organisation_id, "eng"))
    await notifications.send(policy(hours=hours))
    # Each is told in its inbox and by e-mail (one contact each).
    await eventually(
        lambda: len(notifications.published("notice-delivered")) == 2 * len(organisations)
    )
    return {
        e.data["organisation_id"]: e.data["notice_id"]
        for e in notifications.published("notice-issued")
    }


async def test_unacknowledged_notices_escalate_at_12_hours_and_put_the_policy_at_risk_at_2(
    notifications,
):
    notices = await announced_to(notifications, "alpha", "beta", "gamma")
    effective_at = NOW + 30 * HOUR
    await notifications.send(AcknowledgeNotice(notice_id=notices["beta"], organisation_id="beta"))
    await eventually(lambda: notifications.published("notice-acknowledged"))

    assert notifications.at(effective_at - 12 * HOUR - MINUTE) == []
    notifications.at(effective_at - 12 * HOUR)
    escalated = await eventually(lambda: notifications.published("notice-escalated"))
    assert sorted(e.data["organisation_id"] for e in escalated) == ["alpha", "gamma"]
    assert escalated[0].data["channels"] == ["inbox", "email", "webhook"]

    await notifications.send(AcknowledgeNotice(notice_id=notices["gamma"], organisation_id="gamma"))
    await eventually(lambda: len(notifications.published("notice-acknowledged")) == 2)
    assert notifications.at(effective_at - 2 * HOUR - MINUTE) == []
    notifications.at(effective_at - 2 * HOUR)
    (at_risk,) = await eventually(lambda: notifications.published("policy-at-risk"))
    assert at_risk.data["organisation_ids"] == ["alpha"]
    assert at_risk.data["effective_at"] == "2026-11-29T18:00:00Z"

    notifications.at(effective_at)
    await eventually(lambda: notifications.published("policy-effective"))
    assert len(notifications.published("notice-escalated")) == 2  # once each, never again
    assert len(notifications.published("policy-at-risk")) == 1


async def test_a_restart_midway_neither_loses_nor_repeats_an_escalation(notifications):
    await announced_to(notifications, "alpha", "beta")
    effective_at = NOW + 30 * HOUR
    await notifications.stop()
    notifications.clock.current = effective_at - 11 * HOUR  # passed T-12 h while down
    await notifications.start()
    notifications.at(effective_at - 11 * HOUR)
    escalated = await eventually(
        lambda: (
            len(notifications.published("notice-escalated")) == 2
            and notifications.published("notice-escalated")
        )
    )
    assert sorted(e.data["organisation_id"] for e in escalated) == ["alpha", "beta"]
    await notifications.stop()
    await notifications.start()
    notifications.at(effective_at - HOUR)
    (at_risk,) = await eventually(lambda: notifications.published("policy-at-risk"))
    assert at_risk.data["organisation_ids"] == ["alpha", "beta"]
    assert len(notifications.published("notice-escalated")) == 2


async def test_an_amended_policy_takes_effect_with_its_new_values_at_its_new_time(notifications):
    old = await announced_to(notifications, "alpha")
    new_time = NOW + 40 * HOUR
    await notifications.send(
        AmendPolicy(
            policy_id="p-1",
            title="Laredo 60/day",
            effective_at=new_time,
            changes=PolicyChanges(sites=[SiteChange(site="laredo", capacity_per_day=60)]),
        )
    )
    await eventually(lambda: len(notifications.published("notice-issued")) == 2)
    amended = notifications.published("notice-issued")[-1].data
    assert (amended["kind"], amended["effective_at"]) == ("policy-amended", "2026-11-30T04:00:00Z")
    assert "Laredo 60/day" in amended["text"]
    assert notifications.published("policy-amended")[0].data["title"] == "Laredo 60/day"

    # the old time: nothing but the amended notice's own escalation (new time - 12 h)
    assert notifications.at(NOW + 30 * HOUR) == ["notice-escalated"]
    escalated = await eventually(lambda: notifications.published("notice-escalated"))
    assert notifications.published("policy-effective") == []
    assert [e.data["notice_id"] for e in escalated] == [amended["notice_id"]]  # not old["alpha"]
    assert old["alpha"] != amended["notice_id"]
    notifications.at(new_time)
    (effective,) = await eventually(lambda: notifications.published("policy-effective"))
    assert effective.data["changes"]["sites"][0]["capacity_per_day"] == 60
    assert effective.data["title"] == "Laredo 60/day"


async def test_a_cancelled_policy_never_takes_effect_and_everyone_is_told(notifications):
    await announced_to(notifications, "alpha", "beta")
    await notifications.send(CancelPolicy(policy_id="p-1", reason="Court order"))
    await eventually(lambda: len(notifications.published("notice-issued")) == 4)
    told = notifications.published("notice-issued")[2:]
    assert {e.data["kind"] for e in told} == {"policy-cancelled"}
    assert "Reason: Court order" in told[0].data["text"]
    # nothing left to chase, before or at the time it would have taken effect
    assert notifications.at(NOW + 18 * HOUR) == []
    assert notifications.at(NOW + 28 * HOUR) == []
    assert notifications.at(NOW + 30 * HOUR) == []


async def rejection(notifications, command) -> list[tuple[str, str]]:
    """Send `command`; the rejection's errors, once nothing else was published meanwhile."""
    before = len(notifications.published())
    await notifications.send(command)
    rejected = await eventually(lambda: notifications.published()[before:])
    assert [e.type.split(".")[-2] for e in rejected] == ["command-rejected"]
    return [(e["field"], e["message"]) for e in rejected[0].data["errors"]]


async def test_bad_policy_commands_are_rejected_naming_the_field_and_nothing_is_written(
    notifications,
):
    await announced_to(notifications, "alpha")
    ahead = "must be at least 24 hours ahead: shelters need the notice"
    assert await rejection(notifications, policy("p-past", hours=-1)) == [("effective_at", ahead)]
    assert await rejection(notifications, policy("p-soon", hours=23)) == [("effective_at", ahead)]
    soon = AmendPolicy(policy_id="p-1", title="x", effective_at=NOW + 23 * HOUR)
    assert await rejection(notifications, soon) == [("effective_at", ahead)]
    unknown = CancelPolicy(policy_id="p-none", reason="x")
    assert await rejection(notifications, unknown) == [("policy_id", "is not an announced policy")]

    notifications.at(NOW + 30 * HOUR)
    await eventually(lambda: notifications.published("policy-effective"))
    later = AmendPolicy(policy_id="p-1", title="x", effective_at=NOW + 60 * HOUR)
    taken = [("policy_id", "has already taken effect")]
    assert await rejection(notifications, later) == taken
    assert await rejection(notifications, CancelPolicy(policy_id="p-1", reason="x")) == taken


async def test_a_policy_is_cancelled_once(notifications):
    await announced_to(notifications, "alpha")
    await notifications.send(CancelPolicy(policy_id="p-1", reason="Court order"))
    await eventually(lambda: len(notifications.published("notice-delivered")) == 4)
    again = CancelPolicy(policy_id="p-1", reason="Again")
    assert await rejection(notifications, again) == [("policy_id", "is already cancelled")]
    amend = AmendPolicy(policy_id="p-1", title="x", effective_at=NOW + 60 * HOUR)
    assert await rejection(notifications, amend) == [("policy_id", "is already cancelled")]
