"""Clock-driven sweeps with two replicas: every replica runs each `Service.every` job, and
two runs that overlap must not both make the same change. Each test starts the same sweep in
both replicas at once, each run waiting for the other to start before it reads (a run that
finds the other under way may skip instead), and counts what was staged: each change once."""

from __future__ import annotations

import datetime as dt

import puente_notifications
import puente_processing
import puente_registration
import pytest
from puente_notifications.policies import put_policies_in_effect
from puente_processing.clockwork import tick
from puente_registration.handlers import missed_callbacks
from puente_schemas.commands import AnnouncePolicy
from puente_schemas.common import Channel, Location, PolicyChanges, SiteChange
from puente_schemas.events import (
    ArrivedAtPort,
    CallbackBooked,
    CallbackMissed,
    PolicyEffective,
    ProcessingOverdue,
    Scheduled,
)

from tests.conftest import START, adult, family
from tests.postgres.support import at_once, overlapping, registered, two_replicas

pytestmark = pytest.mark.servers  # needs servers (here PostgreSQL)

DAY = dt.timedelta(days=1)


def test_a_missed_call_back_is_rebooked_once(databases, tmp_path):
    url = databases.replace("{service}", "registration")
    factory = puente_registration.create_app
    with two_replicas(factory, database_url=url, tmp_path=tmp_path, start=START) as replicas:
        first, second = replicas
        hotline = family("f1", adult("A111111111"))
        first.deliver(hotline.model_copy(update={"channel": Channel.HOTLINE}))
        (booked,) = first.staged(CallbackBooked)
        first.clock.advance(4 * DAY)  # past the call-back and its grace period

        sweep = overlapping(missed_callbacks)
        at_once(lambda: first.service.run_now(sweep), lambda: second.service.run_now(sweep))

        missed = first.staged(CallbackMissed)
        rebooked = [c for c in first.staged(CallbackBooked) if c["rebooked_from"]]
    assert [m["callback_id"] for m in missed] == [booked["callback_id"]]
    assert [r["rebooked_from"] for r in rebooked] == [booked["callback_id"]]


def test_a_policy_takes_effect_once(databases, tmp_path):
    url = databases.replace("{service}", "notifications")
    factory = puente_notifications.create_app
    with two_replicas(factory, database_url=url, tmp_path=tmp_path, start=START) as replicas:
        first, second = replicas
        changes = PolicyChanges(sites=[SiteChange(site="laredo", capacity_per_day=40)])
        first.deliver(
            AnnouncePolicy(
                policy_id="p-1", title="Laredo", effective_at=START + 2 * DAY, changes=changes
            )
        )
        first.clock.advance(3 * DAY)

        sweep = overlapping(put_policies_in_effect)
        at_once(lambda: first.service.run_now(sweep), lambda: second.service.run_now(sweep))

        effective = first.staged(PolicyEffective)
    assert [e["policy_id"] for e in effective] == ["p-1"]


def test_an_overdue_processing_is_reported_once(databases, tmp_path):
    url = databases.replace("{service}", "processing")
    factory = puente_processing.create_app
    with two_replicas(factory, database_url=url, tmp_path=tmp_path, start=START) as replicas:
        first, second = replicas
        appointment = START + 2 * DAY
        first.deliver(registered("f1", at=START))
        first.deliver(
            Scheduled(
                family_unit_id="f1",
                appointment_id="f1-appointment",
                site="san-ysidro",
                appointment_at=appointment,
                people=1,
                origin=Location(city="Tijuana", country="MX"),
            )
        )
        first.clock.advance(2 * DAY)
        first.deliver(
            ArrivedAtPort(
                family_unit_id="f1", booking_id="b1", site="san-ysidro", arrived_at=appointment
            )
        )
        first.clock.advance(DAY)  # far past the site's target
        before = first.last_staged()

        sweep = overlapping(tick)
        at_once(lambda: first.service.run_now(sweep), lambda: second.service.run_now(sweep))

        overdue = first.staged(ProcessingOverdue)
        changes = first.staged_since(before)
    assert [o["family_unit_id"] for o in overdue] == ["f1"]
    assert len(changes) == len(set(changes))  # documents came ready too: told once as well
