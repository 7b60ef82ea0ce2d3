"""Rule 6: shelters hear of every policy change at least 24 hours before it takes effect."""

from __future__ import annotations

import datetime as dt

import pytest
from puente_notifications import create_app
from puente_runtime import EmbeddedBus, FakeClock, Settings
from puente_runtime.messages import to_message
from puente_runtime.outbox import envelope_for
from puente_schemas import Envelope
from puente_schemas.commands import AnnouncePolicy
from puente_schemas.common import PolicyChanges, SiteChange
from puente_schemas.events import Event, Shelter, ShelterUpdated
from puente_schemas.topics import NOTIFICATIONS_EVENTS

from tests.polling import eventually

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
OPEN_NOGALES = PolicyChanges(sites=[SiteChange(site="nogales", open=True)])


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


@pytest.fixture
async def notifications(tmp_path):
    clock = FakeClock(NOW)
    bus = EmbeddedBus(tmp_path / "bus.db", poll_seconds=0.02)
    settings = Settings(var_dir=tmp_path, relay_poll_seconds=0.02)
    service = create_app(settings=settings, bus=bus, clock=clock)
    await bus.start()
    await service.start()

    async def send(message: AnnouncePolicy | Event) -> None:
        envelope = envelope_for(message, source="test", clock=clock)
        await bus.publish(to_message(envelope, message.TOPIC, {}))

    def published() -> list[Envelope]:
        return [Envelope.from_kafka(m.headers, m.value) for m in bus.read(NOTIFICATIONS_EVENTS)]

    yield clock, send, published
    await service.stop()
    await bus.stop()


def kinds(envelopes: list[Envelope]) -> list[str]:
    return [e.type.split(".")[-2] for e in envelopes]


async def test_every_known_shelter_is_told_a_day_ahead_and_the_policy_takes_effect_on_time(
    notifications,
):
    clock, send, published = notifications
    await send(shelter("casa-alitas"))
    await send(shelter("annunciation-house"))
    effective_at = NOW + dt.timedelta(hours=25)
    await send(
        AnnouncePolicy(
            policy_id="p-1", title="Nogales opens", effective_at=effective_at, changes=OPEN_NOGALES
        )
    )
    await eventually(lambda: "policy-announced" in kinds(published()))
    notices = [e for e in published() if e.type.endswith("notice-delivered.v1")]
    assert sorted(n.data["recipient"] for n in notices) == ["annunciation-house", "casa-alitas"]
    assert all(
        n.data["policy_id"] == "p-1" and n.time <= effective_at - dt.timedelta(hours=24)
        for n in notices
    )
    assert "policy-effective" not in kinds(published())

    clock.advance(dt.timedelta(hours=24, minutes=59))
    await eventually(lambda: clock.now() > NOW)  # let the policy loop run at this time
    assert "policy-effective" not in kinds(published())
    clock.advance(dt.timedelta(minutes=10))
    effective = await eventually(
        lambda: [e for e in published() if e.type.endswith("policy-effective.v1")]
    )
    assert effective[0].data["changes"]["sites"] == [
        {"site": "nogales", "open": True, "capacity_per_day": None}
    ]
    assert effective[0].time >= effective_at


async def test_a_shelter_that_joins_later_hears_of_policies_not_yet_in_effect(notifications):
    _, send, published = notifications
    await send(
        AnnouncePolicy(
            policy_id="p-2",
            title="Capacity change",
            effective_at=NOW + dt.timedelta(days=3),
            changes=PolicyChanges(sites=[SiteChange(site="laredo", capacity_per_day=40)]),
        )
    )
    await eventually(lambda: "policy-announced" in kinds(published()))
    await send(shelter("holding-institute"))
    notice = await eventually(
        lambda: [e for e in published() if e.type.endswith("notice-delivered.v1")]
    )
    assert (notice[0].data["recipient"], notice[0].data["policy_id"]) == (
        "holding-institute",
        "p-2",
    )


@pytest.mark.parametrize(
    ("effective_in", "changes", "errors"),
    [
        (
            dt.timedelta(hours=23),
            OPEN_NOGALES,
            {("effective_at", "must be at least 24 hours ahead: shelters need the notice")},
        ),
        (
            dt.timedelta(days=2),
            PolicyChanges(sites=[SiteChange(site="roma", open=True)]),
            {("changes.sites[0].site", "unknown site 'roma'")},
        ),
        (
            dt.timedelta(days=2),
            PolicyChanges(sites=[SiteChange(site="laredo", capacity_per_day=-5)]),
            {("changes.sites[0].capacity_per_day", "must not be below zero")},
        ),
    ],
)
async def test_a_bad_policy_is_rejected_naming_what_is_wrong_and_nobody_is_told(
    notifications, effective_in, changes, errors
):
    _, send, published = notifications
    await send(shelter("casa-alitas"))
    await send(
        AnnouncePolicy(
            policy_id="p-bad", title="Bad", effective_at=NOW + effective_in, changes=changes
        )
    )
    rejected = await eventually(
        lambda: [e for e in published() if e.type.endswith("command-rejected.v1")]
    )
    assert {(e["field"], e["message"]) for e in rejected[0].data["errors"]} == errors
    assert kinds(published()) == ["command-rejected"]
