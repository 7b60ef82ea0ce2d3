"""One service's runtime, assembled the same way for all: database with outbox and inbox,
a relay, a consumer group for the events it handles, a tracer, and health."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
from collections.abc import Callable, Coroutine, Iterable, Sequence
from typing import Any

from opentelemetry.trace import SpanKind
from puente_schemas import Envelope
from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select, text

from puente_runtime import metrics
from puente_runtime.bus import Bus
from puente_runtime.clock import Clock
from puente_runtime.consumer import Consumer, Handlers, describe
from puente_runtime.outbox import Contract, Relay, envelope_for, stage, subject_of
from puente_runtime.parking import ParkedRow
from puente_runtime.settings import Settings
from puente_runtime.storage import OutboxRow, make_engine, try_lock
from puente_runtime.tracing import extract, make_tracer
from puente_runtime.upgrades import History

# Clock-driven work: given the open session and the time, change state and return events.
Timed = Callable[[Session, dt.datetime], Sequence[Contract]]
TIMED_PAUSE_SECONDS = 0.1
LAG_SECONDS = 10.0  # how often consumer lag is measured (Kafka asks the broker each time)
log = logging.getLogger("puente.service")


class Service:
    def __init__(
        self,
        *,
        name: str,
        settings: Settings,
        bus: Bus,
        clock: Clock,
        tables: Sequence[type[SQLModel]] = (),
        handlers: Handlers | None = None,
        history: History | None = None,
    ) -> None:
        self.name = name
        self.settings = settings
        self.bus = bus
        self.clock = clock
        self.engine = make_engine(settings.database_for(name), tables, history)
        self.tracer = make_tracer(name, settings)
        self.relay = Relay(
            engine=self.engine,
            bus=bus,
            clock=clock,
            poll_seconds=settings.relay_poll_seconds,
            crash_before=settings.relay_crash_before,
        )
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = asyncio.Event()
        self._background: list[Callable[[], Coroutine[Any, Any, None]]] = []
        self._consumers: list[Consumer] = []
        self._lag: dict[tuple[str, str], int] = {}
        metrics.watch(self)
        if handlers:
            self.consume(f"{settings.group_prefix}.{name}", handlers)

    def consume(self, group: str, handlers: Handlers) -> Consumer:
        consumer = Consumer(
            service=self.name,
            group=group,
            handlers=handlers,
            engine=self.engine,
            bus=self.bus,
            clock=self.clock,
            tracer=self.tracer,
            relay=self.relay,
            attempts=self.settings.retry_attempts,
            backoff_seconds=self.settings.retry_backoff_seconds,
            patience_seconds=self.settings.wait_for_cause_seconds,
            longest_wait_seconds=self.settings.longest_wait_for_cause_seconds,
        )
        self.bus.subscribe(consumer.topics, group, consumer)
        self.also_run(consumer.sweep_forever)
        if not self._consumers:
            self.also_run(self._measure_lag_forever)
        self._consumers.append(consumer)
        return consumer

    def also_run(self, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run `work()` beside the relay from `start()` until `stop()` (a loop, a server)."""
        self._background.append(work)

    def submit(
        self, contracts: Iterable[Contract], *, correlation_id: str | None = None
    ) -> list[Envelope]:
        """Store commands or events this service originates (not in answer to a message)."""
        with Session(self.engine) as session:
            envelopes = self._stage(session, list(contracts), correlation_id=correlation_id)
            session.commit()
        self.relay.wake()
        return envelopes

    def every(self, period: dt.timedelta, work: Timed) -> None:
        """Run `work(session, now)` every `period` of the service's clock, from `start()`.

        Each run is one transaction: the state `work` changes and the events it returns are
        committed together (outbox), so a crash repeats a run and never half-applies one.
        Runs of the same work in several replicas never overlap (`run_now`).
        """

        async def loop() -> None:
            while True:
                try:
                    self.run_now(work)
                except Exception as error:  # noqa: BLE001 - the loop outlives a failed run
                    # A database outage or a conflict: nothing was committed; try again.
                    log.warning("%s: %s failed: %s", self.name, work.__name__, describe(error))
                await self.clock.sleep_until(self.clock.now() + period)
                await asyncio.sleep(TIMED_PAUSE_SECONDS)  # a fast clock must not spin

        self.also_run(loop)

    def run_now(self, work: Timed) -> list[Envelope]:
        """One run of timed `work` (what `every` does each period; tests call it directly).

        Every replica of the service runs it; a run skips (returns nothing) while another
        replica's run of the same work is under way, so two never make the same change.
        """
        with Session(self.engine) as session:
            if not try_lock(session, f"{self.name} timed {work.__name__}"):
                return []
            contracts = list(work(session, self.clock.now()))
            envelopes = [self._continue(session, c, work.__name__) for c in contracts]
            session.commit()
        if envelopes:
            self.relay.wake()
        return envelopes

    def _continue(self, session: Session, contract: Contract, name: str) -> Envelope:
        """Stage an event of timed work in the trace and correlation of the last event this
        service published about the same family, so a case stays one trace end to end."""
        subject = subject_of(contract.model_dump(mode="json"))
        last = session.exec(
            select(OutboxRow.headers)
            .where(OutboxRow.key == subject)
            .order_by(col(OutboxRow.id).desc())
            .limit(1)
        ).first()
        headers: dict[str, str] = json.loads(last) if last else {}
        with self.tracer.start_as_current_span(name, context=extract(headers)):
            correlation = headers.get("ce_correlationid")
            (envelope,) = self._stage(session, [contract], correlation_id=correlation)
        return envelope

    def _stage(
        self, session: Session, contracts: list[Contract], *, correlation_id: str | None = None
    ) -> list[Envelope]:
        with self.tracer.start_as_current_span("submit", kind=SpanKind.PRODUCER):
            envelopes = [
                envelope_for(c, source=self.name, clock=self.clock, correlation_id=correlation_id)
                for c in contracts
            ]
            stage(
                session,
                [(e, c.TOPIC) for e, c in zip(envelopes, contracts, strict=True)],
                clock=self.clock,
            )
        return envelopes

    def outbox_backlog(self) -> int:
        unpublished = col(OutboxRow.published_at).is_(None)
        with Session(self.engine) as session:
            return session.exec(
                select(func.count()).select_from(OutboxRow).where(unpublished)
            ).one()

    def parked(self) -> dict[tuple[str, str], int]:
        query = select(ParkedRow.consumer, ParkedRow.topic, func.count()).group_by(
            col(ParkedRow.consumer), col(ParkedRow.topic)
        )
        with Session(self.engine) as session:
            return {(group, topic): n for group, topic, n in session.exec(query)}

    def lag(self) -> dict[tuple[str, str], int]:
        return dict(self._lag)

    async def measure_lag(self) -> None:
        """Ask the bus how far behind each consumer group is (`lag()` then answers it)."""
        for consumer in self._consumers:
            behind = await self.bus.lag(consumer.group, consumer.topics)
            self._lag.update({(consumer.group, t): n for t, n in behind.items()})

    async def _measure_lag_forever(self) -> None:
        """Measure every LAG_SECONDS until stopped. `stop` lets a measurement under way end
        rather than cancelling it: aiokafka clients cancelled while they connect or close
        may never close, and the service's stop then hung on the broker."""
        while not self._stopping.is_set():
            try:
                await self.measure_lag()
            except Exception as error:  # noqa: BLE001 - the broker may be away; measure later
                log.warning("%s: consumer lag not measured: %s", self.name, describe(error))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(LAG_SECONDS):
                    await self._stopping.wait()

    def ready(self) -> bool:
        try:
            with Session(self.engine) as session:
                session.exec(text("SELECT 1"))  # type: ignore[call-overload]
        except Exception:  # noqa: BLE001 - readiness reports any failure as not ready
            return False
        return True

    async def start(self) -> None:
        self._tasks.append(asyncio.create_task(self.relay.run(), name=f"{self.name}-relay"))
        self._stopping.clear()
        self._tasks.extend(
            asyncio.create_task(work(), name=f"{self.name}-lag")
            if work == self._measure_lag_forever
            else asyncio.create_task(work())
            for work in self._background
        )

    async def stop(self) -> None:
        self._stopping.set()
        measuring = [t for t in self._tasks if t.get_name() == f"{self.name}-lag"]
        if measuring:
            await asyncio.wait(measuring, timeout=2 * LAG_SECONDS)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        metrics.forget(self)
        self.engine.dispose()
