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
from puente_notifications.app import timed_work
from puente_schemas.commands import AcknowledgeNotice, AnnouncePolicy
from puente_schemas.common import PartnerKind, PolicyChanges, SiteChange
from puente_schemas.events import (
    NoticeAcknowledged,
    NoticeDelivered,
    NoticeEscalated,
    NoticeIssued,
    NotificationsCommandRejected,
    OrganisationRegistered,
    PolicyAnnounced,
    PolicyAtRisk,
    Shelter,
    ShelterAssigned,
    ShelterUpdated,
)

from tests.conftest import START
from tests.postgres.support import at_once, overlapping, registered, slowed, two_replicas

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


def organisation(organisation_id: str) -> OrganisationRegistered:
    return OrganisationRegistered(
        organisation_id=organisation_id,
        name=organisation_id.title(),
        kind=PartnerKind.LEGAL_PROVIDER,
        languages=["spa"],
    )


def test_an_organisation_new_while_a_policy_is_announced_hears_of_it(
    databases, tmp_path, monkeypatch
):
    url = databases.replace("{service}", "notifications")
    factory = puente_notifications.create_app
    with two_replicas(factory, database_url=url, tmp_path=tmp_path, start=START) as replicas:
        first, second = replicas
        first.deliver(organisation("org-1"))
        monkeypatch.setattr(domain, "policy_notice", slowed(domain.policy_notice))
        at_once(
            partial(first.deliver, policy("p-1", "laredo")),
            partial(second.deliver, organisation("org-2")),
        )
        told = sorted((n["organisation_id"], n["policy_id"]) for n in first.staged(NoticeIssued))
    assert told == [("org-1", "p-1"), ("org-2", "p-1")]


def test_notices_escalate_once_across_replicas_and_only_while_unacknowledged(databases, tmp_path):
    """Both replicas run the escalation at the same moment: each unacknowledged notice is
    escalated once, an acknowledged one never, and the policy at risk names who is late."""
    url = databases.replace("{service}", "notifications")
    factory = puente_notifications.create_app
    with two_replicas(factory, database_url=url, tmp_path=tmp_path, start=START) as replicas:
        first, second = replicas
        first.deliver_all([organisation("org-1"), organisation("org-2"), policy("p-1", "laredo")])
        notices = {n["organisation_id"]: n["notice_id"] for n in first.staged(NoticeIssued)}
        second.deliver(AcknowledgeNotice(notice_id=notices["org-2"], organisation_id="org-2"))
        second.deliver(AcknowledgeNotice(notice_id=notices["org-1"], organisation_id="org-2"))
        _, escalate = timed_work(first.service.settings)
        sweep = overlapping(escalate)

        first.clock.advance(2 * DAY - dt.timedelta(hours=12))
        at_once(lambda: first.service.run_now(sweep), lambda: second.service.run_now(sweep))
        first.clock.advance(dt.timedelta(hours=10))
        at_once(lambda: first.service.run_now(sweep), lambda: second.service.run_now(sweep))

        escalated = [e["notice_id"] for e in first.staged(NoticeEscalated)]
        at_risk = first.staged(PolicyAtRisk)
        acknowledged = first.staged(NoticeAcknowledged)
        (rejected,) = first.staged(NotificationsCommandRejected)
    assert escalated == [notices["org-1"]]
    assert [a["organisation_ids"] for a in at_risk] == [["org-1"]]
    assert [a["notice_id"] for a in acknowledged] == [notices["org-2"]]
    assert rejected["errors"] == [
        {"field": "notice_id", "message": "is not a notice of your organisation"}
    ]
