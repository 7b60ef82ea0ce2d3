"""What the journey tests do and look at: families to register, the gateway's GraphQL (HTTP
and graphql-transport-ws), contracts produced straight to Kafka, and the trace files."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import random
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
from puente_runtime import SystemClock
from puente_runtime.outbox import envelope_for
from puente_schemas import Command, Envelope, Event
from puente_schemas.common import CaseCategory, Channel, Location, Member
from puente_schemas.events import Registered
from websockets.asyncio.client import connect

from tests.kafka.broker import Tap, produce

# The milestones of one family's journey, in order, as the gateway names event types.
JOURNEY = (
    "registered",
    "scheduled",
    "transport-booked",
    "transport-departed",
    "arrived-at-port",
    "checked-in",
    "processed",
    "released",
)
# Steps that happen once beside the milestones, in no fixed order with them.
ALONGSIDE = ("shelter-assigned", "court-assigned")
NOTICES = 2  # the receiving shelter hears of the expected arrival, then of the release


def a_number() -> str:
    return f"A{random.randrange(10**8, 10**9):09d}"


def family_input(city: str = "Tijuana", country: str = "MX") -> dict[str, Any]:
    """Two parents in MPP (one case active, one ordered removed in absentia, speaking Spanish
    and Mam) and their child who was never in MPP, waiting in Tijuana unless told."""
    return {
        "channel": "ONLINE",
        "currentLocation": {"city": city, "country": country},
        "members": [
            {
                "givenName": "Rosa",
                "familyName": "Pérez",
                "birthDate": "1989-05-14",
                "inMpp": True,
                "aNumber": a_number(),
                "mppEnrollmentDate": "2019-08-02",
                "caseCategory": "ACTIVE",
                "language": "spa",
            },
            {
                "givenName": "Mateo",
                "familyName": "Pérez",
                "birthDate": "1986-11-30",
                "inMpp": True,
                "aNumber": a_number(),
                "mppEnrollmentDate": "2019-08-02",
                "caseCategory": "IN_ABSENTIA",
                "language": "mam",
                "needsInterpreter": True,
            },
            {
                "givenName": "Lucía",
                "familyName": "Pérez",
                "birthDate": "2020-02-03",
                "inMpp": False,
                "language": "spa",
            },
        ],
    }


REGISTER = """
mutation Register($input: RegisterFamilyInput!) {
  registerFamily(input: $input) { status commandId familyUnitId errors { field message } }
}"""
STAGE = "query Stage($id: ID!) { familyUnit(id: $id) { stage } }"
EVENTS = """
subscription Events($id: ID!) {
  familyEvents(familyUnitId: $id) { cursor familyUnitId type eventId occurredAt }
}"""


class GraphQL:
    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.token = token

    async def execute(self, query: str, **variables: Any) -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=30.0) as client:
            answer = await client.post(
                f"{self.url}/graphql",
                json={"query": query, "variables": variables},
                headers={"Authorization": f"Bearer {self.token}"},
            )
        answer.raise_for_status()
        body = answer.json()
        assert not body.get("errors"), body["errors"]
        return body["data"]  # type: ignore[no-any-return]

    async def register_family(self, city: str = "Tijuana", country: str = "MX") -> str:
        result = (await self.execute(REGISTER, input=family_input(city, country)))["registerFamily"]
        # PENDING is a fair answer from a platform that has only just started.
        assert result["status"] in {"ACCEPTED", "PENDING"}, result
        assert result["errors"] == [], result
        return str(result["familyUnitId"])

    async def stage(self, family_unit_id: str) -> str | None:
        unit = (await self.execute(STAGE, id=family_unit_id))["familyUnit"]
        return unit["stage"] if unit else None

    @contextlib.asynccontextmanager
    async def family_events(self, family_unit_id: str) -> AsyncIterator[list[dict[str, Any]]]:
        """Subscribe to one family's events; yields the list they are appended to."""
        received: list[dict[str, Any]] = []
        ws_url = self.url.replace("http://", "ws://") + "/graphql"
        async with connect(ws_url, subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
            await socket.send(
                json.dumps(
                    {
                        "type": "connection_init",
                        "payload": {"authorization": f"Bearer {self.token}"},
                    }
                )
            )
            ack = json.loads(await asyncio.wait_for(socket.recv(), 10))
            assert ack["type"] == "connection_ack", ack
            await socket.send(
                json.dumps(
                    {
                        "id": "1",
                        "type": "subscribe",
                        "payload": {"query": EVENTS, "variables": {"id": family_unit_id}},
                    }
                )
            )

            async def receive() -> None:
                async for raw in socket:
                    message = json.loads(raw)
                    assert message["type"] == "next", message
                    assert not message["payload"].get("errors"), message
                    received.append(message["payload"]["data"]["familyEvents"])

            reader = asyncio.create_task(receive())
            try:
                yield received
            finally:
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reader


def registered(family_unit_id: str) -> Envelope:
    """A `registered` event as registration would publish it, for tests that feed scheduling
    directly."""
    members = [
        Member(
            member_id=str(uuid.uuid4()),
            given_name="Rosa",
            family_name="Pérez",
            birth_date=dt.date(1989, 5, 14),
            in_mpp=True,
            a_number=a_number(),
            mpp_enrollment_date=dt.date(2019, 8, 2),
            case_category=CaseCategory.ACTIVE,
            language="spa",
        ),
        Member(
            member_id=str(uuid.uuid4()),
            given_name="Lucía",
            family_name="Pérez",
            birth_date=dt.date(2020, 2, 3),
            in_mpp=False,
            language="spa",
        ),
    ]
    event = Registered(
        family_unit_id=family_unit_id,
        channel=Channel.ONLINE,
        current_location=Location(city="Tijuana", country="MX"),
        members=members,
        registered_at=dt.datetime.now(dt.UTC),
    )
    return envelope_for(event, source="tests", clock=SystemClock())


def spans_about(var_dir: Path, family_unit_id: str) -> list[dict[str, Any]]:
    spans = []
    for path in sorted((var_dir / "traces").glob("*.jsonl")):
        for line in path.read_text().splitlines():
            span = json.loads(line)
            if span["attributes"].get("puente.family_unit_id") == family_unit_id:
                spans.append(span)
    return spans


async def send(bootstrap: str, contract: Command | Event) -> Envelope:
    """Produce a command or event straight to its topic, as its owner would."""
    envelope = envelope_for(contract, source="tests", clock=SystemClock())
    await produce(
        bootstrap,
        contract.TOPIC,
        key=envelope.subject,
        value=envelope.body(),
        headers=envelope.headers(),
    )
    return envelope


def published(tap: Tap, family_unit_id: str, short_type: str) -> list[dict[str, Any]]:
    """The bodies of one family's events of one type, in the order they were published."""
    return [
        json.loads(r.value) for r in tap.events_about(family_unit_id) if r.short_type == short_type
    ]
