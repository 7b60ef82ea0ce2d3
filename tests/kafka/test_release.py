"""Issue 4 end to end on the distributed platform: families already inside the US, and
shelters that are full."""

from __future__ import annotations

import pytest
from puente_processing.domain.shelters import SHELTERS, choose_shelter
from puente_schemas.commands import UpdateShelterCapacity
from puente_schemas.places import PORTS

from tests.kafka.broker import Tap
from tests.kafka.journey import GraphQL, published, send
from tests.kafka.processes import SERVICES, Platform
from tests.polling import eventually

pytestmark = pytest.mark.servers


async def test_a_family_inside_the_us_goes_straight_to_court_transfer(
    platform: Platform, tap: Tap
) -> None:
    await platform.start(*SERVICES)
    gateway = GraphQL(platform.gateway_url, platform.admin_token)

    family = await gateway.register_family(city="Houston", country="US")
    released = await eventually(
        lambda: published(tap, family, "released"), timeout=90, what="the family's release"
    )
    await platform.settle(tap)

    assert released[0]["destination"] == "home in Houston"
    assert released[0]["on_parole"] is True
    (court,) = published(tap, family, "court-assigned")
    assert court["court"].startswith("Houston")
    steps = {r.short_type for r in tap.events_about(family)}
    assert steps.isdisjoint({"scheduled", "transport-booked", "arrived-at-port", "checked-in"})
    assert {"registered", "documents-prepared", "processed", "released"} <= steps
    assert await gateway.stage(family) == "RELEASED"  # the dashboard agrees


async def test_a_full_shelter_is_skipped_for_the_next_nearest(platform: Platform, tap: Tap) -> None:
    await platform.start(*SERVICES)
    gateway = GraphQL(platform.gateway_url, platform.admin_token)
    nearest = choose_shelter(SHELTERS, PORTS["san-ysidro"], 3)
    assert nearest is not None
    await send(platform.bootstrap, UpdateShelterCapacity(shelter_id=nearest.id, beds=0))
    await eventually(
        lambda: any(
            r.short_type == "shelter-updated" and b'"beds":0' in r.value
            for r in tap.about(nearest.id)
        ),
        timeout=30,
        what="the shelter's capacity to be updated",
    )

    family = await gateway.register_family(city="Tijuana")
    (assigned,) = await eventually(
        lambda: published(tap, family, "shelter-assigned"), timeout=60, what="a shelter"
    )
    others = [s for s in SHELTERS if s.id != nearest.id]
    assert assigned["shelter_id"] == choose_shelter(others, PORTS["san-ysidro"], 3).id
    released = await eventually(
        lambda: published(tap, family, "released"), timeout=90, what="the family's release"
    )
    assert released[0]["shelter_id"] == assigned["shelter_id"]
