"""Delivery semantics of the shared runtime: once-only effects, retries, dead letters,
an outbox that survives a crash, order per key."""

from __future__ import annotations

import asyncio
import contextlib
import json

import pytest
from puente_runtime import Context, EmbeddedBus, NotYet, Service, Settings
from puente_runtime.outbox import Relay, envelope_for, stage
from puente_schemas.commands import CompleteProcessing, RecordDeparture
from puente_schemas.events import CheckedIn
from sqlmodel import Field, Session, SQLModel, select

from tests.conftest import START
from tests.polling import eventually


class Mark(SQLModel, table=True):
    __tablename__ = "test_mark"
    id: int | None = Field(default=None, primary_key=True)
    family_unit_id: str


def departure(family: str) -> RecordDeparture:
    return RecordDeparture(family_unit_id=family, booking_id="b")


@pytest.fixture
async def world(tmp_path, clock):
    """A bus, a sender and a receiver whose handler the test decides."""
    settings = Settings(var_dir=tmp_path, retry_backoff_seconds=0.001)
    bus = EmbeddedBus(tmp_path / "bus.db", poll_seconds=0.02)
    behaviour = {"handle": lambda command, ctx: []}

    def handle(command: RecordDeparture, ctx: Context):
        ctx.session.add(Mark(family_unit_id=command.family_unit_id))
        return behaviour["handle"](command, ctx)

    receiver = Service(
        name="receiver",
        settings=settings,
        bus=bus,
        clock=clock,
        tables=[Mark],
        handlers={RecordDeparture: handle},
    )
    sender = Service(name="sender", settings=settings, bus=bus, clock=clock)
    await bus.start()
    for service in (receiver, sender):
        await service.start()

    def marks() -> list[str]:
        with Session(receiver.engine) as session:
            return [m.family_unit_id for m in session.exec(select(Mark).order_by(Mark.id))]

    yield bus, sender, behaviour, marks
    for service in (receiver, sender):
        await service.stop()
    await bus.stop()


async def test_a_redelivered_message_changes_nothing(world):
    bus, sender, _, marks = world
    (envelope,) = sender.submit([departure("f1")])
    await eventually(lambda: marks() == ["f1"])
    message = next(m for m in bus.read(RecordDeparture.TOPIC) if m.headers["ce_id"] == envelope.id)
    await bus.publish(message)
    sender.submit([departure("f2")])
    await eventually(lambda: marks() == ["f1", "f2"])


async def test_a_failing_handler_is_retried_and_its_effects_are_all_or_nothing(world):
    _, sender, behaviour, marks = world
    failures = iter([RuntimeError("flaky"), RuntimeError("flaky")])

    def flaky(command, ctx):
        error = next(failures, None)
        if error:
            raise error
        return []

    behaviour["handle"] = flaky
    sender.submit([departure("f1")])
    await eventually(lambda: marks() == ["f1"])


async def test_a_poison_message_is_dead_lettered_and_the_next_goes_on(world):
    bus, sender, behaviour, marks = world

    def poison(command, ctx):
        if command.family_unit_id == "bad":
            raise ValueError("booking b cannot depart twice")
        return []

    behaviour["handle"] = poison
    sender.submit([departure("bad")])
    sender.submit([departure("good")])
    await eventually(lambda: marks() == ["good"])
    (dead,) = bus.read(f"{RecordDeparture.TOPIC}.dlq")
    assert dead.headers["puente_dlq_reason"] == (
        "failed after 3 attempts: ValueError: booking b cannot depart twice"
    )
    assert dead.headers["puente_dlq_topic"] == RecordDeparture.TOPIC
    assert dead.headers["puente_dlq_consumer"] == "puente.receiver"
    original = bus.read(RecordDeparture.TOPIC)[0]
    assert dead.headers["puente_dlq_offset"] == str(original.offset)
    assert dead.value == original.value


async def test_a_malformed_message_is_dead_lettered_with_the_reason(world):
    bus, sender, _, marks = world
    good = bus.read(RecordDeparture.TOPIC)  # nothing yet
    assert good == []
    sender.submit([departure("first")])
    await eventually(lambda: marks() == ["first"])
    broken = dict(bus.read(RecordDeparture.TOPIC)[0].headers, ce_id="other")
    from puente_runtime import Message

    await bus.publish(Message(RecordDeparture.TOPIC, "k", b'{"family_unit_id": 7}', broken))
    await bus.publish(Message(RecordDeparture.TOPIC, "k", b"not json at all", broken))
    sender.submit([departure("after")])
    await eventually(lambda: marks() == ["first", "after"])
    reasons = [m.headers["puente_dlq_reason"] for m in bus.read(f"{RecordDeparture.TOPIC}.dlq")]
    assert reasons[0].startswith("malformed: invalid RecordDeparture: family_unit_id:")
    assert "booking_id: Field required" in reasons[0]
    assert reasons[1].startswith("malformed: body is not JSON")


@contextlib.asynccontextmanager
async def waiting_for_causes(tmp_path, clock, **settings):
    """A receiver whose departures of family f1 wait for f1's cause, which travels on another
    topic (CompleteProcessing); a sender; and the marks the receiver wrote, in order."""
    settings = Settings(var_dir=tmp_path, retry_backoff_seconds=0.001, **settings)
    bus = EmbeddedBus(tmp_path / "bus.db", poll_seconds=0.02)

    def depart(command: RecordDeparture, ctx: Context):
        causes = select(Mark).where(Mark.family_unit_id == f"cause:{command.family_unit_id}")
        if command.family_unit_id == "f1" and ctx.session.exec(causes).first() is None:
            raise NotYet("family f1 not known here yet")
        ctx.session.add(Mark(family_unit_id=f"{command.family_unit_id}:{command.booking_id}"))
        return []

    def cause(command: CompleteProcessing, ctx: Context):
        ctx.session.add(Mark(family_unit_id=f"cause:{command.family_unit_id}"))
        return []

    receiver = Service(
        name="receiver",
        settings=settings,
        bus=bus,
        clock=clock,
        tables=[Mark],
        handlers={RecordDeparture: depart, CompleteProcessing: cause},
    )
    sender = Service(name="sender", settings=settings, bus=bus, clock=clock)
    await bus.start()
    for service in (receiver, sender):
        await service.start()

    def marks() -> list[str]:
        with Session(receiver.engine) as session:
            return [m.family_unit_id for m in session.exec(select(Mark).order_by(Mark.id))]

    try:
        yield bus, sender, marks
    finally:
        for service in (receiver, sender):
            await service.stop()
        await bus.stop()


async def test_a_message_before_its_cause_waits_without_holding_up_others(tmp_path, clock):
    """The cause travels on another topic; meanwhile other families and the effect's own
    family on other topics go on, and the effect's followers on its topic keep their order."""
    async with waiting_for_causes(tmp_path, clock) as (bus, sender, marks):
        sender.submit(
            [
                RecordDeparture(family_unit_id="f1", booking_id="first"),
                RecordDeparture(family_unit_id="f1", booking_id="second"),
                RecordDeparture(family_unit_id="f2", booking_id="other"),
            ]
        )
        await eventually(lambda: marks() == ["f2:other"])
        sender.submit([CompleteProcessing(family_unit_id="f1")])
        await eventually(lambda: marks() == ["f2:other", "cause:f1", "f1:first", "f1:second"])
        assert bus.read(f"{RecordDeparture.TOPIC}.dlq") == []


async def test_the_outbox_publishes_after_a_crash_exactly_once(tmp_path, clock):
    """Rows committed but never published (the process died) go out on restart, once."""
    settings = Settings(var_dir=tmp_path)
    bus = EmbeddedBus(tmp_path / "bus.db")
    crashed = Service(name="scheduling", settings=settings, bus=bus, clock=clock)
    with Session(crashed.engine) as session:
        commands = [departure("f1"), departure("f2"), departure("f1")]
        stage(
            session,
            [(envelope_for(c, source="t", clock=clock), c.TOPIC) for c in commands],
            clock=clock,
        )
        session.commit()
    assert bus.read(RecordDeparture.TOPIC) == []
    restarted = Relay(engine=crashed.engine, bus=bus, clock=clock)
    assert await restarted.publish_pending() == 3
    assert await restarted.publish_pending() == 0
    published = bus.read(RecordDeparture.TOPIC)
    assert [m.key for m in published] == ["f1", "f2", "f1"]
    assert len({m.headers["ce_id"] for m in published}) == 3


async def test_events_keep_their_cause(tmp_path, clock):
    cause = envelope_for(departure("f1"), source="gateway", clock=clock, correlation_id="c-1")
    effect = envelope_for(
        CheckedIn(family_unit_id="f1", site="hidalgo", checked_in_at=START),
        source="processing",
        clock=clock,
        cause=cause,
    )
    assert (effect.correlation_id, effect.causation_id, effect.subject) == ("c-1", cause.id, "f1")
    assert json.loads(effect.body())["site"] == "hidalgo"


async def test_a_message_whose_cause_never_comes_is_dead_lettered_after_waiting(tmp_path, clock):
    settings = Settings(var_dir=tmp_path, retry_backoff_seconds=0.001, wait_for_cause_seconds=0.2)
    bus = EmbeddedBus(tmp_path / "bus.db", poll_seconds=0.02)

    def handle(command: RecordDeparture, ctx: Context):
        if command.family_unit_id == "orphan":
            raise NotYet("no booking yet for family unit orphan")
        ctx.session.add(Mark(family_unit_id=command.family_unit_id))
        return []

    receiver = Service(
        name="receiver",
        settings=settings,
        bus=bus,
        clock=clock,
        tables=[Mark],
        handlers={RecordDeparture: handle},
    )
    await bus.start()
    await receiver.start()
    receiver.submit([departure("orphan"), departure("next")])
    try:
        await eventually(lambda: bus.read(f"{RecordDeparture.TOPIC}.dlq") != [])
        (dead,) = bus.read(f"{RecordDeparture.TOPIC}.dlq")
        assert dead.headers["puente_dlq_reason"] == (
            "gave up waiting: no booking yet for family unit orphan"
        )
        with Session(receiver.engine) as session:
            await eventually(lambda: session.exec(select(Mark)).first() is not None)
    finally:
        await receiver.stop()
        await bus.stop()


async def test_a_message_waits_for_its_cause_while_a_backlog_is_worked_through(tmp_path, clock):
    """After an outage one topic may be read far ahead of another: the effect waits longer
    than the patience while the consumer keeps applying other messages, and its cause, late
    in the backlog, still finds it (nothing dead-lettered)."""
    async with waiting_for_causes(tmp_path, clock, wait_for_cause_seconds=0.2) as (
        bus,
        sender,
        marks,
    ):
        sender.submit([departure("f1")])
        for n in range(40):  # 1 s of other families' messages: five times the patience
            sender.submit([departure(f"other-{n}")])
            await asyncio.sleep(0.025)
        await eventually(lambda: "other-39:b" in marks())
        sender.submit([CompleteProcessing(family_unit_id="f1")])
        await eventually(lambda: "f1:b" in marks())
        assert bus.read(f"{RecordDeparture.TOPIC}.dlq") == []
