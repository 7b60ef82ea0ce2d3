"""The simulator as its own service on an embedded bus and a fake clock, in a temporary
directory: tests publish the events it plays and read the commands it sends."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from puente_runtime import EmbeddedBus, FakeClock, Service
from puente_runtime.messages import to_message
from puente_runtime.outbox import envelope_for
from puente_schemas import Envelope, Event
from puente_simulator import create_app
from puente_simulator.settings import SimulatorSettings
from puente_simulator.tables import FieldAction
from sqlmodel import Session, col, select

T0 = dt.datetime(2021, 2, 19, 8, 0, tzinfo=dt.UTC)
TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


class Field:
    def __init__(self, tmp_path: Path, **settings: Any) -> None:
        self.bus = EmbeddedBus(tmp_path / "bus.db", poll_seconds=0.02)
        self.clock = FakeClock(T0)
        self.settings = SimulatorSettings(var_dir=tmp_path, relay_poll_seconds=0.05, **settings)
        self.service: Service = create_app(settings=self.settings, bus=self.bus, clock=self.clock)

    async def start(self) -> None:
        await self.bus.start()
        await self.service.start()

    async def stop(self) -> None:
        await self.service.stop()
        await self.bus.stop()

    async def publish(self, event: Event, *, correlation_id: str | None = None) -> Envelope:
        envelope = envelope_for(
            event, source="test", clock=self.clock, correlation_id=correlation_id
        )
        await self.bus.publish(to_message(envelope, event.TOPIC, {"traceparent": TRACEPARENT}))
        return envelope

    def sent(self, topic: str) -> list[Envelope]:
        return [Envelope.from_kafka(m.headers, m.value) for m in self.bus.read(topic)]

    def pending(self) -> int:
        """Field actions still to come."""
        with Session(self.service.engine) as session:
            query = select(FieldAction).where(col(FieldAction.done).is_(False))
            return len(session.exec(query).all())


@pytest.fixture
async def make_field(tmp_path: Path) -> AsyncIterator[Callable[..., Field]]:
    made: list[Field] = []

    def make(**settings: Any) -> Field:
        made.append(Field(tmp_path, **settings))
        return made[-1]

    yield make
    for field in made:
        await field.stop()
