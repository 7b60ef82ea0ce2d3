"""Processing through its consumer, relay and clock, on the embedded bus: documents, check-in,
processing time, court, attorney access, release and shelters.

Most tests run the processing service alone on a fake clock, sending it the events and
commands the other services and partners would; the last two run the whole platform.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from puente_processing import create_app
from puente_processing.clockwork import tick
from puente_processing.tables import CaseFileRow
from puente_runtime import EmbeddedBus, FakeClock, Service, Settings
from puente_runtime.messages import to_message
from puente_runtime.outbox import Contract, envelope_for
from puente_schemas import Envelope
from puente_schemas.commands import (
    CompleteProcessing,
    ConfirmShelterArrival,
    ReleaseFamily,
    RequestAttorneyAccess,
    UpdateShelterCapacity,
)
from puente_schemas.common import Location, Member
from puente_schemas.events import (
    ArrivedAtPort,
    Registered,
    RegistrationUpdated,
    Rescheduled,
    ScheduleCancelled,
    Scheduled,
)
from puente_schemas.topics import PROCESSING_EVENTS, TRANSPORT_EVENTS
from sqlmodel import Session

from tests.polling import eventually
from tests.wiring.support import REGISTER, events_for, member

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def person(member_id: str, **changes: Any) -> Member:
    values: dict[str, Any] = {
        "member_id": member_id,
        "given_name": "Ana",
        "family_name": "Lopez",
        "birth_date": dt.date(1990, 3, 1),
        "in_mpp": True,
        "a_number": "A123456789",
        "case_category": "active",
        "language": "spa",
    }
    return Member(**(values | changes))


def registered(
    family: str, *members: Member, city: str = "Tijuana", country: str = "MX", **more: Any
) -> Registered:
    return Registered(
        family_unit_id=family,
        channel=more.pop("channel", "online"),
        current_location=Location(city=city, country=country),
        members=list(members) or [person(f"{family}-1")],
        registered_at=NOW,
        **more,
    )


def scheduled(family: str, site: str = "san-ysidro", at: dt.datetime | None = None) -> Scheduled:
    return Scheduled(
        family_unit_id=family,
        appointment_id=f"{family}-appointment",
        site=site,
        appointment_at=at or NOW + 48 * HOUR,
        people=1,
        origin=Location(city="Tijuana", country="MX"),
    )


def arrived(family: str, site: str = "san-ysidro", at: dt.datetime | None = None) -> ArrivedAtPort:
    return ArrivedAtPort(
        family_unit_id=family, booking_id=f"{family}-booking", site=site, arrived_at=at or NOW
    )


class Processing:
    def __init__(self, service: Service, bus: EmbeddedBus, clock: FakeClock) -> None:
        self.service, self.bus, self.clock = service, bus, clock

    async def send(self, message: Contract) -> None:
        envelope = envelope_for(message, source="test", clock=self.clock)
        await self.bus.publish(to_message(envelope, message.TOPIC, {}))

    def published(self, kind: str, family: str | None = None) -> list[dict[str, Any]]:
        envelopes = (
            Envelope.from_kafka(m.headers, m.value) for m in self.bus.read(PROCESSING_EVENTS)
        )
        return [
            e.data
            for e in envelopes
            if e.type.split(".")[-2] == kind and (family is None or e.subject == family)
        ]

    async def next(self, kind: str, family: str | None = None, count: int = 1) -> dict[str, Any]:
        """The `count`-th event of `kind` (about `family`), once it is published."""
        found = await eventually(lambda: len(self.published(kind, family)) >= count and 1)
        assert found
        return self.published(kind, family)[count - 1]

    async def later(self, delta: dt.timedelta) -> None:
        """Move the clock and run the clock-driven work once, as the loop would."""
        self.clock.advance(delta)
        self.service.run_now(tick)
        await self.settled()

    async def settled(self) -> None:
        await self.service.relay.publish_pending()

    def case(self, family: str) -> CaseFileRow | None:
        with Session(self.service.engine) as session:
            return session.get(CaseFileRow, family)


@contextlib.asynccontextmanager
async def started(tmp_path: Path, patience_seconds: float) -> AsyncIterator[Processing]:
    clock = FakeClock(NOW)
    bus = EmbeddedBus(tmp_path / "bus.db", poll_seconds=0.02)
    settings = Settings(
        var_dir=tmp_path, relay_poll_seconds=0.02, wait_for_cause_seconds=patience_seconds
    )
    service = create_app(settings=settings, bus=bus, clock=clock)
    await bus.start()
    await service.start()
    yield Processing(service, bus, clock)
    await service.stop()
    await bus.stop()


@pytest.fixture
async def processing(tmp_path):
    async with started(tmp_path, patience_seconds=30) as running:
        yield running


async def at_the_port(p: Processing, family: str, *members: Member, **more: Any) -> None:
    await p.send(registered(family, *members, **more))
    await p.send(scheduled(family))
    await p.next("shelter-assigned", family)
    await p.later(47 * HOUR)
    await p.send(arrived(family, at=p.clock.now()))
    await p.next("checked-in", family)


def statuses(event: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {(d["member_id"], d["kind"]): d["status"] for d in event["documents"]}


async def test_shelters_are_seeded_once_and_announced(processing, tmp_path):
    p = processing
    await p.settled()
    first = p.published("shelter-updated")
    assert len(first) >= 20
    assert {s["shelter"]["id"] for s in first} >= {"annunciation-house", "casa-alitas"}
    again = create_app(settings=p.service.settings, bus=p.bus, clock=p.clock)
    await again.relay.publish_pending()
    again.engine.dispose()
    assert len(p.published("shelter-updated")) == len(first)


async def test_documents_are_prepared_ahead_and_come_ready_with_time(processing):
    p = processing
    family = "f-docs"
    await p.send(registered(family, person("a"), person("b", case_category="in_absentia")))
    await p.send(scheduled(family))
    prepared = await p.next("documents-prepared", family)
    assert set(statuses(prepared).values()) == {"pending"}
    assert set(statuses(prepared)) == {
        ("a", "court transfer"),
        ("a", "parole"),
        ("b", "motion to rescind in absentia order"),
        ("b", "new notice to appear"),
        ("b", "parole"),
    }
    await p.later(12 * HOUR)
    half = statuses(await p.next("documents-prepared", family, count=2))
    assert half[("a", "parole")] == "ready" and half[("a", "court transfer")] == "pending"
    await p.later(24 * HOUR)  # one record per moment something came ready, however late
    at_24_hours = statuses(await p.next("documents-prepared", family, count=3))
    assert at_24_hours[("a", "court transfer")] == "ready"
    assert at_24_hours[("b", "motion to rescind in absentia order")] == "pending"
    at_36_hours = statuses(await p.next("documents-prepared", family, count=4))
    assert set(at_36_hours.values()) == {"ready"}


async def test_a_family_arriving_with_a_document_not_ready_is_checked_in_but_not_processed(
    processing,
):
    p = processing
    family = "f-early"
    await p.send(registered(family, person("a", case_category="denied")))
    await p.send(scheduled(family, at=NOW + 3 * HOUR))
    await p.send(arrived(family, at=NOW + 2 * HOUR))
    assert (await p.next("checked-in", family))["site"] == "san-ysidro"
    assert ("a", "motion to reopen") in statuses(await p.next("documents-prepared", family))

    await p.send(CompleteProcessing(family_unit_id=family))
    refused = await p.next("command-rejected", family)
    assert refused["command"] == CompleteProcessing.TYPE
    assert {e["message"] for e in refused["errors"]} == {
        "motion to reopen for member a is not ready",
        "parole for member a is not ready",
    }
    assert p.case(family).step == "checked-in"

    await p.later(3 * HOUR)  # what was pending at check-in is finished at the port
    await p.send(CompleteProcessing(family_unit_id=family))
    done = await p.next("processed", family)
    assert {d["kind"] for d in done["documents"]} == {"motion to reopen", "parole"}


async def test_release_before_processing_is_refused_and_changes_nothing(processing):
    p = processing
    family = "f-hurry"
    await at_the_port(p, family)
    await p.send(ReleaseFamily(family_unit_id=family))
    refused = await p.next("command-rejected", family)
    assert refused["errors"] == [
        {"field": "family_unit_id", "message": "is checked-in: release comes after processing"}
    ]
    assert p.case(family).step == "checked-in" and p.published("released", family) == []


async def test_commands_about_an_unknown_family_are_refused(processing):
    p = processing
    for command in (
        CompleteProcessing(family_unit_id="nobody"),
        ReleaseFamily(family_unit_id="nobody"),
        ConfirmShelterArrival(family_unit_id="nobody", shelter_id="casa-alitas"),
        RequestAttorneyAccess(
            request_id="r-0", family_unit_id="nobody", attorney_organisation_id="org"
        ),
    ):
        await p.send(command)
    await p.next("command-rejected", "nobody", count=4)
    assert {e["errors"][0]["field"] for e in p.published("command-rejected", "nobody")} == {
        "family_unit_id"
    }


async def test_the_journey_through_the_port_to_release_at_the_nearest_shelter(processing):
    p = processing
    family = "f-release"
    await p.send(registered(family, person("a", language="hat"), person("b", in_mpp=False)))
    await p.send(scheduled(family))
    assigned = await p.next("shelter-assigned", family)
    assert assigned["shelter_id"] == "jfs-san-diego" and assigned["people"] == 2
    court = await p.next("court-assigned", family)
    assert court["court"] == "San Diego Immigration Court"
    await p.later(40 * HOUR)
    await p.send(arrived(family, at=NOW + 47 * HOUR))
    await p.next("checked-in", family)
    await p.send(CompleteProcessing(family_unit_id=family))
    await p.next("processed", family)
    await p.send(ReleaseFamily(family_unit_id=family))
    released = await p.next("released", family)
    assert released["destination"].startswith("Jewish Family Service")
    assert released["shelter_id"] == "jfs-san-diego" and released["on_parole"] is True
    assert released["court"] == "San Diego Immigration Court"
    assert released["language"] == "hat" and "I-765" in released["after_release"]
    assert "San Diego Immigration Court" in released["after_release"]
    assert released["onward_travel"] == ["2 seats from San Ysidro to San Diego"]


async def test_a_sponsor_address_sends_the_case_to_the_court_nearest_the_sponsor(processing):
    p = processing
    family = "f-sponsor"
    await at_the_port(p, family, person("a", language="mam", needs_interpreter=True))
    await p.later(3 * HOUR)
    await p.send(CompleteProcessing(family_unit_id=family))
    await p.next("processed", family)
    await p.send(ReleaseFamily(family_unit_id=family, destination="1200 Main St, Houston, TX"))
    released = await p.next("released", family)
    assert released["court"] == "Houston Immigration Court" and released["shelter_id"] is None
    assert released["onward_travel"] == ["1 seats from San Ysidro to Houston", "interpreter: mam"]
    assert released["language"] == "spa" and released["after_release"].endswith(
        "Un intérprete le explicará esta información en Mam."
    )
    moved = await p.next("court-assigned", family, count=2)
    assert moved["destination"] == "1200 Main St, Houston, TX"
    freed = p.published("shelter-updated")[-1]["shelter"]
    assert freed["id"] == "jfs-san-diego" and freed["beds_free"] == freed["beds"]


async def test_processing_past_the_site_target_is_reported_once(processing):
    p = processing
    family = "f-slow"
    await p.send(registered(family))
    await p.send(scheduled(family, site="brownsville"))
    await p.next("shelter-assigned", family)
    await p.send(arrived(family, site="brownsville", at=NOW))
    await p.next("checked-in", family)
    await p.later(2 * HOUR)
    assert p.published("processing-overdue", family) == []
    await p.later(HOUR)
    await p.later(HOUR)
    overdue = p.published("processing-overdue", family)
    assert [(o["site"], o["target_hours"]) for o in overdue] == [("brownsville", 2.5)]


async def test_processing_that_ends_past_the_target_between_two_ticks_is_reported_then(
    processing,
):
    p = processing
    family = "f-late"
    await p.send(registered(family))
    await p.send(scheduled(family, site="brownsville"))
    await p.next("shelter-assigned", family)
    await p.send(arrived(family, site="brownsville", at=NOW))
    await p.next("checked-in", family)
    p.clock.advance(3 * HOUR)  # no tick ran in between: the clock never saw it overdue
    await p.send(CompleteProcessing(family_unit_id=family))
    await p.next("processed", family)
    await p.later(HOUR)
    overdue = p.published("processing-overdue", family)
    assert [(o["site"], o["target_hours"]) for o in overdue] == [("brownsville", 2.5)]


async def test_an_arrival_at_another_site_waits_for_the_appointment_to_move_there(processing):
    p = processing
    family = "f-moved"
    await p.send(registered(family))
    await p.send(scheduled(family, site="san-ysidro"))
    await p.next("shelter-assigned", family)
    await p.send(arrived(family, site="calexico"))
    await p.settled()
    assert p.published("checked-in", family) == [] and p.case(family).step == "scheduled"
    await p.send(
        Rescheduled(
            **scheduled(family, site="calexico").model_dump(exclude={"appointment_id"}),
            appointment_id="second",
            reason="transport failed",
        )
    )
    assert (await p.next("checked-in", family))["site"] == "calexico"
    moved = await p.next("shelter-assigned", family, count=2)
    assert moved["site"] == "calexico" and moved["shelter_id"] == "calexico-respite"


async def test_an_arrival_at_a_site_with_no_appointment_is_dead_lettered_naming_the_site(
    tmp_path,
):
    async with started(tmp_path, patience_seconds=0.3) as p:
        family = "f-lost-port"
        await p.send(registered(family))
        await p.send(scheduled(family, site="san-ysidro"))
        await p.next("shelter-assigned", family)
        await p.send(arrived(family, site="calexico"))
        letters = await eventually(lambda: p.bus.read(f"{TRANSPORT_EVENTS}.dlq"), timeout=10)
        assert letters[0].key == family
        assert letters[0].headers["puente_dlq_reason"] == (
            "gave up waiting: site: the family's appointment is at 'san-ysidro', not 'calexico'"
        )
        assert p.case(family).step == "scheduled" and p.published("checked-in", family) == []


async def test_an_arrival_before_the_appointment_is_known_waits_for_it(processing):
    p = processing
    family = "f-behind"
    await p.send(registered(family))
    await p.send(arrived(family))
    await p.settled()
    assert p.published("checked-in", family) == []
    await p.send(scheduled(family))
    await p.next("checked-in", family)


async def test_only_the_attorney_of_record_reaches_a_family_in_processing(processing):
    p = processing
    family = "f-attorney"
    await p.send(registered(family, channel="attorney", organisation_id="legal-aid"))
    await p.send(scheduled(family))
    await p.send(
        RequestAttorneyAccess(
            request_id="r-1", family_unit_id=family, attorney_organisation_id="legal-aid"
        )
    )
    early = await p.next("attorney-access-decided", family)
    assert (early["granted"], early["reason"]) == (
        False,
        "the family is not in processing yet (it is scheduled)",
    )
    await p.send(arrived(family, at=NOW + 47 * HOUR))
    await p.next("checked-in", family)
    for request, organisation in (("r-2", "legal-aid"), ("r-3", "someone-else")):
        await p.send(
            RequestAttorneyAccess(
                request_id=request, family_unit_id=family, attorney_organisation_id=organisation
            )
        )
    await p.next("attorney-access-decided", family, count=3)
    decided = {d["request_id"]: d for d in p.published("attorney-access-decided", family)}
    assert decided["r-2"]["granted"] is True
    assert (decided["r-3"]["granted"], decided["r-3"]["reason"]) == (
        False,
        "not the family's attorney of record",
    )


async def test_bad_capacity_updates_are_refused_and_change_nothing(processing):
    p = processing
    await p.settled()
    before = len(p.published("shelter-updated"))
    await p.send(UpdateShelterCapacity(shelter_id="casa-alitas", beds=-1))
    await p.send(UpdateShelterCapacity(shelter_id="nowhere", beds=10))
    await p.next("command-rejected", count=2)
    errors = [r["errors"] for r in p.published("command-rejected")]
    assert errors == [
        [{"field": "beds", "message": "cannot be negative"}],
        [{"field": "shelter_id", "message": "unknown shelter"}],
    ]
    assert len(p.published("shelter-updated")) == before
    await p.send(UpdateShelterCapacity(shelter_id="casa-alitas", beds=7))
    updated = await p.next("shelter-updated", count=before + 1)
    assert (updated["shelter"]["id"], updated["shelter"]["beds_free"]) == ("casa-alitas", 7)


async def test_a_full_shelter_is_skipped_and_a_cancelled_appointment_gives_the_beds_back(
    processing,
):
    p = processing
    await p.send(UpdateShelterCapacity(shelter_id="jfs-san-diego", beds=2))
    await p.send(registered("f-three", person("a"), person("b"), person("c")))
    await p.send(scheduled("f-three"))
    assigned = await p.next("shelter-assigned", "f-three")
    assert (assigned["shelter_id"], assigned["people"]) == ("catholic-charities-san-diego", 3)
    await p.send(registered("f-two", person("d"), person("e")))
    await p.send(scheduled("f-two"))
    assert (await p.next("shelter-assigned", "f-two"))["shelter_id"] == "jfs-san-diego"
    await p.send(registered("f-one", person("f")))
    await p.send(scheduled("f-one"))
    assert (await p.next("shelter-assigned", "f-one"))["shelter_id"] == (
        "catholic-charities-san-diego"
    )
    await p.send(
        ScheduleCancelled(family_unit_id="f-two", appointment_id="f-two-appointment", reason="x")
    )
    await eventually(lambda: p.case("f-two").step == "registered")
    await p.settled()
    withdrawn = await p.next("shelter-assignment-withdrawn", "f-two")
    assert (withdrawn["shelter_id"], withdrawn["reason"]) == (
        "jfs-san-diego",
        "appointment cancelled",
    )
    assert p.published("shelter-assignment-withdrawn", "f-one") == []
    jfs = [
        u["shelter"]
        for u in p.published("shelter-updated")
        if u["shelter"]["id"] == "jfs-san-diego"
    ]
    assert jfs[-1]["beds_free"] == 2


async def test_a_capacity_cut_keeps_the_families_expected_and_stops_new_ones(processing):
    p = processing
    await p.send(registered("f-held", person("a"), person("b"), person("c")))
    await p.send(scheduled("f-held"))
    assert (await p.next("shelter-assigned", "f-held"))["shelter_id"] == "jfs-san-diego"
    await p.send(UpdateShelterCapacity(shelter_id="jfs-san-diego", beds=1))
    await eventually(lambda: p.published("shelter-updated")[-1]["shelter"]["beds"] == 1)
    assert p.published("shelter-updated")[-1]["shelter"]["beds_free"] == 0
    await p.send(registered("f-new", person("d")))
    await p.send(scheduled("f-new"))
    assert (await p.next("shelter-assigned", "f-new"))["shelter_id"] != "jfs-san-diego"
    await p.later(47 * HOUR)
    await p.send(arrived("f-held", at=p.clock.now()))
    await p.next("checked-in", "f-held")
    await p.send(CompleteProcessing(family_unit_id="f-held"))
    await p.send(ReleaseFamily(family_unit_id="f-held"))
    assert (await p.next("released", "f-held"))["shelter_id"] == "jfs-san-diego"


async def test_a_family_waits_for_beds_when_every_shelter_is_full(processing):
    p = processing
    await p.settled()
    ids = {u["shelter"]["id"] for u in p.published("shelter-updated")}
    for shelter_id in sorted(ids):
        await p.send(UpdateShelterCapacity(shelter_id=shelter_id, beds=0))
    await p.next("shelter-updated", count=2 * len(ids))
    family = "f-waits"
    await p.send(registered(family, person("a"), person("b")))
    await p.send(scheduled(family, site="laredo"))
    court = await p.next("court-assigned", family)
    assert court["destination"] == "Laredo (no shelter bed yet)"
    assert p.published("shelter-assigned", family) == []
    await p.send(UpdateShelterCapacity(shelter_id="interfaith-welcome-coalition", beds=2))
    await p.next("shelter-updated", count=2 * len(ids) + 1)
    await p.later(HOUR)
    assigned = await p.next("shelter-assigned", family)
    assert assigned["shelter_id"] == "interfaith-welcome-coalition"
    moved = await p.next("court-assigned", family, count=2)
    assert moved["court"] == "San Antonio Immigration Court"


async def test_a_moved_appointment_moves_the_expected_time_and_keeps_the_beds(processing):
    p = processing
    family = "f-later"
    await p.send(registered(family, person("a"), person("b")))
    await p.send(scheduled(family))
    first = await p.next("shelter-assigned", family)
    moved = scheduled(family, at=NOW + 96 * HOUR).model_dump(exclude={"appointment_id"})
    await p.send(Rescheduled(**moved, appointment_id="later", reason="no seat"))
    second = await p.next("shelter-assigned", family, count=2)
    assert second["shelter_id"] == first["shelter_id"] == "jfs-san-diego"
    assert (
        dt.datetime.fromisoformat(second["expected_at"])
        - dt.datetime.fromisoformat(first["expected_at"])
        == 48 * HOUR
    )
    await p.settled()
    jfs = [
        u["shelter"]
        for u in p.published("shelter-updated")
        if u["shelter"]["id"] == "jfs-san-diego"
    ]
    assert jfs[-1]["beds"] - jfs[-1]["beds_free"] == 2


async def test_a_member_added_after_scheduling_gets_documents_and_a_bed(processing):
    p = processing
    family = "f-grows"
    await p.send(registered(family, person("a")))
    await p.send(scheduled(family))
    await p.next("shelter-assigned", family)
    newborn = person("baby", in_mpp=False, a_number=None, case_category=None)
    await p.send(
        RegistrationUpdated(
            family_unit_id=family,
            current_location=Location(city="Tijuana", country="MX"),
            members=[person("a"), newborn],
            reason="member added",
        )
    )
    grown = await p.next("shelter-assigned", family, count=2)
    assert grown["people"] == 2
    documents = statuses(await p.next("documents-prepared", family, count=2))
    assert ("baby", "new notice to appear") in documents and ("baby", "parole") in documents


async def test_a_shelter_confirms_only_the_arrival_of_a_family_it_expects(processing):
    p = processing
    family = "f-arrives"
    await at_the_port(p, family)
    await p.later(3 * HOUR)
    await p.send(ConfirmShelterArrival(family_unit_id=family, shelter_id="jfs-san-diego"))
    early = await p.next("command-rejected", family)
    assert early["errors"] == [
        {"field": "family_unit_id", "message": "is checked-in, not released yet"}
    ]
    await p.send(CompleteProcessing(family_unit_id=family))
    await p.send(ReleaseFamily(family_unit_id=family))
    await p.next("released", family)
    await p.send(ConfirmShelterArrival(family_unit_id=family, shelter_id="casa-alitas"))
    wrong = await p.next("command-rejected", family, count=2)
    assert wrong["errors"] == [
        {"field": "shelter_id", "message": "the family is expected at 'jfs-san-diego'"}
    ]
    await p.send(ConfirmShelterArrival(family_unit_id=family, shelter_id="jfs-san-diego"))
    assert (await p.next("shelter-arrival-confirmed", family))["shelter_id"] == "jfs-san-diego"


async def test_a_family_inside_the_us_is_released_home_with_its_court_and_no_port(processing):
    p = processing
    family = "f-home"
    await p.send(
        registered(family, person("a", case_category="terminated"), city="Houston", country="US")
    )
    court = await p.next("court-assigned", family)
    assert (court["court"], court["destination"]) == (
        "Houston Immigration Court",
        "home in Houston",
    )
    prepared = statuses(await p.next("documents-prepared", family))
    assert set(prepared) == {
        ("a", "court transfer"),
        ("a", "new notice to appear"),
        ("a", "parole"),
    }
    await p.later(12 * HOUR)
    assert p.published("released", family) == []
    await p.later(12 * HOUR)
    processed = await p.next("processed", family)
    released = await p.next("released", family)
    assert processed["site"] == released["site"] == "inside-us"
    assert released["destination"] == "home in Houston" and released["onward_travel"] == []
    assert released["court"] == "Houston Immigration Court"
    assert p.published("shelter-assigned", family) == []


async def test_a_family_inside_the_us_in_an_unknown_city_waits_for_a_known_one(processing):
    p = processing
    family = "f-lost"
    await p.send(registered(family, city="Springfield", country="US"))
    await p.next("documents-prepared", family)
    await p.later(48 * HOUR)
    assert p.published("court-assigned", family) == [] and p.published("released", family) == []
    assert (
        statuses(p.published("documents-prepared", family)[-1])[(f"{family}-1", "court transfer")]
        == "pending"
    )


# The whole platform


async def test_a_family_already_in_the_us_goes_straight_to_court_transfer_and_release(platform):
    _, bus, graphql = platform
    answer = (
        await graphql(
            REGISTER,
            input={
                "channel": "HOTLINE",
                "currentLocation": {"city": "Chicago", "country": "US"},
                "members": [member("A223456789", caseCategory="DENIED")],
            },
        )
    )["registerFamily"]
    assert answer["status"] == "ACCEPTED"
    family = answer["familyUnitId"]
    await eventually(lambda: events_for(bus, family)["released"] == 1, timeout=20)
    seen = events_for(bus, family)
    assert seen["court-assigned"] == 1 and seen["processed"] == 1
    assert seen["scheduled"] == seen["transport-booked"] == seen["arrived-at-port"] == 0
    released = _released(bus, family)
    assert released["court"] == "Chicago Immigration Court"
    assert released["destination"] == "home in Chicago"


async def test_a_shelter_at_capacity_is_skipped_for_the_next_nearest(platform):
    built, bus, graphql = platform
    processing = next(s for s in built.services if s.name == "processing")
    full = UpdateShelterCapacity(shelter_id="jfs-san-diego", beds=0)
    processing.submit([full])

    def jfs_full() -> bool:
        updates = [
            Envelope.from_kafka(m.headers, m.value).data["shelter"]
            for m in bus.read(PROCESSING_EVENTS)
            if m.key == "jfs-san-diego" and m.headers["ce_type"].endswith("shelter-updated.v1")
        ]
        return updates[-1]["beds"] == 0

    await eventually(jfs_full)
    answer = (
        await graphql(
            REGISTER,
            input={
                "channel": "ONLINE",
                "currentLocation": {"city": "Tijuana", "country": "MX"},
                "members": [member("A323456789"), member("A323456780")],
            },
        )
    )["registerFamily"]
    family = answer["familyUnitId"]
    await eventually(lambda: events_for(bus, family)["released"] == 1, timeout=20)
    released = _released(bus, family)
    assert released["shelter_id"] == "catholic-charities-san-diego"
    assert released["destination"] == "Catholic Charities Diocese of San Diego"


def _released(bus: EmbeddedBus, family: str) -> dict[str, Any]:
    return next(
        Envelope.from_kafka(m.headers, m.value).data
        for m in bus.read(PROCESSING_EVENTS)
        if m.key == family and m.headers["ce_type"].endswith("released.v1")
    )
