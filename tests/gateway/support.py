"""A started gateway on an embedded bus in a temporary directory, and helpers."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from puente_gateway import Gateway, create_app
from puente_gateway.access import ANONYMOUS, Principal
from puente_gateway.auth import authenticate, issue_token
from puente_gateway.organisations import create_organisation
from puente_gateway.roles import Role
from puente_gateway.schema import schema
from puente_gateway.tables import TimelineEntry
from puente_runtime import EmbeddedBus, FakeClock, Message, Settings
from puente_runtime.messages import to_message
from puente_runtime.outbox import OutboxRow, envelope_for
from puente_schemas import Envelope, Event
from puente_schemas.common import Location, Member, PartnerKind, SeatStatus
from puente_schemas.events import (
    QueuePlace,
    Registered,
    Scheduled,
    Shelter,
    ShelterAssigned,
    ShelterUpdated,
    Site,
    SiteUpdated,
    TransportBooked,
    Waitlisted,
)
from puente_schemas.places import SITE_PLACES
from puente_schemas.topics import SERVICES, commands_topic
from sqlmodel import Session, col, select
from strawberry.types import ExecutionResult

from tests.polling import eventually

T0 = dt.datetime(2021, 2, 19, 8, 0, tzinfo=dt.UTC)
TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
EVERY_SITE = frozenset(SITE_PLACES)
COMMAND_TOPICS = frozenset(commands_topic(service) for service in SERVICES)


class Harness:
    def __init__(self, tmp_path: Path, **settings: Any) -> None:
        self.bus = EmbeddedBus(tmp_path / "bus.db", poll_seconds=0.02)
        self.clock = FakeClock(T0)
        defaults: dict[str, Any] = {"relay_poll_seconds": 0.05, "outcome_timeout_seconds": 2.0}
        self.settings = Settings(var_dir=tmp_path, **(defaults | settings))
        self.gateway: Gateway = create_app(settings=self.settings, bus=self.bus, clock=self.clock)
        self.admin_token = (tmp_path / "admin.token").read_text().strip()

    @property
    def context(self) -> dict[str, Any]:
        """An officer of an agency (DHS) who registers, and processes at every site: sees
        every record."""
        return self.context_for(
            Role.REGISTRAR, Role.PORT_OFFICER, kind=PartnerKind.DHS, sites=EVERY_SITE
        )

    def context_for(
        self,
        *roles: Role,
        kind: PartnerKind | None = None,
        organisation_id: str | None = None,
        shelter_id: str | None = None,
        sites: Iterable[str] = (),
        routes: Iterable[str] = (),
    ) -> dict[str, Any]:
        return {
            "gateway": self.gateway,
            "principal": principal(
                *roles,
                kind=kind,
                organisation_id=organisation_id,
                shelter_id=shelter_id,
                sites=sites,
                routes=routes,
            ),
        }

    @property
    def admin_organisation(self) -> str:
        """The admin token's organisation (it registers too: it follows what it registered)."""
        admin = authenticate(self.gateway.service.engine, f"Bearer {self.admin_token}")
        assert admin is not None and admin.organisation_id is not None
        return admin.organisation_id

    @property
    def anonymous(self) -> dict[str, Any]:
        return {"gateway": self.gateway, "principal": ANONYMOUS}

    def token(
        self,
        *roles: Role,
        kind: PartnerKind = PartnerKind.DHS,
        shelter_id: str | None = None,
        sites: Iterable[str] = (),
        routes: Iterable[str] = (),
    ) -> tuple[str, str]:
        """A real token for a new organisation of `kind` (running `shelter_id`; a port
        officer at `sites`; a transport operator on `routes`): (token, organisation id)."""
        engine = self.gateway.service.engine
        organisation = create_organisation(
            engine, name=f"{kind} test", kind=kind, now=T0, shelter_id=shelter_id
        )
        token, _ = issue_token(
            engine,
            organisation_id=organisation.id,
            roles=roles,
            name="test",
            now=T0,
            sites=sites,
            routes=routes,
        )
        return token, organisation.id

    async def publish_all(self, *events: Event) -> None:
        """Publish the events and wait until the read model has projected all of them."""
        before = self.projected()
        for event in events:
            await self.publish(event)
        await eventually(lambda: self.projected() >= before + len(events))

    async def publish_in_order(self, *events: Event) -> None:
        """Publish each event once the one before it is projected: events of different topics
        are then projected in the order given."""
        for event in events:
            envelope = await self.publish(event)
            await eventually(lambda e=envelope.id: self.has_projected(e))

    def has_projected(self, event_id: str) -> bool:
        query = select(TimelineEntry.cursor).where(TimelineEntry.event_id == event_id)
        with Session(self.gateway.service.engine) as session:
            return session.exec(query).first() is not None

    def projected(self) -> int:
        with Session(self.gateway.service.engine) as session:
            return len(session.exec(select(TimelineEntry.cursor)).all())

    async def execute(
        self, query: str, context: dict[str, Any] | None = None, **variables: Any
    ) -> ExecutionResult:
        return await schema.execute(
            query, variable_values=variables, context_value=context or self.context
        )

    def staged_commands(self) -> list[tuple[str, dict[str, Any]]]:
        """(short type, body) of each command the gateway has stored to send (its outbox)."""
        return self.staged(COMMAND_TOPICS)

    def staged(self, topics: Iterable[str]) -> list[tuple[str, dict[str, Any]]]:
        """(short type, body) of what the gateway has stored to send on `topics`."""
        with Session(self.gateway.service.engine) as session:
            query = select(OutboxRow).where(col(OutboxRow.topic).in_(list(topics)))
            rows = session.exec(query.order_by(col(OutboxRow.id))).all()
        return [(row.type.split(".")[-2], json.loads(row.body)) for row in rows]

    async def start(self) -> None:
        await self.bus.start()
        await self.gateway.service.start()

    async def stop(self) -> None:
        await self.gateway.service.stop()
        await self.bus.stop()

    async def publish(
        self, event: Event, *, correlation_id: str | None = None, source: str = "test"
    ) -> Envelope:
        envelope = envelope_for(
            event, source=source, clock=self.clock, correlation_id=correlation_id
        )
        await self.bus.publish(to_message(envelope, event.TOPIC, {"traceparent": TRACEPARENT}))
        return envelope


def principal(
    *roles: Role,
    kind: PartnerKind | None = PartnerKind.DHS,
    organisation_id: str | None = None,
    shelter_id: str | None = None,
    sites: Iterable[str] = (),
    routes: Iterable[str] = (),
) -> Principal:
    return Principal(
        token_id=f"token-{'-'.join(sorted(roles))}",
        name="test",
        roles=frozenset(roles),
        organisation_id=organisation_id or f"org-{kind}",
        organisation_kind=kind,
        shelter_id=shelter_id,
        sites=frozenset(sites),
        routes=frozenset(routes),
    )


def registered(family_unit_id: str, **changes: Any) -> Registered:
    """The Lopez family; `changes` set the registration's other fields (organisation_id,
    consent, registration_code_hash, ...)."""
    return Registered(
        **changes,
        family_unit_id=family_unit_id,
        channel="online",
        current_location=Location(city="Matamoros", country="MX"),
        members=[
            Member(
                member_id="m-1",
                given_name="Ana",
                family_name="Lopez",
                birth_date=dt.date(1990, 5, 1),
                in_mpp=True,
                a_number="A123456789",
                case_category="active",
                language="spa",
            ),
            Member(
                member_id="m-2",
                given_name="Luis",
                family_name="Lopez",
                birth_date=dt.date(2015, 3, 2),
                in_mpp=False,
                language="spa",
            ),
        ],
        registered_at=T0,
    )


def family_of(
    family_unit_id: str, *, people: int = 2, born: dt.date = dt.date(1990, 5, 1), **changes: Any
) -> Registered:
    """A registered family of `people`, the first born on `born`."""
    members = [
        Member(
            member_id=f"{family_unit_id}-{n}",
            given_name="Ana" if n == 0 else f"Child {n}",
            family_name="Lopez",
            birth_date=born if n == 0 else dt.date(2015, 1, 1) + dt.timedelta(days=n),
            in_mpp=n == 0,
            a_number=f"A{zlib.crc32(family_unit_id.encode()) % 10**9:09d}" if n == 0 else None,
            case_category="active" if n == 0 else None,
            language="spa",
        )
        for n in range(people)
    ]
    return Registered(
        **changes,
        family_unit_id=family_unit_id,
        channel="online",
        current_location=Location(city="Matamoros", country="MX"),
        members=members,
        registered_at=T0,
    )


def site_updated(
    site: str = "brownsville", *, capacity: int = 4, weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
) -> SiteUpdated:
    return SiteUpdated(
        site=Site(
            id=site,
            name=site.replace("-", " ").title(),
            kind="port",
            latitude=25.9,
            longitude=-97.5,
            capacity_per_day=capacity,
            open_weekdays=list(weekdays),
            open=True,
        ),
        reason="published",
    )


def place(
    enrolled: dt.date | None,
    *,
    registered_at: dt.datetime = T0,
    granted: dt.datetime | None = None,
    queued_at: dt.datetime = T0,
) -> QueuePlace:
    return QueuePlace(
        earliest_enrollment=enrolled,
        registered_at=registered_at,
        expedite_granted_at=granted,
        queued_at=queued_at,
    )


def waitlisted(
    family_unit_id: str,
    queue_place: QueuePlace,
    *,
    people: int = 2,
    site: str | None = "brownsville",
    eligible: bool = True,
    estimated: dt.date | None = None,
) -> Waitlisted:
    return Waitlisted(
        family_unit_id=family_unit_id,
        site=site,
        people=people,
        eligible=eligible,
        place=queue_place,
        reason="waiting for capacity" if eligible else "category not yet eligible",
        estimated_date=estimated,
    )


def scheduled_on(
    family_unit_id: str,
    day: dt.date,
    queue_place: QueuePlace,
    *,
    people: int = 2,
    site: str = "brownsville",
    decided_at: dt.datetime = T0,
) -> Scheduled:
    return Scheduled(
        family_unit_id=family_unit_id,
        appointment_id=f"ap-{family_unit_id}",
        site=site,
        appointment_at=dt.datetime.combine(day, dt.time(15, 0), tzinfo=dt.UTC),
        people=people,
        origin=Location(city="Matamoros", country="MX"),
        place=queue_place,
        decided_at=decided_at,
    )


def answer_commands(
    harness: Harness, topic: str, respond: Callable[[Envelope], Event | None]
) -> None:
    """A stand-in for the service behind `topic`: publishes `respond(command)` as its answer,
    on the command's correlation id. Subscribe before `harness.start()`."""

    async def handle(message: Message) -> None:
        command = Envelope.from_kafka(message.headers, message.value)
        event = respond(command)
        if event is not None:
            answer = envelope_for(event, source="stand-in", clock=harness.clock, cause=command)
            await harness.bus.publish(to_message(answer, event.TOPIC, {}))

    harness.bus.subscribe([topic], f"stand-in-{topic}", handle)


def scheduled(
    family_unit_id: str,
    *,
    appointment_at: dt.datetime = T0 + dt.timedelta(days=3),
    site: str = "brownsville",
    appointment_id: str | None = None,
    people: int = 2,
) -> Scheduled:
    return Scheduled(
        family_unit_id=family_unit_id,
        appointment_id=appointment_id or f"ap-{family_unit_id}",
        site=site,
        appointment_at=appointment_at,
        people=people,
        origin=Location(city="Matamoros", country="MX"),
    )


def booked(
    family_unit_id: str,
    booking_id: str,
    *,
    departure_at: dt.datetime = T0 + dt.timedelta(days=2, hours=20),
    travel: dt.timedelta = dt.timedelta(hours=3),
    site: str = "brownsville",
    appointment_id: str | None = None,
    seats: int = 2,
) -> TransportBooked:
    """The family's seats on the Matamoros-Brownsville shuttle."""
    return TransportBooked(
        family_unit_id=family_unit_id,
        booking_id=booking_id,
        appointment_id=appointment_id or f"ap-{family_unit_id}",
        site=site,
        origin_city="Matamoros",
        pickup_point="IOM pick-up point, Matamoros",
        departure_at=departure_at,
        arrival_at=departure_at + travel,
        seats=seats,
        travel_documents=["Mexican transit permit (FMM)"],
        route_id=f"matamoros--{site}",
        vehicle_id=f"matamoros--{site}@1#1",
        escorted_convoy=True,
        risk="high",
        seat_status=SeatStatus.BOOKED,
    )


def shelter_updated(
    shelter_id: str = "casa", *, beds: int = 40, beds_free: int = 30
) -> ShelterUpdated:
    return ShelterUpdated(
        shelter=Shelter(
            id=shelter_id,
            name=f"Shelter {shelter_id}",
            city="Brownsville",
            latitude=25.9,
            longitude=-97.5,
            beds=beds,
            beds_free=beds_free,
            services=["food", "medical"],
        )
    )


def shelter_assigned(
    family_unit_id: str,
    shelter_id: str = "casa",
    *,
    expected_at: dt.datetime = T0 + dt.timedelta(days=3, hours=4),
    people: int = 2,
) -> ShelterAssigned:
    return ShelterAssigned(
        family_unit_id=family_unit_id,
        shelter_id=shelter_id,
        site="brownsville",
        expected_at=expected_at,
        people=people,
        languages=["mam", "spa"],
        needs_interpreter=True,
        needs=["interpreter: mam", "children under 18: 1"],
    )
