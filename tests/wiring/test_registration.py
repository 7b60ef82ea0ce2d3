"""Registration wired: commands through its consumer, the call-back loop on its clock, tables
and outbox in SQLite; then the whole embedded platform for a missed call-back and an expedite.

The service-level tests run registration alone on a FakeClock (Saturday 28 November 2026,
12:00 UTC = 06:00 in Mexico City, before the hotline opens at 08:00).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass

import httpx
import pytest
from puente_platform import create_platform
from puente_platform.settings import PlatformSettings
from puente_registration import create_app
from puente_registration.tables import CallbackRow, ExpediteRow, FamilyRow, PersonRow
from puente_runtime import AcceleratedClock, EmbeddedBus, FakeClock, Service, Settings
from puente_runtime.storage import InboxRow, OutboxRow
from puente_schemas import CONTRACTS, Envelope
from puente_schemas.commands import (
    AddFamilyMember,
    Command,
    DecideExpedite,
    RecordCallback,
    RegisterFamily,
    RequestExpedite,
    UpdateLocation,
)
from puente_schemas.common import Channel, PartnerKind
from puente_schemas.events import (
    CallbackBooked,
    CallbackMissed,
    CallbackRecorded,
    DuplicateFlagged,
    Event,
    ExpediteAwaitingSecondApproval,
    ExpediteDecided,
    ExpediteRequested,
    Registered,
    RegistrationCommandRejected,
    RegistrationRejected,
    RegistrationUpdated,
    Released,
)
from puente_schemas.topics import REGISTRATION_EVENTS
from sqlmodel import Session, SQLModel, select

from tests.conftest import START, adult, child, family
from tests.polling import eventually
from tests.wiring.support import REGISTER, member

UTC = dt.UTC
SHELTER, LEGAL = "shelter-tijuana", "legal-aid-san-diego"


@dataclass
class Registration:
    """The registration service alone, and what a test needs to talk to it."""

    service: Service
    clock: FakeClock

    async def send(self, command: Command) -> list[Event]:
        """Send a command through the bus; the events it caused, once it has been applied."""
        (envelope,) = self.service.submit([command])
        await eventually(lambda: self._applied(envelope.id))
        return [event for cause, event in self._events() if cause == envelope.id]

    def events(self, kind: type[Event] | None = None) -> list[Event]:
        return [e for _, e in self._events() if kind is None or isinstance(e, kind)]

    def rows(self, table: type[SQLModel]) -> list[SQLModel]:
        with Session(self.service.engine) as session:
            return list(session.exec(select(table)).all())

    def _applied(self, event_id: str) -> bool:
        with Session(self.service.engine) as session:
            return bool(session.exec(select(InboxRow).where(InboxRow.event_id == event_id)).all())

    def _events(self) -> list[tuple[str | None, Event]]:
        with Session(self.service.engine) as session:
            query = select(OutboxRow).where(OutboxRow.topic == REGISTRATION_EVENTS)
            rows = session.exec(query.order_by(OutboxRow.id)).all()
        envelopes = [Envelope.from_kafka(json.loads(r.headers), r.body) for r in rows]
        return [(e.causation_id, CONTRACTS[e.type].model_validate(e.data)) for e in envelopes]


@pytest.fixture
async def registration(tmp_path, clock):
    settings = Settings(var_dir=tmp_path, relay_poll_seconds=0.02)
    bus = EmbeddedBus(tmp_path / "bus.db", poll_seconds=0.02)
    service = create_app(settings=settings, bus=bus, clock=clock)
    await bus.start()
    await service.start()
    yield Registration(service, clock)
    await service.stop()
    await bus.stop()


def hotline(family_unit_id: str, a_number: str, given_name: str = "Ana") -> RegisterFamily:
    command = family(family_unit_id, adult(a_number, given_name=given_name))
    return command.model_copy(update={"channel": Channel.HOTLINE})


def at(hour: int, minute: int = 0) -> dt.datetime:
    """A time on Saturday 28 November 2026, UTC (Mexico City is 6 hours behind)."""
    return dt.datetime(2026, 11, 28, hour, minute, tzinfo=UTC)


def record(callback: CallbackBooked, outcome: str, operator: str | None = None) -> RecordCallback:
    return RecordCallback(
        family_unit_id=callback.family_unit_id,
        callback_id=callback.callback_id,
        operator=operator or callback.operator,
        outcome=outcome,
    )


# Registration ------------------------------------------------------------------------------


async def test_a_registration_carries_consent_organisation_code_and_legal_actions(registration):
    command = family(
        "f1",
        adult("A123456789", case_category="in_absentia", language="mam", needs_interpreter=True),
        child(),
    ).model_copy(
        update={
            "channel": Channel.ATTORNEY,
            "organisation_id": LEGAL,
            "registration_code_hash": "0" * 64,
            "consent": [PartnerKind.LEGAL_PROVIDER, PartnerKind.SHELTER],
        }
    )
    (registered,) = await registration.send(command)
    assert isinstance(registered, Registered)
    assert registered.organisation_id == LEGAL
    assert registered.registration_code_hash == "0" * 64
    assert registered.consent == [PartnerKind.LEGAL_PROVIDER, PartnerKind.SHELTER]
    assert registered.consent_recorded_at == START
    adult_member, relative = registered.members
    assert adult_member.legal_action.startswith("DOJ rescinds the in absentia order")
    assert (adult_member.language, adult_member.needs_interpreter) == ("mam", True)
    assert relative.in_mpp is False and relative.legal_action is None
    (row,) = registration.rows(FamilyRow)
    assert row.attorney_organisation_id == LEGAL
    assert (row.consent, row.consent_channel) == (["legal_provider", "shelter"], "attorney")


async def test_a_bad_registration_is_rejected_and_nothing_is_written(registration):
    command = family("f1", adult("A123456789", language="zzz")).model_copy(
        update={"channel": Channel.IN_PERSON}
    )
    (rejected,) = await registration.send(command)
    assert isinstance(rejected, RegistrationRejected)
    assert {e.field for e in rejected.errors} == {"organisation_id", "members[0].language"}
    assert registration.rows(FamilyRow) == registration.rows(PersonRow) == []
    assert registration.events() == [rejected]


async def test_an_a_number_already_registered_is_rejected_with_the_existing_family(registration):
    await registration.send(family("first", adult("A123456789")))
    (rejected,) = await registration.send(
        family("second", child(), adult("A123456789", given_name="Rosa"))
    )
    assert isinstance(rejected, RegistrationRejected)
    assert [(e.field, e.message) for e in rejected.errors] == [
        ("members[1].a_number", "is already registered")
    ]
    assert rejected.existing_family_unit_id == "first"
    assert {row.family_unit_id for row in registration.rows(PersonRow)} == {"first"}


async def test_a_likely_duplicate_is_registered_and_flagged_never_merged(registration):
    await registration.send(
        family("first", adult("A123456789", given_name="José", family_name="Pérez García"))
    )
    events = await registration.send(
        family("second", adult("A987654321", given_name="PEREZ jose", family_name=""), child())
    )
    registered, flagged = events
    assert isinstance(registered, Registered) and isinstance(flagged, DuplicateFlagged)
    assert flagged.member_id == registered.members[0].member_id
    assert flagged.candidate_family_unit_ids == ["first"]
    assert {row.id for row in registration.rows(FamilyRow)} == {"first", "second"}

    relative = child(given_name="Luís", family_name="López")  # the child of "second"
    updated, flagged_again = await registration.send(
        AddFamilyMember(family_unit_id="first", member=relative)
    )
    assert isinstance(updated, RegistrationUpdated) and len(updated.members) == 2
    assert flagged_again.candidate_family_unit_ids == ["second"]


# Members and location ----------------------------------------------------------------------


async def test_a_member_added_later_is_validated_and_the_whole_family_published(registration):
    await registration.send(family("f1", adult("A123456789")))
    newborn = child(given_name="Sofía", birth_date=dt.date(2026, 1, 5), language="kek")
    (updated,) = await registration.send(AddFamilyMember(family_unit_id="f1", member=newborn))
    assert isinstance(updated, RegistrationUpdated) and updated.reason == "member added"
    assert [m.given_name for m in updated.members] == ["Ana", "Sofía"]

    (again,) = await registration.send(AddFamilyMember(family_unit_id="f1", member=newborn))
    assert isinstance(again, RegistrationCommandRejected)
    assert [e.field for e in again.errors] == ["member"]
    taken = adult("A123456789", given_name="Rosa", case_category=None)
    (bad,) = await registration.send(AddFamilyMember(family_unit_id="f1", member=taken))
    assert {(e.field, e.message) for e in bad.errors} == {
        ("member.a_number", "is already registered"),
        ("member.case_category", "is required for a member in MPP"),
    }
    (unknown,) = await registration.send(AddFamilyMember(family_unit_id="nope", member=newborn))
    assert [(e.field, e.message) for e in unknown.errors] == [
        ("family_unit_id", "unknown family unit")
    ]
    assert len(registration.rows(PersonRow)) == 2


async def test_a_family_that_moves_into_the_us_is_updated(registration):
    await registration.send(family("f1", adult("A123456789")))
    moved = UpdateLocation(
        family_unit_id="f1", current_location={"city": "Houston", "country": "US"}
    )
    (updated,) = await registration.send(moved)
    assert isinstance(updated, RegistrationUpdated) and updated.reason == "location updated"
    assert updated.current_location.inside_us
    assert [m.a_number for m in updated.members] == ["A123456789"]

    nowhere = UpdateLocation(family_unit_id="f1", current_location={"city": "Ur", "country": "MX"})
    (rejected,) = await registration.send(nowhere)
    assert [e.field for e in rejected.errors] == ["current_location.city"]
    (row,) = registration.rows(FamilyRow)
    assert (row.city, row.country) == ("Houston", "US")


# Call-backs --------------------------------------------------------------------------------


async def test_a_missed_call_back_is_rebooked_ahead_of_newer_ones(registration):
    first_family = await registration.send(hotline("f1", "A111111111"))
    first = first_family[-1]
    assert isinstance(first, CallbackBooked)
    assert (first.due_at, first.operator) == (at(14, 15), "operator-01")  # 08:15 in Mexico

    registration.clock.current = at(14, 5)
    newer = (await registration.send(hotline("f2", "A222222222", "Marta")))[-1]
    assert newer.due_at == at(15, 15)  # the next slot, after the call kept for rebookings

    registration.clock.current = at(14, 31)  # 08:15 + 15 minutes of grace have passed
    await eventually(lambda: registration.events(CallbackMissed))
    (missed,) = registration.events(CallbackMissed)
    assert (missed.callback_id, missed.due_at, missed.operator) == (
        first.callback_id,
        at(14, 15),
        "operator-01",
    )
    rebooked = registration.events(CallbackBooked)[-1]
    assert rebooked.rebooked_from == first.callback_id
    assert rebooked.family_unit_id == "f1"
    assert rebooked.due_at == at(15, 0) < newer.due_at

    (late,) = await registration.send(record(first, "reached"))
    assert isinstance(late, RegistrationCommandRejected)
    assert [e.field for e in late.errors] == ["callback_id"]
    (made,) = await registration.send(record(rebooked, "reached", operator="operator-03"))
    assert isinstance(made, CallbackRecorded)
    assert (made.operator, made.outcome, made.made_at) == ("operator-03", "reached", at(14, 31))


async def test_an_unanswered_call_back_is_tried_again_and_bad_records_change_nothing(
    registration,
):
    booked = (await registration.send(hotline("f1", "A111111111")))[-1]
    (bad,) = await registration.send(record(booked, "perhaps", operator="intruder"))
    assert {e.field for e in bad.errors} == {"operator", "outcome"}
    (row,) = registration.rows(CallbackRow)
    assert row.status == "booked"

    registration.clock.current = at(14, 16)  # called at 08:15 in Mexico: nobody answered
    recorded, again = await registration.send(record(booked, "no_answer"))
    assert isinstance(recorded, CallbackRecorded) and isinstance(again, CallbackBooked)
    assert again.rebooked_from == booked.callback_id
    assert again.due_at == at(15, 0)  # the call kept for rebookings in the next slot


async def test_nobody_is_called_back_after_release(registration):
    await registration.send(hotline("f1", "A111111111"))
    released = Released(
        family_unit_id="f1", site="san-ysidro", released_at=START, destination="San Diego"
    )
    registration.service.submit([released])
    await eventually(lambda: registration.rows(CallbackRow)[0].status == "cancelled")
    registration.clock.current = at(20)
    (rejected,) = await registration.send(
        AddFamilyMember(family_unit_id="f1", member=child(given_name="Eva"))
    )
    assert [e.message for e in rejected.errors] == ["was released: its registration is closed"]
    assert registration.events(CallbackMissed) == []


async def test_only_hotline_registrations_get_a_call_back(registration):
    assert [type(e) for e in await registration.send(family("f1", adult("A123456789")))] == [
        Registered
    ]
    assert registration.rows(CallbackRow) == []


# Expedites ---------------------------------------------------------------------------------


def expedite(**changes: object) -> RequestExpedite:
    values: dict[str, object] = {
        "request_id": "r1",
        "family_unit_id": "f1",
        "criterion": "safety-threat",
        "note": "threatened by the people who kidnapped the father",
        "organisation_id": SHELTER,
    }
    return RequestExpedite(**(values | changes))


def decide(organisation: str, *, granted: bool = True, reason: str = "verified") -> DecideExpedite:
    return DecideExpedite(
        family_unit_id="f1",
        request_id="r1",
        granted=granted,
        reason=reason,
        organisation_id=organisation,
    )


async def test_an_own_grant_waits_for_a_second_organisation(registration):
    await registration.send(family("f1", adult("A123456789")))
    (requested,) = await registration.send(expedite())
    assert isinstance(requested, ExpediteRequested)
    assert (requested.requested_by, requested.requested_at) == (SHELTER, START)

    (waiting,) = await registration.send(decide(SHELTER, reason="seen the police report"))
    assert waiting == ExpediteAwaitingSecondApproval(
        request_id="r1", family_unit_id="f1", approved_by=SHELTER
    )
    (twice,) = await registration.send(decide(SHELTER))
    assert [e.field for e in twice.errors] == ["organisation_id"]

    (granted,) = await registration.send(decide(LEGAL, reason="client file confirms it"))
    assert isinstance(granted, ExpediteDecided)
    assert (granted.granted, granted.decided_by, granted.criterion) == (
        True,
        [SHELTER, LEGAL],
        "safety-threat",
    )
    assert granted.reason == "seen the police report; client file confirms it"
    assert (granted.request_id, granted.decided_at) == ("r1", START)

    (again,) = await registration.send(decide("unhcr-mx", granted=False))
    assert [(e.field, e.message) for e in again.errors] == [
        ("request_id", "is already decided (granted)")
    ]
    (another,) = await registration.send(expedite(request_id="r2"))
    assert [e.message for e in another.errors] == ["already has a granted expedite"]


async def test_a_denial_is_final_and_bad_requests_change_nothing(registration):
    await registration.send(family("f1", adult("A123456789")))
    (bad,) = await registration.send(expedite(criterion="rich", note=" "))
    assert {e.field for e in bad.errors} == {"criterion", "note"}
    assert registration.rows(ExpediteRow) == []

    await registration.send(expedite())
    (denied,) = await registration.send(decide(LEGAL, granted=False, reason="no evidence"))
    assert isinstance(denied, ExpediteDecided)
    assert (denied.granted, denied.decided_by, denied.reason) == (False, [LEGAL], "no evidence")
    (unknown,) = await registration.send(decide(LEGAL).model_copy(update={"request_id": "r9"}))
    assert [(e.field, e.message) for e in unknown.errors] == [
        ("request_id", "unknown expedite request")
    ]


# The whole platform ------------------------------------------------------------------------


@pytest.fixture
async def quiet_platform(tmp_path):
    """The embedded platform without the field simulator, so families stay registered (a
    released family's registration is closed) while the clock runs 100,000 times faster."""
    settings = PlatformSettings(var_dir=tmp_path, simulator=False, relay_poll_seconds=0.05)
    bus = EmbeddedBus(tmp_path / "bus.db", poll_seconds=0.02)
    clock = AcceleratedClock(speed=100_000, epoch=time.time())
    built = create_platform(settings=settings, bus=bus, clock=clock)
    await bus.start()
    for service in built.all_services:
        await service.start()
    token = (tmp_path / "admin.token").read_text().strip()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=built.gateway.asgi),
        base_url="http://puente",
        headers={"authorization": f"Bearer {token}"},
    ) as client:
        yield built, bus, client
    for service in built.all_services:
        await service.stop()
    await bus.stop()


def registration_events(bus: EmbeddedBus, family_unit_id: str) -> list[Event]:
    envelopes = [
        Envelope.from_kafka(m.headers, m.value)
        for m in bus.read(REGISTRATION_EVENTS)
        if m.key == family_unit_id
    ]
    return [CONTRACTS[e.type].model_validate(e.data) for e in envelopes]


async def test_a_hotline_call_back_missed_on_the_platform_is_rebooked_and_an_expedite_granted(
    quiet_platform,
):
    built, bus, client = quiet_platform
    answer = await client.post(
        "/graphql",
        json={
            "query": REGISTER,
            "variables": {
                "input": {
                    "channel": "HOTLINE",
                    "currentLocation": {"city": "Tijuana", "country": "MX"},
                    "members": [member("A246813579")],
                }
            },
        },
    )
    result = answer.json()["data"]["registerFamily"]
    assert result["status"] == "ACCEPTED", result
    family_unit_id = result["familyUnitId"]

    def missed_and_rebooked():
        events = registration_events(bus, family_unit_id)
        missed = [e for e in events if isinstance(e, CallbackMissed)]
        rebooked = [e for e in events if isinstance(e, CallbackBooked) and e.rebooked_from]
        return missed and rebooked and (missed[0], rebooked[0])

    missed, rebooked = await eventually(missed_and_rebooked, timeout=20)
    first = next(
        e for e in registration_events(bus, family_unit_id) if isinstance(e, CallbackBooked)
    )
    assert missed.callback_id == first.callback_id == rebooked.rebooked_from
    assert rebooked.due_at > missed.due_at
    assert rebooked.due_at.minute == 0  # the call kept for rebookings, ahead of new ones

    gateway = built.gateway.service
    gateway.submit([expedite(family_unit_id=family_unit_id)])
    gateway.submit([decide(SHELTER).model_copy(update={"family_unit_id": family_unit_id})])

    def awaiting():
        events = registration_events(bus, family_unit_id)
        return any(isinstance(e, ExpediteAwaitingSecondApproval) for e in events)

    await eventually(awaiting, timeout=20)
    gateway.submit([decide(LEGAL).model_copy(update={"family_unit_id": family_unit_id})])

    def decided():
        events = registration_events(bus, family_unit_id)
        return next((e for e in events if isinstance(e, ExpediteDecided)), None)

    granted = await eventually(decided, timeout=20)
    assert (granted.granted, granted.decided_by) == (True, [SHELTER, LEGAL])
