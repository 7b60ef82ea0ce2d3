"""A started gateway on an embedded bus in a temporary directory, and helpers."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from puente_gateway import Gateway, create_app
from puente_gateway.auth import Principal
from puente_runtime import EmbeddedBus, FakeClock, Settings
from puente_runtime.messages import to_message
from puente_runtime.outbox import envelope_for
from puente_schemas import Envelope, Event
from puente_schemas.common import Location, Member
from puente_schemas.events import Registered

T0 = dt.datetime(2021, 2, 19, 8, 0, tzinfo=dt.UTC)
TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


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
        return {"gateway": self.gateway, "principal": Principal(name="test", role="admin")}

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


async def eventually(check: Callable[[], Awaitable[Any] | Any], timeout: float = 5.0) -> Any:
    """Poll until `check()` returns something truthy."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


def registered(family_unit_id: str) -> Registered:
    return Registered(
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
