"""The people in the field, simulated for demos: drivers report departures (and, for a few
families, a late vehicle or a missed pick-up), port officers record arrivals, finish
processing and release families, hotline operators make their call-backs; each through the
same commands a real partner would send, at the times the events planned (on the injected,
maybe fast, clock). What they do is decided in domain.py. Every command it sends says it is
simulated (`ce_puentesimulated: true`, source `/puente/simulator`). It holds no token and does not
go through GraphQL: it plays the port officers of every site, each acting only on the families
its events send to that site, so the sites a port officer's token names do not apply to it.

Planned actions are stored in the transaction of the event that planned them, with its trace
context, so a restart loses none and the case's one trace continues through them. A failed
transport or a cancelled booking drops the trip's actions still to come; the family's next
booking is played like any other.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from opentelemetry.trace import SpanKind
from puente_runtime import Context, Handlers, NotYet, Service
from puente_runtime.outbox import envelope_for, stage
from puente_runtime.tracing import extract, inject_current
from puente_schemas import CONTRACTS, Event
from puente_schemas.events import (
    BookingCancelled,
    CallbackBooked,
    CheckedIn,
    Processed,
    Rescheduled,
    Scheduled,
    TransportBooked,
    TransportFailed,
)
from sqlmodel import Session, col, select

from puente_simulator import domain
from puente_simulator.tables import FieldAction, FieldFamily

log = logging.getLogger("puente.simulator")


class Simulator:
    def __init__(
        self,
        service: Service,
        *,
        late_every: int,
        missed_every: int,
        poll_seconds: float = 0.1,
    ) -> None:
        self._service = service
        self._poll_seconds = poll_seconds
        self._late_every = late_every
        self._missed_every = missed_every

    def handlers(self) -> Handlers:
        return {
            Scheduled: self._remember,
            Rescheduled: self._remember,
            TransportBooked: self._travel,
            TransportFailed: self._drop_trip,
            BookingCancelled: self._drop_trip,
            CheckedIn: self._plan,
            Processed: self._plan,
            CallbackBooked: self._plan,
        }

    def _remember(self, event: Scheduled | Rescheduled, ctx: Context) -> list[Event]:
        """Appointment times: a late vehicle is late for one."""
        family = _family(ctx, event.family_unit_id)
        known = dict(family.appointments)  # a new dict: JSON columns miss in-place changes
        known[event.appointment_id] = event.appointment_at.isoformat()
        family.appointments = known
        ctx.session.add(family)
        return []

    def _travel(self, event: TransportBooked, ctx: Context) -> list[Event]:
        family = _family(ctx, event.family_unit_id)
        mishap = None
        if family.mishap is None:  # each family plays at most one unhappy case
            mishap = domain.mishap_for(
                event.family_unit_id, late_every=self._late_every, missed_every=self._missed_every
            )
        appointment_at = None
        if mishap == domain.LATE:
            known = family.appointments.get(event.appointment_id)
            if known is None:
                raise NotYet(f"transport-booked before its appointment for {event.family_unit_id}")
            appointment_at = dt.datetime.fromisoformat(known)
        if mishap is not None:
            family.mishap = mishap
            ctx.session.add(family)
        self._store(ctx, domain.journey(event, mishap=mishap, appointment_at=appointment_at))
        return []

    def _drop_trip(self, event: TransportFailed | BookingCancelled, ctx: Context) -> list[Event]:
        """Nobody reports on a trip that will not happen: a failure ends the family's trip, a
        cancelled booking its own."""
        booking_id = getattr(event, "booking_id", None)
        query = select(FieldAction).where(
            col(FieldAction.done).is_(False),
            col(FieldAction.command_type).in_(domain.TRANSPORT_COMMANDS),
        )
        for action in ctx.session.exec(query).all():
            payload = action.payload
            if payload.get("family_unit_id") != event.family_unit_id:
                continue
            if booking_id is None or payload.get("booking_id") == booking_id:
                action.done = True  # dropped: it will never be sent
                ctx.session.add(action)
        return []

    def _plan(self, event: Event, ctx: Context) -> list[Event]:
        self._store(ctx, domain.plan(event))
        return []

    def _store(self, ctx: Context, plan: domain.Plan) -> None:
        trace = inject_current()
        for due_at, command in plan:
            ctx.session.add(
                FieldAction(
                    due_at=due_at,
                    command_type=command.TYPE,
                    payload=command.model_dump(mode="json"),
                    correlation_id=ctx.envelope.correlation_id,
                    trace=trace,
                )
            )

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
                simulated=True,
            )
            stage(session, [(envelope, command.TOPIC)], clock=self._service.clock)
            action.done = True
            session.add(action)
            session.commit()


def _family(ctx: Context, family_unit_id: str) -> FieldFamily:
    return ctx.session.get(FieldFamily, family_unit_id) or FieldFamily(
        family_unit_id=family_unit_id
    )
