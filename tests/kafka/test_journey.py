"""A family's whole journey on the distributed platform: six processes, Kafka, PostgreSQL."""

from __future__ import annotations

from collections import Counter

import pytest
from puente_schemas.events import Scheduled
from puente_schemas.topics import SCHEDULING_EVENTS

from tests.kafka.broker import Tap
from tests.kafka.journey import ALONGSIDE, JOURNEY, NOTICES, GraphQL, spans_about
from tests.kafka.processes import SERVICES, Platform
from tests.polling import eventually

pytestmark = pytest.mark.servers
ONCE = (*JOURNEY, *ALONGSIDE)


async def released(gateway: GraphQL, family: str) -> bool:
    return await gateway.stage(family) == "RELEASED"


async def test_family_reaches_released(platform: Platform, tap: Tap) -> None:
    await platform.start(*SERVICES)
    gateway = GraphQL(platform.gateway_url, platform.admin_token)

    family = await gateway.register_family()
    async with gateway.family_events(family) as live:
        await eventually(
            lambda: released(gateway, family), timeout=90, what="the family to reach RELEASED"
        )
        await eventually(
            lambda: tap.count(family, "notice-delivered") >= NOTICES,
            timeout=30,
            what="both notices to the receiving shelter",
        )
        await platform.settle(tap)
        on_topics = tap.events_about(family)
        await eventually(
            lambda: len(live) >= len(on_topics),
            timeout=10,
            what="the subscription to deliver every event",
        )

    counts = Counter(r.short_type for r in on_topics)
    assert {step: counts[step] for step in ONCE} == dict.fromkeys(ONCE, 1)
    assert counts["notice-delivered"] == NOTICES and counts["documents-prepared"] >= 1
    # 4 hours of processing last 0.7 s at 20,000x: a loaded machine may deliver the officer's
    # "done" after the target, and `processing-overdue` is then right. Nothing else may appear.
    extra = set(counts) - {*ONCE, "notice-delivered", "documents-prepared"}
    assert extra <= {"processing-overdue"}, extra

    cursors = [int(e["cursor"]) for e in live]
    assert cursors == sorted(set(cursors))
    assert {e["familyUnitId"] for e in live} == {family}
    assert sorted(e["eventId"] for e in live) == sorted(r.headers["ce_id"] for r in on_topics)
    assert [e["type"] for e in live if e["type"] in JOURNEY] == list(JOURNEY)

    spans = spans_about(platform.var_dir, family)
    assert {s["service"] for s in spans} == {f"puente-{name}" for name in SERVICES}
    assert len({s["trace_id"] for s in spans}) == 1, Counter(s["trace_id"] for s in spans)


async def test_relay_crash_after_commit(platform: Platform, tap: Tap) -> None:
    await platform.start("scheduling", relay_crash_before=Scheduled.TYPE)
    await platform.start(*(name for name in SERVICES if name != "scheduling"))
    gateway = GraphQL(platform.gateway_url, platform.admin_token)

    family = await gateway.register_family()
    assert await platform.wait_exit("scheduling", timeout=30) == -9  # killed mid-relay
    await tap.catch_up()
    assert tap.about(family, topic=SCHEDULING_EVENTS) == []
    unpublished = "SELECT type FROM outbox WHERE key = %s AND published_at IS NULL"
    assert platform.query("scheduling", unpublished, family) == [(Scheduled.TYPE,)]  # committed

    await platform.restart("scheduling")
    await eventually(
        lambda: released(gateway, family),
        timeout=90,
        what="the family to reach RELEASED after the restart",
    )
    await platform.settle(tap)
    assert [r.short_type for r in tap.about(family, topic=SCHEDULING_EVENTS)] == ["scheduled"]
    assert tap.count(family, "released") == 1
