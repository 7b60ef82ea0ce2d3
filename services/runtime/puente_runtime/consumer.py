"""Consuming: decode, apply once, retry, dead-letter.

Each message is applied in one database transaction that stores the new state, the outgoing
events (outbox) and the message id (inbox); a redelivered message changes nothing. A message
that cannot be decoded goes straight to `<topic>.dlq` with the reason; one whose handler keeps
failing goes there after the retries. Database outages are not the message's fault: they are
raised so the bus delivers the message again later, and nothing is dead-lettered for them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from opentelemetry.trace import SpanKind, Tracer
from puente_schemas import Envelope
from puente_schemas.topics import dead_letter_topic
from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from puente_runtime import metrics, parking
from puente_runtime.bus import Bus
from puente_runtime.clock import Clock
from puente_runtime.messages import Message
from puente_runtime.outbox import Contract, Relay, envelope_for, stage
from puente_runtime.storage import InboxRow
from puente_runtime.tracing import extract

log = logging.getLogger("puente.consumer")


class NotYet(Exception):
    """The message depends on one this consumer has not seen yet (another topic is behind):
    park it until the family's next message is applied, rather than dead-letter it."""


TRANSIENT = (OperationalError, ConnectionError, TimeoutError)
APPLIED_AT = "puente.applied_at"  # a consumer span's attribute


@dataclass(frozen=True)
class Context:
    session: Session
    clock: Clock
    envelope: Envelope
    after_commit: list[Callable[[], None]] = field(default_factory=list)
    headers: Mapping[str, str] = field(default_factory=dict)  # the message's, trace and all


HandlerFn = Callable[[Any, Context], Iterable[Contract]]
Handlers = Mapping[Any, HandlerFn]
Decoded = tuple[Envelope, BaseModel, HandlerFn]


def describe(error: Exception) -> str:
    """A reason fit for a header or a log: names what is wrong, never echoes the input."""
    if isinstance(error, ValidationError):
        problems = (f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        return f"invalid {error.title}: " + "; ".join(problems)
    return f"{type(error).__name__}: {error}"


class Consumer:
    def __init__(
        self,
        *,
        service: str,
        group: str,
        handlers: Handlers,
        engine: Engine,
        bus: Bus,
        clock: Clock,
        tracer: Tracer,
        relay: Relay,
        attempts: int = 3,
        backoff_seconds: float = 0.05,
        patience_seconds: float = 60.0,
        longest_wait_seconds: float = 86_400.0,
    ) -> None:
        self.service = service
        self.group = group
        self._handlers = {model.TYPE: (model, fn) for model, fn in handlers.items()}
        self.topics = sorted({model.TOPIC for model in handlers})
        self._engine = engine
        self._bus = bus
        self._clock = clock
        self._tracer = tracer
        self._relay = relay
        self._attempts = attempts
        self._backoff = backoff_seconds
        self._patience = dt.timedelta(seconds=patience_seconds)
        self._longest = dt.timedelta(seconds=max(longest_wait_seconds, patience_seconds))
        self._last_applied = -math.inf  # time.monotonic() of the last message applied

    async def __call__(self, message: Message) -> None:
        decoded = await self._decode(message)
        if decoded is None:
            return
        waiting = parking.parked(self._engine, self.group, message.key)
        if any(row.topic == message.topic for row in waiting):
            parking.park(self._engine, self.group, message, "behind a parked message")
        else:
            await self._handle(message, decoded)
        # Then the family's parked messages get another try, looked up afresh: the message
        # just applied may be their cause, and with replicas of the service, another one may
        # have applied the cause while this one was parking its effect (or parked an effect
        # while this one applied the cause): whichever committed second sees the other.
        if parking.parked(self._engine, self.group, message.key):
            await self._replay(message.key)
        self._relay.wake()

    async def _decode(self, message: Message) -> Decoded | None:
        """The envelope, contract and handler, or None: not for us, or dead-lettered."""
        try:
            envelope = Envelope.from_kafka(
                message.headers, message.value, received_at=self._clock.now()
            )
            if envelope.type not in self._handlers:
                return None
            model, handler = self._handlers[envelope.type]
            return envelope, model.model_validate(envelope.data), handler
        except ValidationError as error:
            await self.dead_letter(message, f"malformed: {describe(error)}")
        except ValueError as error:
            await self.dead_letter(message, f"malformed: {error}")
        return None

    async def _handle(
        self, message: Message, decoded: Decoded, *, parked_id: int | None = None
    ) -> bool:
        """Apply with retries; park what comes before its cause. True when applied."""
        envelope, contract, handler = decoded
        reason = ""
        labels = self._labels(message)
        for attempt in range(self._attempts):
            started = time.perf_counter()
            try:
                self._apply(envelope, contract, handler, message, parked_id=parked_id)
                metrics.handler_duration.record(time.perf_counter() - started, labels)
                metrics.handled.add(1, labels)
                self._last_applied = time.monotonic()
                return True
            except NotYet as error:
                if parked_id is None:
                    parking.park(self._engine, self.group, message, str(error))
                return False
            except TRANSIENT:
                metrics.failed.add(1, labels)
                if attempt + 1 == self._attempts:
                    raise
                await asyncio.sleep(self._backoff * 2**attempt)
            except Exception as error:  # noqa: BLE001 - any handler bug: retry, then dead-letter
                reason = describe(error)
                metrics.failed.add(1, labels)
                log.warning(
                    "%s failed on %s (attempt %d): %s",
                    self.group,
                    envelope.id,
                    attempt + 1,
                    type(error).__name__,
                )
                await asyncio.sleep(self._backoff * 2**attempt)
        await self.dead_letter(message, f"failed after {self._attempts} attempts: {reason}")
        if parked_id is not None:
            parking.remove(self._engine, parked_id)
        return False

    async def _replay(self, subject: str) -> None:
        """Try the family's parked messages again, oldest first, until none moves; a message
        still waiting keeps the later ones of its topic waiting behind it."""
        progress = True
        while progress:
            progress, waiting_topics = False, set()
            for row in parking.parked(self._engine, self.group, subject):
                assert row.id is not None
                if row.topic in waiting_topics:
                    continue
                message = row.message()
                decoded = await self._decode(message)
                if decoded is None:
                    parking.remove(self._engine, row.id)
                elif await self._handle(message, decoded, parked_id=row.id):
                    progress = True
                else:
                    waiting_topics.add(row.topic)

    async def sweep(self) -> None:
        """Dead-letter what waited longer than the patience period for its cause, once this
        consumer has had nothing to apply for as long: while it works through a backlog the
        cause may be in it (after an outage one topic can be read far ahead of another). A
        consumer never idle gives up after the longest wait."""
        idle = time.monotonic() - self._last_applied >= self._patience.total_seconds()
        waited = self._patience if idle else self._longest
        for row in parking.expired(self._engine, self.group, waited):
            assert row.id is not None
            await self.dead_letter(row.message(), f"gave up waiting: {row.reason}")
            parking.remove(self._engine, row.id)
            await self._replay(row.subject)  # what queued behind it may go now

    async def sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(max(self._patience.total_seconds() / 4, 0.05))
            await self.sweep()

    def _apply(
        self,
        envelope: Envelope,
        contract: BaseModel,
        handler: HandlerFn,
        message: Message,
        *,
        parked_id: int | None = None,
    ) -> None:
        attributes = {
            "messaging.system": "kafka",
            "messaging.destination.name": message.topic,
            "messaging.message.id": envelope.id,
            "puente.event_type": envelope.type,
            "puente.family_unit_id": envelope.subject,
            "messaging.consumer.group.name": self.group,
        }
        with (
            self._tracer.start_as_current_span(
                f"{envelope.type} process",
                context=extract(message.headers),
                kind=SpanKind.CONSUMER,
                attributes=attributes,
            ) as span,
            Session(self._engine, expire_on_commit=False) as session,
        ):
            # On the service's clock (accelerated in a demo), as the envelope's times are:
            # a flow's hop (the gateway's api/flow.py) reads it from the span.
            span.set_attribute(APPLIED_AT, self._clock.now().isoformat())
            if parked_id is not None:
                parking.unpark(session, parked_id)
            context = Context(
                session=session, clock=self._clock, envelope=envelope, headers=message.headers
            )
            if session.get(InboxRow, (self.group, envelope.id)) is None:
                outgoing = [
                    (
                        envelope_for(c, source=self.service, clock=self._clock, cause=envelope),
                        c.TOPIC,
                    )
                    for c in handler(contract, context)
                ]
                session.add(
                    InboxRow(
                        consumer=self.group,
                        event_id=envelope.id,
                        applied_at=dt.datetime.now(dt.UTC),
                    )
                )
                stage(session, outgoing, clock=self._clock)
            session.commit()
        for callback in context.after_commit:
            callback()

    def _labels(self, message: Message) -> dict[str, str]:
        return {"service": self.service, "consumer": self.group, "topic": message.topic}

    async def dead_letter(self, message: Message, reason: str) -> None:
        metrics.dead_lettered.add(1, self._labels(message))
        log.error(
            "dead-lettering %s@%s for %s: %s", message.topic, message.offset, self.group, reason
        )
        headers = {
            **message.headers,
            "puente_dlq_reason": reason,
            "puente_dlq_topic": message.topic,
            "puente_dlq_partition": str(message.partition),
            "puente_dlq_offset": str(message.offset),
            "puente_dlq_consumer": self.group,
        }
        await self._bus.publish(
            Message(dead_letter_topic(message.topic), message.key, message.value, headers)
        )
