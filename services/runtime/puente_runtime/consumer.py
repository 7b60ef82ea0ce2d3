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

from puente_runtime.bus import Bus
from puente_runtime.clock import Clock
from puente_runtime.messages import Message
from puente_runtime.outbox import Contract, Relay, envelope_for, stage
from puente_runtime.storage import InboxRow
from puente_runtime.tracing import extract

log = logging.getLogger("puente.consumer")


class NotYet(Exception):
    """The message depends on one this consumer has not seen yet (another topic is behind):
    deliver it again later rather than dead-letter it."""


TRANSIENT = (OperationalError, ConnectionError, TimeoutError, NotYet)


@dataclass(frozen=True)
class Context:
    session: Session
    clock: Clock
    envelope: Envelope
    after_commit: list[Callable[[], None]] = field(default_factory=list)


HandlerFn = Callable[[Any, Context], Iterable[Contract]]
Handlers = Mapping[Any, HandlerFn]


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
        self._patience = patience_seconds
        self._first_waited: dict[str, float] = {}

    async def __call__(self, message: Message) -> None:
        try:
            envelope = Envelope.from_kafka(message.headers, message.value)
            if envelope.type not in self._handlers:
                return
            model, handler = self._handlers[envelope.type]
            contract = model.model_validate(envelope.data)
        except ValidationError as error:
            await self.dead_letter(message, f"malformed: {describe(error)}")
            return
        except ValueError as error:
            await self.dead_letter(message, f"malformed: {error}")
            return
        for attempt in range(self._attempts):
            try:
                self._apply(envelope, contract, handler, message)
                break
            except NotYet as error:
                if self._waited_too_long(envelope.id):
                    self._first_waited.pop(envelope.id)
                    await self.dead_letter(message, f"gave up waiting: {error}")
                    return
                if attempt + 1 == self._attempts:
                    raise
                await asyncio.sleep(self._backoff * 2**attempt)
            except TRANSIENT:
                if attempt + 1 == self._attempts:
                    raise
                await asyncio.sleep(self._backoff * 2**attempt)
            except Exception as error:  # noqa: BLE001 - any handler bug: retry, then dead-letter
                reason = describe(error)
                log.warning(
                    "%s failed on %s (attempt %d): %s",
                    self.group,
                    envelope.id,
                    attempt + 1,
                    type(error).__name__,
                )
                await asyncio.sleep(self._backoff * 2**attempt)
        else:
            await self.dead_letter(message, f"failed after {self._attempts} attempts: {reason}")
            return
        self._first_waited.pop(envelope.id, None)
        self._relay.wake()

    def _waited_too_long(self, event_id: str) -> bool:
        """A message may wait for its cause on another topic, but not forever."""
        first = self._first_waited.setdefault(event_id, time.monotonic())
        return time.monotonic() - first > self._patience

    def _apply(
        self, envelope: Envelope, contract: BaseModel, handler: HandlerFn, message: Message
    ) -> None:
        attributes = {
            "messaging.system": "kafka",
            "messaging.destination.name": message.topic,
            "messaging.message.id": envelope.id,
            "puente.event_type": envelope.type,
            "puente.family_unit_id": envelope.subject,
        }
        with (
            self._tracer.start_as_current_span(
                f"{envelope.type} process",
                context=extract(message.headers),
                kind=SpanKind.CONSUMER,
                attributes=attributes,
            ),
            Session(self._engine, expire_on_commit=False) as session,
        ):
            if session.get(InboxRow, (self.group, envelope.id)) is not None:
                return
            context = Context(session=session, clock=self._clock, envelope=envelope)
            outgoing = [
                (envelope_for(c, source=self.service, clock=self._clock, cause=envelope), c.TOPIC)
                for c in handler(contract, context)
            ]
            session.add(
                InboxRow(
                    consumer=self.group, event_id=envelope.id, applied_at=dt.datetime.now(dt.UTC)
                )
            )
            stage(session, outgoing, clock=self._clock)
            session.commit()
        for callback in context.after_commit:
            callback()

    async def dead_letter(self, message: Message, reason: str) -> None:
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
