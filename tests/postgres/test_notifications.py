"""Notifications with two replicas: a policy announced (a command, in one replica) while a
shelter is new to notifications (processing's event, in the other) still reaches that
shelter, ahead of the policy as DOMAIN.md rule 6 asks; every shelter hears of every policy
once. And what still keeps notifications at one replica: a message parked in one replica
while its cause is applied in the other waits on (the runtime's parking)."""

from __future__ import annotations

import datetime as dt
from functools import partial

import puente_notifications
import pytest
from puente_notifications import domain
from puente_schemas.commands import AnnouncePolicy
from puente_schemas.common import PolicyChanges, SiteChange
from puente_schemas.events import (
    NoticeDelivered,
    PolicyAnnounced,
    Shelter,
    ShelterAssigned,
    ShelterUpdated,
)

from tests.conftest import START
from tests.postgres.support import at_once, registered, slowed, two_replicas

pytestmark = pytest.mark.servers  # needs servers (here PostgreSQL)

DAY = dt.timedelta(days=1)


def shelter(shelter_id: str) -> ShelterUpdated:
    return ShelterUpdated(
        shelter=Shelter(
            id=shelter_id,
            name=shelter_id.replace("-", " ").title(),
            city="Tucson",
            latitude=32.2,
            longitude=-110.9,
            beds=40,
            beds_free=40,
            services=["food"],
        )
    )


def policy(policy_id: str, site: str) -> AnnouncePolicy:
    return AnnouncePolicy(
        policy_id=policy_id,
        title=f"{site.title()}: 40 a day",
        effective_at=START + 2 * DAY,
        changes=PolicyChanges(sites=[SiteChange(site=site, capacity_per_day=40)]),
    )


def test_a_shelter_new_while_a_policy_is_announced_hears_of_it(databases, tmp_path, monkeypatch):
    """A shelter and a policy are known already; then a second policy is announced in one
    replica while a second shelter first appears in the other, each replica slow to write
    its notices: both shelters hear of both policies, once each."""
    url = databases.replace("{service}", "notifications")
    factory = puente_notifications.create_app
    with two_replicas(factory, database_url=url, tmp_path=tmp_path, start=START) as replicas:
        first, second = replicas
        first.deliver(shelter("casa-1"))
        first.deliver(policy("p-1", "laredo"))
        monkeypatch.setattr(domain, "policy_notice", slowed(domain.policy_notice))

        at_once(
            partial(first.deliver, policy("p-2", "brownsville")),
            partial(second.deliver, shelter("casa-2")),
        )

        announced = first.staged(PolicyAnnounced)
        told = [
            (notice["recipient"], notice["policy_id"])
            for notice in first.staged(NoticeDelivered)
            if notice["kind"] == "policy-announced"
        ]
    assert [a["policy_id"] for a in announced] == ["p-1", "p-2"]
    assert sorted(told) == [
        ("casa-1", "p-1"),
        ("casa-1", "p-2"),
        ("casa-2", "p-1"),
        ("casa-2", "p-2"),
    ]


def test_a_shelter_hears_of_a_family_whose_registration_arrives_meanwhile(
    databases, tmp_path, monkeypatch
):
    """Processing assigns a shelter (in one replica) while the family's registration, which
    says what the family needs, is applied in the other (a backlog read after an outage):
    the assignment waits for the registration (parked), and then the shelter is told."""
    url = databases.replace("{service}", "notifications")
    factory = puente_notifications.create_app
    with two_replicas(factory, database_url=url, tmp_path=tmp_path, start=START) as replicas:
        first, second = replicas
        monkeypatch.setattr(domain, "needs_of", slowed(domain.needs_of))
        assigned = ShelterAssigned(
            family_unit_id="f01",
            shelter_id="casa-1",
            site="san-ysidro",
            expected_at=START + 2 * DAY,
            people=1,
            languages=["spa"],
            needs_interpreter=False,
        )

        at_once(
            partial(first.deliver, registered("f01", at=START)),
            partial(second.deliver, assigned),
        )

        told = [(n["recipient"], n["kind"]) for n in first.staged(NoticeDelivered)]
    assert told == [("casa-1", "expected-arrival")]
