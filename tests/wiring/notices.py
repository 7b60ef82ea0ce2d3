"""Notifications alone on the embedded bus with a fake clock, restartable: what the notices
tests send and read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from puente_notifications import create_app
from puente_notifications.app import timed_work
from puente_runtime import EmbeddedBus, FakeClock, Service, Settings
from puente_runtime.messages import to_message
from puente_runtime.outbox import envelope_for
from puente_schemas import Envelope
from puente_schemas.commands import Command
from puente_schemas.common import Contact, PartnerKind
from puente_schemas.events import Event, OrganisationRegistered
from puente_schemas.topics import NOTIFICATIONS_EVENTS

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


def organisation(
    organisation_id: str, *languages: str, shelter_id: str | None = None, emails: int = 1
) -> OrganisationRegistered:
    contacts = [
        Contact(
            name=f"Contact {n}",
            email=f"contact{n}@{organisation_id}.example.org",
            languages=list(languages[n % len(languages) :]) if languages else [],
        )
        for n in range(emails)
    ]
    return OrganisationRegistered(
        organisation_id=organisation_id,
        name=organisation_id.title(),
        kind=PartnerKind.SHELTER if shelter_id else PartnerKind.LEGAL_PROVIDER,
        languages=list(languages),
        contacts=contacts,
        shelter_id=shelter_id,
    )


class Notifications:
    def __init__(self, tmp_path: Path, **settings: Any) -> None:
        self.clock = FakeClock(NOW)
        self.path = tmp_path
        self.bus = EmbeddedBus(tmp_path / "bus.db", poll_seconds=0.02)
        self.settings = Settings(var_dir=tmp_path, relay_poll_seconds=0.02, **settings)
        self.service: Service | None = None

    async def start(self) -> None:
        """Start (or start again, on the same files, after `stop`)."""
        self.bus = EmbeddedBus(self.path / "bus.db", poll_seconds=0.02)
        self.service = create_app(settings=self.settings, bus=self.bus, clock=self.clock)
        await self.bus.start()
        await self.service.start()

    async def stop(self) -> None:
        assert self.service is not None
        await self.service.stop()
        await self.bus.stop()

    def at(self, moment: dt.datetime) -> list[str]:
        """Move the clock to `moment` and do the clock-driven work due then (as the service's
        loop does each minute), so a test knows it ran; the kinds of the events it staged."""
        assert self.service is not None
        self.clock.current = moment
        staged = [e for work in timed_work(self.settings) for e in self.service.run_now(work)]
        return [e.type.split(".")[-2] for e in staged]

    async def send(self, message: Command | Event) -> None:
        envelope = envelope_for(message, source="test", clock=self.clock)
        await self.bus.publish(to_message(envelope, message.TOPIC, {}))

    def published(self, kind: str | None = None) -> list[Envelope]:
        envelopes = [
            Envelope.from_kafka(m.headers, m.value) for m in self.bus.read(NOTIFICATIONS_EVENTS)
        ]
        return [e for e in envelopes if kind is None or e.type.endswith(f".{kind}.v1")]

    def kinds(self) -> list[str]:
        return [e.type.split(".")[-2] for e in self.published()]
