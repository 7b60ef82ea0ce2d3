"""The people in the field, simulated for demos: drivers report departures and arrivals, port
officers finish processing and release families, each through the same commands a real
partner would send, at the times the events planned (on the injected, maybe fast, clock).

Planned actions are stored in the transaction of the event that planned them, with its trace
context, so a restart loses none and the case's one trace continues through them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from opentelemetry.trace import SpanKind
from puente_runtime import Context, Service
from puente_runtime.outbox import envelope_for, stage
from puente_runtime.tracing import extract, inject_current
from puente_schemas import CONTRACTS, Event
from puente_schemas.commands import (
    Command,
    CompleteProcessing,
    RecordArrival,
    RecordDeparture,
    ReleaseFamily,
)
from puente_schemas.events import CheckedIn, Processed, TransportBooked
from sqlmodel import Session, col, select

from puente_gateway.tables import FieldAction

log = logging.getLogger("puente.gateway.simulator")
PROCESSING_TAKES = dt.timedelta(hours=2)
RELEASE_TAKES = dt.timedelta(minutes=30)


def plan(event: Event) -> list[tuple[dt.datetime, Command]]:
    """What someone in the field will do after this event, and when."""
    if isinstance(event, TransportBooked):
        fid, booking = event.family_unit_id, event.booking_id
        return [
            (event.departure_at, RecordDeparture(family_unit_id=fid, booking_id=booking)),
            (
                event.arrival_at,
                RecordArrival(family_unit_id=fid, booking_id=booking, site=event.site),
            ),
        ]
    if isinstance(event, CheckedIn):
        return [
            (
                event.checked_in_at + PROCESSING_TAKES,
                CompleteProcessing(family_unit_id=event.family_unit_id),
            )
        ]
    if isinstance(event, Processed):
        return [
            (event.processed_at + RELEASE_TAKES, ReleaseFamily(family_unit_id=event.family_unit_id))
        ]
    return []


class Simulator:
    def __init__(self, service: Service, *, poll_seconds: float = 0.1) -> None:
        self._service = service
        self._poll_seconds = poll_seconds
        planners = {model: self._plan for model in (TransportBooked, CheckedIn, Processed)}
        service.consume(f"{service.settings.group_prefix}.simulator", planners)
        service.also_run(self.run)

    def _plan(self, event: Event, ctx: Context) -> list[Event]:
        trace = inject_current()
        for due_at, command in plan(event):
            ctx.session.add(
                FieldAction(
                    due_at=due_at,
                    command_type=command.TYPE,
                    payload=command.model_dump(mode="json"),
                    correlation_id=ctx.envelope.correlation_id,
                    trace=trace,
                )
            )
        return []

    async def run(self) -> None:
        print("demo: simulated field operations", flush=True)
        log.info("demo: simulated field operations")
        while True:
            if self.fire_due():
                self._service.relay.wake()
            await asyncio.sleep(self._poll_seconds)

    def fire_due(self) -> int:
        """Send every command whose time has come; each one and its `done` mark commit together."""
        now = self._service.clock.now()
        with Session(self._service.engine, expire_on_commit=False) as session:
            query = select(FieldAction).where(
                col(FieldAction.done).is_(False), col(FieldAction.due_at) <= now
            )
            due = session.exec(query.order_by(col(FieldAction.due_at), col(FieldAction.id))).all()
            for action in due:
                self._fire(session, action)
        return len(due)

    def _fire(self, session: Session, action: FieldAction) -> None:
        command = CONTRACTS[action.command_type].model_validate(action.payload)
        name = action.command_type.split(".")[-2]
        with self._service.tracer.start_as_current_span(
            f"{name} field",
            context=extract(action.trace),
            kind=SpanKind.PRODUCER,
            attributes={"puente.command_type": action.command_type},
        ):
            envelope = envelope_for(
                command,
                source=self._service.name,
                clock=self._service.clock,
                correlation_id=action.correlation_id,
            )
            stage(session, [(envelope, command.TOPIC)], clock=self._service.clock)
            action.done = True
            session.add(action)
            session.commit()
