"""Partners' notices (issue 10): every organisation hears of a policy in its language,
acknowledges its own notices, and is chased on the platform clock until it does."""

from __future__ import annotations

import datetime as dt

import pytest
from puente_schemas.commands import AcknowledgeNotice, AnnouncePolicy
from puente_schemas.events import ShelterAssigned

from tests.gateway.support import eventually
from tests.gateway.support import registered as family_registered
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
    await eventually(lambda: len(notifications.published("notice-delivered")) == 4)
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
    await notifications.send(organisation("alpha", "eng"))
    await notifications.send(organisation("beta", "eng"))
    await notifications.send(policy())
    await eventually(lambda: len(notifications.published("notice-issued")) == 2)
    alphas = [
        e.data["notice_id"]
        for e in notifications.published("notice-issued")
        if e.data["organisation_id"] == "alpha"
    ]
    before = len(notifications.published())
    await notifications.send(AcknowledgeNotice(notice_id=alphas[0], organisation_id="beta"))
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
    assert len(notifications.published()) == before + 2  # nothing else
